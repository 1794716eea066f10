// I/O: makes a spec's request against the running system, reads its trace
// back from tracehub, and evaluates the spec.
import type { TraceDetail } from '@tracelab/api-contract';
import { evaluate, type Answer } from './evaluate.js';
import type { SuiteResult } from './junit.js';
import { observe, type SettleState } from './settle.js';
import { traceIdFrom } from './trace-id.js';
import type { Spec, TraceSpan } from './types.js';

export interface RunOptions {
  /** Base URL of the service the spec's request goes to (order-service). */
  orderUrl: string;
  tracehubUrl: string;
  /** Give up waiting for the trace after this long (ms). @default 5000 */
  timeoutMs?: number;
  /** The trace is complete once whole and unchanged this long (ms). @default 500 */
  settleMs?: number;
  /** Extra headers on every request (e.g. a traceparent to continue). */
  headers?: Record<string, string>;
}

export async function runSpec(spec: Spec, opts: RunOptions): Promise<SuiteResult> {
  const started = performance.now();
  const suite = (fields: Partial<SuiteResult>): SuiteResult => ({
    name: spec.name,
    file: spec.file,
    seconds: (performance.now() - started) / 1000,
    results: [],
    ...fields,
  });

  let answer: Answer;
  let traceresponse: string | null;
  const url = requestUrl(opts.orderUrl, spec);
  try {
    const res = await fetch(url, {
      method: spec.request.method,
      headers: { ...(spec.request.body !== undefined ? { 'content-type': 'application/json' } : {}), ...spec.request.headers, ...opts.headers },
      body: spec.request.body !== undefined ? JSON.stringify(spec.request.body) : undefined,
      signal: AbortSignal.timeout(30_000),
    });
    const text = await res.text();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    answer = { status: res.status, body };
    traceresponse = res.headers.get('traceresponse');
  } catch (err) {
    const e = err as Error & { cause?: { code?: string; message?: string } };
    return suite({ error: `${spec.request.method} ${url} failed: ${e.cause?.code ?? e.cause?.message ?? e.message}. Is the system running (npm start)?` });
  }

  const traceId = traceIdFrom(traceresponse, answer.body);
  if (!traceId) {
    return suite({ error: `the answer (HTTP ${answer.status}) names no trace: no traceresponse header and no traceId in the body. Is tracing disabled (OTEL_SDK_DISABLED)?` });
  }
  let spans: TraceSpan[] | undefined;
  try {
    spans = await readTrace(opts.tracehubUrl, traceId, opts.timeoutMs ?? 5000, opts.settleMs ?? 500);
  } catch (err) {
    return suite({ traceId, error: `reading trace ${traceId} from ${opts.tracehubUrl}: ${(err as Error).message}` });
  }
  if (!spans) return suite({ traceId, error: `trace ${traceId} did not arrive in tracehub at ${opts.tracehubUrl} within ${opts.timeoutMs ?? 5000} ms` });
  return suite({ traceId, results: evaluate(spec, answer, spans) });
}

export function requestUrl(base: string, spec: Spec): string {
  const url = new URL(spec.request.path, base.replace(/\/*$/, '/'));
  // Keep a base path (e.g. http://host/api) in front of the spec's absolute path.
  const basePath = new URL(base).pathname.replace(/\/+$/, '');
  url.pathname = basePath + new URL(spec.request.path, 'http://x').pathname;
  for (const [k, v] of Object.entries(spec.request.query)) url.searchParams.set(k, v);
  return url.toString();
}

/**
 * Polls GET /api/v1/traces/{id} until the trace is whole and stable for
 * settleMs, or timeoutMs passes; then returns what arrived (undefined if
 * nothing did). Connection failures are thrown: tracehub is down.
 */
export async function readTrace(tracehubUrl: string, traceId: string, timeoutMs: number, settleMs: number): Promise<TraceSpan[] | undefined> {
  const deadline = Date.now() + timeoutMs;
  let state: SettleState | undefined;
  let spans: TraceSpan[] | undefined;
  for (;;) {
    const res = await fetch(`${tracehubUrl.replace(/\/+$/, '')}/api/v1/traces/${traceId}`, { signal: AbortSignal.timeout(5000) });
    if (res.ok) {
      spans = ((await res.json()) as TraceDetail).spans;
      const seen = observe(state, spans, Date.now(), settleMs);
      state = seen.state;
      if (seen.settled) return spans;
    } else if (res.status !== 404) {
      throw new Error(`tracehub answered HTTP ${res.status}: ${(await res.text()).slice(0, 200)}`);
    } else {
      await res.body?.cancel();
    }
    if (Date.now() >= deadline) return spans;
    await new Promise((r) => setTimeout(r, 100));
  }
}
