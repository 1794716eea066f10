import type { FastifyBaseLogger, FastifyServerOptions } from 'fastify';

export interface CompatAppOptions {
  /** A pino-compatible logger instance, or Fastify logger options / boolean. Default: no logging. */
  logger?: FastifyBaseLogger | FastifyServerOptions['logger'];
  /** When set, every request must present this token (see auth.ts). */
  token?: string | null;
}

function isLoggerInstance(l: unknown): l is FastifyBaseLogger {
  return typeof l === 'object' && l !== null && typeof (l as { child?: unknown }).child === 'function';
}

/** Shared Fastify settings for the compat listeners: GET-only APIs, small bodies, quiet by default. */
export function compatServerOptions(opts: CompatAppOptions = {}): FastifyServerOptions & { loggerInstance?: FastifyBaseLogger } {
  const base: FastifyServerOptions = {
    bodyLimit: 64 * 1024,
    // Grafana and Jaeger UI build long query strings (TraceQL, JSON tags).
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 4096 },
  } as FastifyServerOptions;
  if (isLoggerInstance(opts.logger)) return { ...base, loggerInstance: opts.logger };
  return { ...base, logger: opts.logger ?? false };
}
