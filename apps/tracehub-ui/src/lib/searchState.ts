import type { TraceSummary } from './types';
import { nsToMs, tryParseDuration } from '@tracelab/units';

export type StatusFilter = '' | 'error' | 'ok' | 'unset';

export const RANGES = {
  '15m': 15 * 60_000,
  '1h': 60 * 60_000,
  '6h': 6 * 60 * 60_000,
  '24h': 24 * 60 * 60_000,
  '7d': 7 * 24 * 60 * 60_000,
} as const;
export type RangeKey = keyof typeof RANGES | 'all' | 'custom';

/** The search as the user sees it; it round-trips through the page URL. */
export interface SearchState {
  service: string;
  operation: string;
  status: StatusFilter;
  minDuration: string;
  maxDuration: string;
  range: RangeKey;
  /** Custom range bounds as `datetime-local` strings (local time). */
  start: string;
  end: string;
  attrs: { key: string; value: string }[];
  q: string;
  limit: number;
}

export const DEFAULT_SEARCH: SearchState = {
  service: '',
  operation: '',
  status: '',
  minDuration: '',
  maxDuration: '',
  range: '1h',
  start: '',
  end: '',
  attrs: [],
  q: '',
  limit: 50,
};

const STATUSES: StatusFilter[] = ['', 'error', 'ok', 'unset'];

export function parseSearch(params: URLSearchParams): SearchState {
  const status = params.get('status') ?? '';
  const range = params.get('range') ?? DEFAULT_SEARCH.range;
  const limit = Number(params.get('limit') ?? DEFAULT_SEARCH.limit);
  const attrs: { key: string; value: string }[] = [];
  for (const a of params.getAll('attr')) {
    const eq = a.indexOf('=');
    if (eq > 0) attrs.push({ key: a.slice(0, eq), value: a.slice(eq + 1) });
  }
  return {
    service: params.get('service') ?? '',
    operation: params.get('operation') ?? '',
    status: (STATUSES as string[]).includes(status) ? (status as StatusFilter) : '',
    minDuration: params.get('minDuration') ?? '',
    maxDuration: params.get('maxDuration') ?? '',
    range: range in RANGES || range === 'all' || range === 'custom' ? (range as RangeKey) : DEFAULT_SEARCH.range,
    start: params.get('start') ?? '',
    end: params.get('end') ?? '',
    attrs,
    q: params.get('q') ?? '',
    limit: Number.isInteger(limit) && limit > 0 && limit <= 1000 ? limit : DEFAULT_SEARCH.limit,
  };
}

/** The page URL's query string for a search; defaults are left out to keep links short. */
export function searchToParams(s: SearchState): URLSearchParams {
  const p = new URLSearchParams();
  if (s.service) p.set('service', s.service);
  if (s.operation) p.set('operation', s.operation);
  if (s.status) p.set('status', s.status);
  if (s.minDuration) p.set('minDuration', s.minDuration);
  if (s.maxDuration) p.set('maxDuration', s.maxDuration);
  if (s.range !== DEFAULT_SEARCH.range) p.set('range', s.range);
  if (s.range === 'custom') {
    if (s.start) p.set('start', s.start);
    if (s.end) p.set('end', s.end);
  }
  for (const a of s.attrs) if (a.key) p.append('attr', `${a.key}=${a.value}`);
  if (s.q) p.set('q', s.q);
  if (s.limit !== DEFAULT_SEARCH.limit) p.set('limit', String(s.limit));
  return p;
}

/** The time window [startMs, endMs] a search covers; undefined bounds are open. */
export function timeWindow(s: SearchState, nowMs: number): { startMs?: number; endMs?: number } {
  if (s.range === 'all') return {};
  if (s.range === 'custom') {
    const start = s.start ? Date.parse(s.start) : NaN;
    const end = s.end ? Date.parse(s.end) : NaN;
    return {
      ...(Number.isFinite(start) ? { startMs: start } : {}),
      ...(Number.isFinite(end) ? { endMs: end } : {}),
    };
  }
  return { startMs: nowMs - RANGES[s.range] };
}

/** Query parameters for GET /api/v1/traces. */
export function searchToApiParams(s: SearchState, nowMs: number): URLSearchParams {
  const p = new URLSearchParams();
  if (s.service) p.set('service', s.service);
  if (s.operation) p.set('operation', s.operation);
  if (s.status) p.set('status', s.status);
  if (s.minDuration.trim()) p.set('minDuration', s.minDuration.trim());
  if (s.maxDuration.trim()) p.set('maxDuration', s.maxDuration.trim());
  const w = timeWindow(s, nowMs);
  if (w.startMs !== undefined) p.set('start', String(Math.floor(w.startMs)));
  if (w.endMs !== undefined) p.set('end', String(Math.ceil(w.endMs)));
  for (const a of s.attrs) if (a.key) p.set(`attr.${a.key}`, a.value);
  if (s.q.trim()) p.set('q', s.q.trim());
  p.set('limit', String(s.limit));
  return p;
}

/**
 * A Go-style duration ("100ms", "1.5s", "250us", or a plain number of ms) in
 * milliseconds; NaN when it cannot be read. Mirrors the server's parser so
 * live results are filtered the same way as searched ones.
 */
export function parseDurationMs(text: string): number {
  const ns = tryParseDuration(text.trim(), { bareUnit: 'ms' });
  return ns === null ? NaN : nsToMs(ns);
}

/**
 * Whether a live trace summary belongs in the results. Operation, attribute
 * and TraceQL filters need the spans, which a summary lacks: `undefined`
 * means "ask the server" (the page re-runs the search).
 */
export function liveMatch(s: SearchState, t: TraceSummary, nowMs: number): boolean | undefined {
  if (s.service && !t.services.some((x) => x.name === s.service)) return false;
  if (s.status === 'error' && t.errorCount === 0) return false;
  const min = parseDurationMs(s.minDuration);
  if (Number.isFinite(min) && t.durationMs < min) return false;
  const max = parseDurationMs(s.maxDuration);
  if (Number.isFinite(max) && t.durationMs > max) return false;
  const w = timeWindow(s, nowMs);
  if (w.endMs !== undefined && t.startMs > w.endMs) return false;
  if (w.startMs !== undefined && t.startMs < w.startMs) return false;
  if (s.operation || s.attrs.some((a) => a.key) || s.q.trim() || s.status === 'ok' || s.status === 'unset') {
    return undefined;
  }
  return true;
}

/** Insert or replace a trace in a newest-first list, keeping at most `limit`. */
export function upsertSummary(list: readonly TraceSummary[], t: TraceSummary, limit: number): TraceSummary[] {
  const rest = list.filter((x) => x.traceId !== t.traceId);
  const out = [...rest];
  let i = 0;
  while (i < out.length && out[i]!.startMs > t.startMs) i++;
  out.splice(i, 0, t);
  return out.slice(0, limit);
}
