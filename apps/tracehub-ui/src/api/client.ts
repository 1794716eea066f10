// All HTTP calls to the tracehub API. Each returns domain types via convert.ts
// and throws ApiError with a message a user can act on.
import type { AnalysisRequest, AttributeAnalysis, AttributeKey, LogRecord, Operation, TraceDetail, TraceSummary } from '../lib/types';
import {
  toApiError,
  toAttributeAnalysis,
  toAttributeKeys,
  toLogs,
  toOperations,
  toStringList,
  toTraceDetail,
  toTraceList,
  toTraceSummary,
} from './convert';
import type { Comparison } from '../lib/types';
import { toComparison } from './convertCompare';
import { fromCompactTrace, isCompactTrace } from './convertCompact';
import { toIncomingLinks } from './convertLinks';
import type { IncomingLink } from '../lib/types';
import { toImportResult, type ImportResult } from './convertImport';
import { toServiceMap } from './convert';
import type { Diagnosis } from '../lib/doctor';
import { toDiagnosis } from './convertDoctor';
import type { ServiceMap } from '../lib/serviceMap';

export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export async function getJson(path: string, signal?: AbortSignal, init: RequestInit = {}): Promise<unknown> {
  let res: Response;
  try {
    res = await fetch(path, { signal: signal ?? null, ...init, headers: { accept: 'application/json', ...init.headers } });
  } catch (e) {
    if ((e as Error).name === 'AbortError') throw e;
    throw new ApiError('Cannot reach tracehub. Is it running? Start it with `npm run hub`.', 0, 'NETWORK');
  }
  let body: unknown;
  try {
    body = await res.json();
  } catch {
    throw new ApiError(`tracehub answered ${res.status} with a body that is not JSON (${path}).`, res.status, 'BAD_BODY');
  }
  if (!res.ok) {
    const err = toApiError(body);
    throw new ApiError(err?.message ?? `tracehub answered ${res.status} for ${path}.`, res.status, err?.code ?? 'HTTP');
  }
  return body;
}

const enc = encodeURIComponent;

export async function searchTraces(params: URLSearchParams, signal?: AbortSignal): Promise<TraceSummary[]> {
  return toTraceList(await getJson(`/api/v1/traces?${params}`, signal));
}

/**
 * A trace in the compact wire format (resources, scopes and strings once), or
 * with `root` only that span's subtree (`subtree` then says of how many spans).
 */
export async function getTrace(
  traceId: string,
  signal?: AbortSignal,
  root?: string,
  format: 'compact' | 'json' = 'compact',
): Promise<TraceDetail & { subtree?: { rootSpanId: string; traceSpanCount: number } }> {
  const q = new URLSearchParams({ format });
  if (root) q.set('root', root);
  const body = await getJson(`/api/v1/traces/${enc(traceId)}?${q}`, signal);
  // Marks for the UI benchmark: JSON parsed, then converted (TracePage marks that).
  performance.mark('trace-parsed');
  const trace = isCompactTrace(body) ? fromCompactTrace(body) : toTraceDetail(body);
  const sub = (body as { subtree?: { rootSpanId?: unknown; traceSpanCount?: unknown } }).subtree;
  if (sub && typeof sub.rootSpanId === 'string' && typeof sub.traceSpanCount === 'number') {
    return { ...trace, subtree: { rootSpanId: sub.rootSpanId, traceSpanCount: sub.traceSpanCount } };
  }
  return trace;
}

/** GET /api/v1/traces/{id}/search: ids of the spans Find matches, found by the hub (for large traces). */
export async function searchInTrace(traceId: string, text: string, signal?: AbortSignal): Promise<{ spanIds: string[]; total: number }> {
  const body = (await getJson(`/api/v1/traces/${enc(traceId)}/search?${new URLSearchParams({ q: text, limit: '1000000' })}`, signal)) as {
    spanIds?: unknown;
    total?: unknown;
  };
  if (!Array.isArray(body.spanIds) || !body.spanIds.every((x) => typeof x === 'string') || typeof body.total !== 'number') {
    throw new ApiError('tracehub sent a trace search answer without spanIds and total.', 200, 'BAD_BODY');
  }
  return { spanIds: body.spanIds as string[], total: body.total };
}

export async function getServices(signal?: AbortSignal): Promise<string[]> {
  return toStringList(await getJson('/api/v1/services', signal), 'services');
}

export async function getOperations(service: string, signal?: AbortSignal): Promise<Operation[]> {
  return toOperations(await getJson(`/api/v1/services/${enc(service)}/operations`, signal));
}

export async function getAttributeKeys(signal?: AbortSignal): Promise<AttributeKey[]> {
  return toAttributeKeys(await getJson('/api/v1/attributes', signal));
}

export async function getAttributeValues(
  key: string,
  scope: 'span' | 'resource' | undefined,
  signal?: AbortSignal,
): Promise<string[]> {
  const q = new URLSearchParams({ limit: '50' });
  if (scope) q.set('scope', scope);
  return toStringList(await getJson(`/api/v1/attributes/${enc(key)}/values?${q}`, signal), 'values');
}

export async function getLogs(traceId: string, spanId: string | undefined, signal?: AbortSignal): Promise<LogRecord[]> {
  const q = new URLSearchParams({ traceId });
  if (spanId) q.set('spanId', spanId);
  return toLogs(await getJson(`/api/v1/logs?${q}`, signal));
}

/**
 * Subscribe to new and updated traces. Returns a function that closes the
 * stream. EventSource reconnects by itself; `onState` reports it.
 */
export function subscribeLive(
  onTrace: (t: TraceSummary) => void,
  onState: (state: 'open' | 'reconnecting') => void,
): () => void {
  const es = new EventSource('/api/v1/live');
  es.addEventListener('open', () => onState('open'));
  es.addEventListener('error', () => onState('reconnecting'));
  es.addEventListener('trace', (ev) => {
    try {
      onTrace(toTraceSummary(JSON.parse((ev as MessageEvent<string>).data), 'live trace'));
    } catch (e) {
      console.warn('ignored a live event that is not a trace summary', e);
    }
  });
  return () => es.close();
}

/** The service map of [startMs, endMs] (GET /api/v1/dependencies). */
export async function getServiceMap(startMs: number, endMs: number, signal?: AbortSignal): Promise<ServiceMap> {
  const q = new URLSearchParams({ start: String(startMs), end: String(endMs) });
  return toServiceMap(await getJson(`/api/v1/dependencies?${q}`, signal));
}

/** The traces holding a call along one map edge, newest first (GET /api/v1/dependencies/traces). */
export async function getEdgeTraces(
  edge: { source: string; target: string },
  startMs: number,
  endMs: number,
  signal?: AbortSignal,
): Promise<TraceSummary[]> {
  const q = new URLSearchParams({ source: edge.source, target: edge.target, start: String(startMs), end: String(endMs), limit: '50' });
  return toTraceList(await getJson(`/api/v1/dependencies/traces?${q}`, signal));
}

/** What sets a selection of traces apart from the rest of the window (POST /api/v1/analyze/attributes). */
export async function analyzeAttributes(request: AnalysisRequest, signal?: AbortSignal): Promise<AttributeAnalysis> {
  const body = JSON.stringify(request);
  return toAttributeAnalysis(
    await getJson('/api/v1/analyze/attributes', signal, { method: 'POST', body, headers: { 'content-type': 'application/json' } }),
  );
}

/** GET /api/v1/compare with `params` (a, and b or baseline=auto, window, baselineLimit) as given. */
export async function getComparison(params: URLSearchParams, signal?: AbortSignal): Promise<Comparison> {
  return toComparison(await getJson(`/api/v1/compare?${params}`, signal));
}

/** Spans of other traces that link to this trace (GET /api/v1/traces/{id}/links, the hub's default window). */
export async function getIncomingLinks(traceId: string, signal?: AbortSignal): Promise<IncomingLink[]> {
  return toIncomingLinks(await getJson(`/api/v1/traces/${encodeURIComponent(traceId)}/links`, signal));
}

/** Stores the spans of a trace file (OTLP/JSON, OTLP/JSON lines or Jaeger JSON) in the hub (POST /api/v1/import). */
export async function importTraceFile(file: Blob, signal?: AbortSignal): Promise<ImportResult> {
  return toImportResult(await getJson('/api/v1/import', signal, { method: 'POST', body: file, headers: { 'content-type': 'application/json' } }));
}

/** GET /api/v1/traces/{id}/doctor: why the trace does not connect (propagation findings). */
export async function getDiagnosis(traceId: string, signal?: AbortSignal): Promise<Diagnosis> {
  return toDiagnosis(await getJson(`/api/v1/traces/${enc(traceId)}/doctor`, signal));
}
