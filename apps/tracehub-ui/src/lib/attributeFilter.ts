// From "what is different" to the search: a clicked value becomes a search
// filter, and the search's time window becomes the analysis window. Pure.
import { timeWindow, type SearchState } from './searchState';
import type { AnalysisScope } from './types';

const STATUSES = ['error', 'ok', 'unset'] as const;
const KINDS = ['unspecified', 'internal', 'server', 'client', 'producer', 'consumer'];

/**
 * The search with key=value added as a filter, or null when no search field
 * can express it. Span and resource keys become `attr.<key>=<value>`
 * (replacing a filter on the same key); the intrinsics map to the matching
 * field: span.name → operation, span.status → status, span.kind → a TraceQL
 * `{ kind = … }` when the TraceQL field is empty.
 */
export function filterForValue(s: SearchState, scope: AnalysisScope, key: string, value: string): SearchState | null {
  if (scope !== 'intrinsic') {
    const attrs = s.attrs.filter((a) => a.key !== key);
    return { ...s, attrs: [...attrs, { key, value }] };
  }
  if (key === 'span.name') return { ...s, operation: value };
  if (key === 'span.status') return (STATUSES as readonly string[]).includes(value) ? { ...s, status: value as SearchState['status'] } : null;
  if (key === 'span.kind') return KINDS.includes(value) && !s.q.trim() ? { ...s, q: `{ kind = ${value} }` } : null;
  return null;
}

/** How a filter for key=value reads in the search form, for a button's title. */
export function filterLabel(scope: AnalysisScope, key: string, value: string): string {
  if (scope !== 'intrinsic') return `attribute ${key} = ${value}`;
  if (key === 'span.name') return `operation ${value}`;
  if (key === 'span.status') return `status ${value}`;
  return `TraceQL { kind = ${value} }`;
}

const ns = (ms: number) => `${BigInt(Math.floor(ms)) * 1_000_000n}`;

/**
 * The analysis window for a search, as ns strings: the search's time range,
 * open ends closed by the earliest trace shown and by now.
 */
export function analysisWindow(s: SearchState, nowMs: number, earliestShownMs: number): { start: string; end: string } {
  const w = timeWindow(s, nowMs);
  const end = w.endMs ?? nowMs;
  const start = Math.min(w.startMs ?? earliestShownMs, end);
  return { start: ns(start), end: ns(Math.ceil(end)) };
}

/** A box drawn on the scatter plot (ms) as the API's selection box. */
export function boxSelection(b: { startMs: number; endMs: number; minDurationMs: number; maxDurationMs: number }) {
  return {
    box: {
      startTimeUnixNano: ns(b.startMs),
      endTimeUnixNano: `${BigInt(Math.ceil(b.endMs)) * 1_000_000n + 999_999n}`,
      minDurationMs: Math.max(0, b.minDurationMs),
      maxDurationMs: Math.max(0, b.maxDurationMs),
    },
  };
}
