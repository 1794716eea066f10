/**
 * Tempo /api/search: query string → TraceSearch, and TraceSearchResult[] →
 * the JSON Grafana's Tempo data source decodes. Grafana's Go and TypeScript
 * decoders read `startTimeUnixNano` and `durationNanos` as strings and
 * `durationMs` as an unsigned integer, so those types are exact here.
 */
import { MISSING_ROOT_NAME } from '../model.js';
import type { SpanPredicate, TraceSearch, TraceSearchResult } from '../store/types.js';
import { parseGoDuration } from './go-duration.js';
import { secondsToNs } from './ids.js';
import { parseLogfmt } from './logfmt.js';
import { BadParam, intParam, one, type Query } from './query-params.js';

export const DEFAULT_LIMIT = 20;
export const MAX_LIMIT = 1000;
export const DEFAULT_SPSS = 3;
export const MAX_SPSS = 1000;

export type CompileTraceQL = (q: string) => SpanPredicate;

/**
 * Throws BadParam for a bad parameter; lets the TraceQL compiler's own errors
 * (`unsupported TraceQL: ...`) through for the caller to answer 400 with.
 */
export function parseTempoSearch(q: Query, compile: CompileTraceQL): TraceSearch {
  const search: TraceSearch = { limit: DEFAULT_LIMIT };

  // Tempo caps limit by configuration rather than failing; do the same.
  search.limit = Math.min(intParam(q, 'limit', DEFAULT_LIMIT, 1, Number.MAX_SAFE_INTEGER), MAX_LIMIT);
  search.spansPerSpanSet = intParam(q, 'spss', DEFAULT_SPSS, 1, MAX_SPSS);

  const start = one(q, 'start');
  const end = one(q, 'end');
  if (start !== undefined) {
    const ns = secondsToNs(start);
    if (ns === null) throw new BadParam(`start must be unix seconds, got "${start}"`);
    search.startNs = ns;
  }
  if (end !== undefined) {
    const ns = secondsToNs(end);
    if (ns === null) throw new BadParam(`end must be unix seconds, got "${end}"`);
    // `end` is a whole second; include traces that start within it.
    search.endNs = ns + 999_999_999n;
  }
  if (search.startNs !== undefined && search.endNs !== undefined && search.endNs < search.startNs) {
    throw new BadParam('end must not be before start');
  }

  for (const name of ['minDuration', 'maxDuration'] as const) {
    const raw = one(q, name);
    if (raw === undefined) continue;
    const ns = parseGoDuration(raw);
    if (ns === null) throw new BadParam(`${name} must be a Go duration such as 100ms or 1.5s, got "${raw}"`);
    if (name === 'minDuration') search.minDurationNs = ns;
    else search.maxDurationNs = ns;
  }

  const tags = one(q, 'tags');
  if (tags !== undefined) {
    const pairs = parseLogfmt(tags);
    if (pairs === null) throw new BadParam(`tags must be logfmt (key=value key2="value 2"), got "${tags}"`);
    for (const { key, value } of pairs) {
      if (key === 'service.name') search.service = value;
      else if (key === 'name') search.operation = value;
      else (search.attributes ??= []).push({ key, value });
    }
  }

  const traceql = one(q, 'q');
  if (traceql !== undefined && traceql.trim() !== '') {
    search.predicate = compile(traceql);
  }
  return search;
}

export interface TempoSearchSpan {
  spanID: string;
  name: string;
  startTimeUnixNano: string;
  durationNanos: string;
  attributes: { key: string; value: { stringValue: string } }[];
}
export interface TempoSpanSet {
  spans: TempoSearchSpan[];
  matched: number;
}
export interface TempoSearchTrace {
  traceID: string;
  rootServiceName: string;
  rootTraceName: string;
  startTimeUnixNano: string;
  durationMs: number;
  spanSet?: TempoSpanSet;
  spanSets?: TempoSpanSet[];
  serviceStats?: Record<string, { spanCount: number; errorCount?: number }>;
}
export interface TempoSearchResponse {
  traces: TempoSearchTrace[];
  metrics: { inspectedTraces: number; inspectedBytes: string; completedJobs: number; totalJobs: number };
}

const STATUS_NAMES = ['unset', 'ok', 'error'];

export function toTempoSearchResponse(results: TraceSearchResult[]): TempoSearchResponse {
  const traces = results.map((r): TempoSearchTrace => {
    const s = r.summary;
    const durationNs = s.endTimeUnixNano - s.startTimeUnixNano;
    const t: TempoSearchTrace = {
      traceID: s.traceId,
      // Tempo spells a missing root this way too; Grafana shows it as is.
      rootServiceName: s.rootService === '' ? MISSING_ROOT_NAME : s.rootService,
      rootTraceName: s.rootName,
      startTimeUnixNano: s.startTimeUnixNano.toString(),
      // Grafana's Go decoder reads durationMs into a uint32: whole ms only.
      durationMs: Number(durationNs > 0n ? durationNs / 1_000_000n : 0n),
      serviceStats: Object.fromEntries(
        s.services.map((svc) => [
          svc.name,
          svc.errorCount > 0 ? { spanCount: svc.spanCount, errorCount: svc.errorCount } : { spanCount: svc.spanCount },
        ]),
      ),
    };
    if (r.matched) {
      const set: TempoSpanSet = {
        spans: r.matched.spans.map((m) => {
          const attributes = [{ key: 'service.name', value: { stringValue: m.service } }];
          if (m.statusCode !== 0) attributes.push({ key: 'status', value: { stringValue: STATUS_NAMES[m.statusCode] ?? 'unset' } });
          return {
            spanID: m.spanId,
            name: m.name,
            startTimeUnixNano: m.startTimeUnixNano.toString(),
            durationNanos: m.durationNs.toString(),
            attributes,
          };
        }),
        matched: r.matched.total,
      };
      // `spanSet` is the older single-set field; Grafana reads `spanSets` when present.
      t.spanSet = set;
      t.spanSets = [set];
    }
    return t;
  });
  return {
    traces,
    metrics: { inspectedTraces: traces.length, inspectedBytes: '0', completedJobs: 1, totalJobs: 1 },
  };
}
