import { SpanStatusCode, trace, type Attributes as OtelAttributes, type Span, type Tracer } from '@opentelemetry/api';
import { Attributes } from './names.js';

// Looked up once, not per span (the provider builds a key and searches its map on every getTracer).
// Safe before the SDK starts: the API hands out a proxy that follows the provider once registered.
let cached: Tracer | undefined;
const tracer = () => (cached ??= trace.getTracer('@tracelab/telemetry'));

/** Class of an error for `error.type`: a coded error's code, else its constructor name. */
export function errorType(err: unknown): string {
  if (err && typeof err === 'object') {
    const code = (err as { code?: unknown }).code;
    if (typeof code === 'string' && code) return code;
    const name = (err as { name?: unknown }).name;
    if (typeof name === 'string' && name) return name;
  }
  return '_OTHER';
}

/** Marks a span as failed the way the seed shows it: ERROR status, exception event, error.type. */
export function recordFailure(span: Span, err: unknown): void {
  const e = err instanceof Error ? err : new Error(String(err));
  span.recordException(e);
  span.setStatus({ code: SpanStatusCode.ERROR, message: e.message });
  span.setAttribute(Attributes.ERROR_TYPE, errorType(err));
}

/**
 * Runs `fn` inside a new active INTERNAL span: children (pg, fetch) nest under
 * it; on failure the span records the exception and the error is rethrown.
 * One `then` on fn's promise rather than an async wrapper around an await:
 * each promise costs an AsyncLocalStorage hook on Node 20 (bench/README).
 */
export function withSpan<T>(name: string, attributes: OtelAttributes, fn: (span: Span) => Promise<T>): Promise<T> {
  return tracer().startActiveSpan(name, { attributes }, (span) => {
    let running: Promise<T>;
    try {
      running = fn(span);
    } catch (err) {
      recordFailure(span, err);
      span.end();
      return Promise.reject(err);
    }
    return running.then(
      (value) => {
        span.end();
        return value;
      },
      (err: unknown) => {
        recordFailure(span, err);
        span.end();
        throw err;
      },
    );
  });
}
