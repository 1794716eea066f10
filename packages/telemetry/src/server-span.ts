import type { IncomingMessage } from 'node:http';
import type { Span } from '@opentelemetry/api';

// The HTTP instrumentation's requestHook files the SERVER span of each incoming
// request here, because inside a step span (`check-stock`, ...) the active span
// is that step, while `traceresponse` and request-level events need the SERVER
// span. Kept on globalThis so a second copy of this module still shares it.
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
