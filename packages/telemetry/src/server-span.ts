import type { IncomingMessage } from 'node:http';
import type { Span } from '@opentelemetry/api';

// The HTTP instrumentation's requestHook files the SERVER span of each incoming
// request here, because framework spans (e.g. @fastify/otel's `request`) become
// the active span inside handlers and the SERVER span is what `traceresponse`
// must name. Kept on globalThis so a second copy of this module still shares it.
const KEY = Symbol.for('tracelab.telemetry.serverSpans');
type Registry = WeakMap<IncomingMessage, Span>;
const g = globalThis as unknown as Record<symbol, Registry | undefined>;
const registry: Registry = (g[KEY] ??= new WeakMap());

export function rememberServerSpan(req: IncomingMessage, span: Span): void {
  registry.set(req, span);
}

/** The HTTP SERVER span of an incoming request, if the SDK traced it. */
export function serverSpanOf(req: IncomingMessage): Span | undefined {
  return registry.get(req);
}
