/**
 * Tempo /api/search: query string → TraceSearch, and TraceSearchResult[] →
 * the JSON Grafana's Tempo data source decodes. Grafana's Go and TypeScript
 * decoders read `startTimeUnixNano` and `durationNanos` as strings and
 * `durationMs` as an unsigned integer, so those types are exact here.
 */
import { MISSING_ROOT_NAME, type TraceSummary } from '../model.js';
import type { TraceSearch, TraceSearchResult } from '../store/types.js';
import type { Pipeline } from '../traceql/ast.js';
import type { SpansetAnswer } from '../traceql/answer.js';
import type { TraceQLSearchAnswer } from '../traceql/search.js';
import type { Value } from '../traceql/values.js';
import { formatGoDuration, parseGoDuration } from './go-duration.js';
import { secondsToNs } from './ids.js';
import { parseLogfmt } from './logfmt.js';
import { badParam, intParam, one, type Query } from './query-params.js';

export const DEFAULT_LIMIT = 20;
export const MAX_LIMIT = 1000;
export const DEFAULT_SPSS = 3;
export const MAX_SPSS = 1000;

/** The TraceQL query of a search (`q`), parsed; undefined without one. Lets TraceQLError through (a 400). */
export function parseTempoTraceQL(q: Query, parse: (q: string) => Pipeline): Pipeline | undefined {
  const traceql = one(q, 'q');
  return traceql !== undefined && traceql.trim() !== '' ? parse(traceql) : undefined;
}

/** Throws BadParameterError for a bad parameter. `q` is read by parseTempoTraceQL. */
export function parseTempoSearch(q: Query): TraceSearch {
  const search: TraceSearch = { limit: DEFAULT_LIMIT };

  // Tempo caps limit by configuration rather than failing; do the same.
  search.limit = Math.min(intParam(q, 'limit', DEFAULT_LIMIT, 1, Number.MAX_SAFE_INTEGER), MAX_LIMIT);
  search.spansPerSpanSet = intParam(q, 'spss', DEFAULT_SPSS, 1, MAX_SPSS);

  const start = one(q, 'start');
  const end = one(q, 'end');
  if (start !== undefined) {
    const ns = secondsToNs(start);
    if (ns === null) throw badParam('start', `start must be unix seconds, got "${start}"`);
    search.startNs = ns;
  }
  if (end !== undefined) {
    const ns = secondsToNs(end);
    if (ns === null) throw badParam('end', `end must be unix seconds, got "${end}"`);
    // `end` is a whole second; include traces that start within it.
    search.endNs = ns + 999_999_999n;
  }
  if (search.startNs !== undefined && search.endNs !== undefined && search.endNs < search.startNs) {
    throw badParam('end', 'end must not be before start');
  }

  for (const name of ['minDuration', 'maxDuration'] as const) {
    const raw = one(q, name);
    if (raw === undefined) continue;
    const ns = parseGoDuration(raw);
    if (ns === null) throw badParam(name, `${name} must be a Go duration such as 100ms or 1.5s, got "${raw}"`);
    if (name === 'minDuration') search.minDurationNs = ns;
    else search.maxDurationNs = ns;
  }

  const tags = one(q, 'tags');
  if (tags !== undefined) {
    const pairs = parseLogfmt(tags);
    if (pairs === null) throw badParam('tags', `tags must be logfmt (key=value key2="value 2"), got "${tags}"`);
    for (const { key, value } of pairs) {
      if (key === 'service.name') search.service = value;
      else if (key === 'name') search.operation = value;
      else (search.attributes ??= []).push({ key, value });
    }
  }
  return search;
}

export interface TempoSearchSpan {
  spanID: string;
  name: string;
  startTimeUnixNano: string;
  durationNanos: string;
  attributes: TempoAttribute[];
}
export type TempoAnyValue = { stringValue: string } | { intValue: string } | { doubleValue: number } | { boolValue: boolean };
export interface TempoAttribute {
  key: string;
  value: TempoAnyValue;
}
export interface TempoSpanSet {
  spans: TempoSearchSpan[];
  matched: number;
  /** by() values and aggregate results (`by(resource.service.name)`, `count()`). */
  attributes?: TempoAttribute[];
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

function tempoTrace(s: TraceSummary): TempoSearchTrace {
    const durationNs = s.endTimeUnixNano - s.startTimeUnixNano;
    return {
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
}

/** A TraceQL value as Tempo's JSON encodes it (protojson AnyValue: int64 as a string). */
export function tempoValue(v: Value | null): TempoAnyValue {
  if (v === null) return { stringValue: 'nil' };
  switch (v.type) {
    case 'string':
    case 'status':
    case 'kind':
      return { stringValue: v.value };
    case 'int':
      return { intValue: String(v.value) };
    case 'float':
      return { doubleValue: v.value };
    case 'bool':
      return { boolValue: v.value };
    case 'duration':
      return { stringValue: formatGoDuration(v.value) };
  }
}

function tempoSpanSet(a: SpansetAnswer): TempoSpanSet {
  const set: TempoSpanSet = {
    spans: a.spans.map((m) => ({
      spanID: m.spanId,
      name: m.name,
      startTimeUnixNano: m.startTimeUnixNano.toString(),
      durationNanos: m.durationNs.toString(),
      attributes: m.attributes.map(({ key, value }) => ({ key, value: tempoValue(value) })),
    })),
    matched: a.matched,
  };
  if (a.attributes.length > 0) set.attributes = a.attributes.map(({ key, value }) => ({ key, value: tempoValue(value) }));
  return set;
}

/** A TraceQL search's answer: every trace with all its spansets (`spanSet` is the first, for older clients). */
export function toTempoTraceQLResponse(answer: TraceQLSearchAnswer): TempoSearchResponse {
  const traces = answer.results.map((r) => {
    const t = tempoTrace(r.summary);
    t.spanSets = r.spanSets.map(tempoSpanSet);
    if (t.spanSets.length > 0) t.spanSet = t.spanSets[0];
    return t;
  });
  return {
    traces,
    metrics: { inspectedTraces: answer.inspected, inspectedBytes: '0', completedJobs: 1, totalJobs: 1 },
  };
}

export function toTempoSearchResponse(results: TraceSearchResult[]): TempoSearchResponse {
  const traces = results.map((r): TempoSearchTrace => {
    const t = tempoTrace(r.summary);
    if (r.matched) {
      const set: TempoSpanSet = {
        spans: r.matched.spans.map((m) => {
          const attributes: TempoAttribute[] = [{ key: 'service.name', value: { stringValue: m.service } }];
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
