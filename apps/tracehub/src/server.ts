/**
 * Wires tracehub together: store → ingest pipeline → receivers (OTLP/HTTP,
 * OTLP/gRPC) and the query side (API + UI). Start-up order: store, query API,
 * receivers; shut-down order: receivers, drain the pipeline, query API, store.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import pino, { type Logger } from 'pino';
import { LiveFeed } from './api/live.js';
import { requireToken } from './api/login.js';
import { registerQueryApi } from './api/routes.js';
import { registerTransferApi } from './api/transfer-routes.js';
import type { TracehubConfig } from './config.js';
import { ApiError, toApiError } from './errors.js';
import { IngestPipeline } from './ingest/pipeline.js';
import { createMaintenance } from './ingest/maintenance.js';
import { createIngest } from './receivers/ingest.js';
import { buildOtlpHttpApp } from './receivers/otlp-http.js';
import { startOtlpGrpc } from './receivers/otlp-grpc.js';
import { Store } from './store/store.js';
import { buildJaegerApi } from './compat/jaeger.js';
import { buildTempoApi } from './compat/tempo.js';
import { createForwarder, type Forwarder } from './forward/forwarder.js';

const here = path.dirname(fileURLToPath(import.meta.url));

/** The UI build shipped with the monorepo, next to this package. */
function defaultUiDir(): string | null {
  const dir = path.resolve(here, '../../tracehub-ui/dist');
  return existsSync(path.join(dir, 'index.html')) ? dir : null;
}

export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'; form-action 'self'";

export interface Endpoints {
  api: string;
  ui: string;
  otlpHttp: string;
  otlpGrpc: string;
  tempo?: string;
  jaeger?: string;
}

export interface Tracehub {
  endpoints: Endpoints;
  store: Store;
  pipeline: IngestPipeline;
  logger: Logger;
  close(): Promise<void>;
}

function httpUrl(host: string, port: number): string {
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

export function buildApiApp(logger: Logger, uiDir: string | null, token: string | null = null): FastifyInstance {
  // Request logs and Fastify's own info lines stay quiet; the CLI prints one startup line.
  const app: FastifyInstance = Fastify({ loggerInstance: logger.child({}, { level: 'warn' }) as FastifyBaseLogger, bodyLimit: 1024 * 1024, return503OnClosing: true });
  app.addHook('onSend', async (_req, reply, payload) => {
    reply.header('content-security-policy', CONTENT_SECURITY_POLICY);
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'no-referrer');
    return payload;
  });
  if (token !== null) requireToken(app, token);
  app.setErrorHandler((err, req, reply) => {
    const api = toApiError(err);
    if (api) return reply.code(api.status).send({ error: api.code, message: api.message });
    const e = err as { statusCode?: number; message?: string };
    if (e.statusCode && e.statusCode >= 400 && e.statusCode < 500) {
      return reply.code(e.statusCode).send({ error: 'BAD_REQUEST', message: e.message });
    }
    req.log.error({ err }, 'request failed');
    return reply.code(500).send({ error: 'INTERNAL', message: 'internal error; see the tracehub log' });
  });
  if (uiDir) {
    void app.register(fastifyStatic, { root: uiDir, prefix: '/', wildcard: false, index: ['index.html'] });
  }
  app.setNotFoundHandler((req, reply) => {
    const url = req.url.split('?')[0]!;
    // Client-side routes of the single-page app get its index.html.
    if (uiDir && req.method === 'GET' && !url.startsWith('/api/') && !path.extname(url)) {
      return reply.type('text/html; charset=utf-8').sendFile('index.html');
    }
    if (!uiDir && (url === '/' || url.startsWith('/trace'))) {
      return reply
        .code(404)
        .type('text/plain; charset=utf-8')
        .send('The tracehub UI is not built: run `npm run build` at the repository root. The API is at /api/v1.');
    }
    const e = new ApiError('NOT_FOUND', `no route ${req.method} ${url}; the API is described at /api/v1/openapi.json`);
    return reply.code(e.status).send({ error: e.code, message: e.message });
  });
  return app;
}

/** Every part of a tracehub, built and wired but not listening: what startTracehub serves, and what in-process tests inject() into. */
export interface TracehubParts {
  store: Store;
  pipeline: IngestPipeline;
  live: LiveFeed;
  ingest: ReturnType<typeof createIngest>;
  forwarder: Forwarder | null;
  /** UI + /api/v1 */
  api: FastifyInstance;
  otlpHttp: FastifyInstance;
  tempo: FastifyInstance | null;
  jaeger: FastifyInstance | null;
  maintenance: ReturnType<typeof createMaintenance>;
  /** /ready answers 200 only while this is true. */
  setReady(ready: boolean): void;
}

export async function buildTracehub(config: TracehubConfig, logger: Logger): Promise<TracehubParts> {
  const store = await Store.open({ dataDir: config.dataDir, memoryLimit: config.memoryLimit });
  const live = new LiveFeed((ids) => store.summaries(ids));
  const maintenance = createMaintenance(store, config, logger);
  const pipeline = new IngestPipeline(store, {
    maxQueuedRecords: config.maxQueuedRecords,
    maxBatchRecords: 20_000,
    onCommitted: (spans) => live.onSpans(spans),
    maintenance: maintenance.run,
    onError: (err, what) => logger.error({ err }, what === 'commit' ? 'storing a batch failed; its exports were refused with 503' : 'store maintenance failed'),
  });
  const forwarder: Forwarder | null = config.forward
    ? createForwarder({ endpoint: config.forward, logger: logger.child({ component: 'forward' }) })
    : null;
  const ingest = createIngest(pipeline, forwarder ?? undefined);

  const uiDir = config.uiDir ?? defaultUiDir();
  const api = buildApiApp(logger, uiDir, config.token);
  let ready = false;
  await registerQueryApi(api, { reader: store, live, isReady: () => ready });
  registerTransferApi(api, { reader: store, ingest, maxBodyBytes: config.maxBodyBytes, uiDir });
  api.get('/api/v1/stats', async () => ({
    ingest: { ...pipeline.stats, queuedRecords: pipeline.queuedRecords },
    forward: forwarder?.stats() ?? null,
  }));

  const otlpHttp = buildOtlpHttpApp(ingest, {
    maxBodyBytes: config.maxBodyBytes,
    corsOrigins: config.corsOrigins,
    token: config.token,
    logger: logger.child({ component: 'otlp-http' }, { level: 'warn' }) as FastifyBaseLogger,
  });
  const compatLogger = logger.child({}, { level: 'warn' }) as FastifyBaseLogger;
  const tempo = config.tempoPort === null ? null : buildTempoApi(store, { logger: compatLogger, token: config.token });
  const jaeger = config.jaegerPort === null ? null : buildJaegerApi(store, { logger: compatLogger, token: config.token });
  return {
    store,
    pipeline,
    live,
    ingest,
    forwarder,
    api,
    otlpHttp,
    tempo,
    jaeger,
    maintenance,
    setReady: (r) => {
      ready = r;
    },
  };
}

/** Closes what buildTracehub made, in order: no new exports, drain, query side, store. */
export async function closeTracehub(parts: TracehubParts, grpc?: { close(): Promise<void> }): Promise<void> {
  const { maintenance, otlpHttp, pipeline, forwarder, live, api, tempo, jaeger, store } = parts;
  parts.setReady(false);
  maintenance.stop();
  await Promise.allSettled([otlpHttp.close(), grpc?.close()]);
  await pipeline.drain();
  await forwarder?.close(5_000);
  live.close();
  await Promise.allSettled([api.close(), tempo?.close(), jaeger?.close()]);
  await store.close();
}

export async function startTracehub(config: TracehubConfig, logger: Logger = pino({ level: config.logLevel })): Promise<Tracehub> {
  const parts = await buildTracehub(config, logger);
  const { api, otlpHttp, tempo, jaeger, ingest, store, pipeline, maintenance } = parts;
  await api.listen({ host: config.host, port: config.port });
  await otlpHttp.listen({ host: config.host, port: config.otlpHttpPort });
  const grpc = await startOtlpGrpc(ingest, config.host, config.otlpGrpcPort, config.maxBodyBytes, config.token);
  if (tempo) await tempo.listen({ host: config.host, port: config.tempoPort! });
  if (jaeger) await jaeger.listen({ host: config.host, port: config.jaegerPort! });

  const portOf = (app: FastifyInstance) => {
    const a = app.server.address();
    return typeof a === 'object' && a ? a.port : 0;
  };
  const apiUrl = httpUrl(config.host, portOf(api));
  const endpoints: Endpoints = {
    api: apiUrl,
    ui: apiUrl,
    otlpHttp: httpUrl(config.host, portOf(otlpHttp)),
    otlpGrpc: `${config.host}:${grpc.port}`,
  };
  if (tempo) endpoints.tempo = httpUrl(config.host, portOf(tempo));
  if (jaeger) endpoints.jaeger = httpUrl(config.host, portOf(jaeger));
  parts.setReady(true);
  maintenance.start(() => pipeline.requestMaintenance());

  let closing: Promise<void> | null = null;
  const close = () => (closing ??= closeTracehub(parts, grpc));
  return { endpoints, store, pipeline, logger, close };
}
