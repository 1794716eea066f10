import type { LogRecordData, SpanRecord, TraceSummary } from '../model.js';

/** A compiled span predicate (e.g. from TraceQL): SQL over `spans s`, joined to `trace_summaries t`. */
export interface SpanPredicate {
  /** Boolean SQL expression; may reference `s.*` (spans) and `t.*` (trace_summaries). */
  sql: string;
  /** Values for the `?` placeholders in `sql`, in order. */
  params: (string | number | bigint | boolean)[];
  /** True when `sql` references `t.` (the trace_summaries view), so the caller must join it. */
  needsTrace: boolean;
  /**
   * The same predicate for spans starting at or after `fromNs`, when it can use
   * that to read fewer rows (e.g. attribute lookups bounded by time).
   */
  withTimeFloor?: (fromNs: bigint) => SpanPredicate;
}

export interface TraceSearch {
  service?: string;
  operation?: string;
  /** 'error': the trace has an ERROR span; 'ok'/'unset': it has none (and a span with that status). */
  status?: 'error' | 'ok' | 'unset';
  minDurationNs?: bigint;
  maxDurationNs?: bigint;
  /** Trace start window, ns. */
  startNs?: bigint;
  endNs?: bigint;
  /** Span or resource attribute equal (as text) to the value; all must hold (on any span of the trace). */
  attributes?: { key: string; value: string }[];
  /** A span-level predicate (TraceQL); a trace matches when one of its spans does. */
  predicate?: SpanPredicate;
  limit: number;
  /** With a predicate: how many matched spans to return per trace (Tempo's spss). */
  spansPerSpanSet?: number;
}

/** A span as a search result's spanset lists it. */
export interface MatchedSpan {
  spanId: string;
  name: string;
  service: string;
  startTimeUnixNano: bigint;
  durationNs: bigint;
  statusCode: number;
}

export interface TraceSearchResult {
  summary: TraceSummary;
  /** Only with a predicate: the first spansPerSpanSet matching spans and the total count. */
  matched?: { spans: MatchedSpan[]; total: number };
}

export interface Dependency {
  parent: string;
  child: string;
  callCount: number;
  errorCount: number;
  /** p95 of the child spans' durations, ms. */
  p95Ms: number;
}

/** The read side of the store, as the query layers (/api/v1, Tempo, Jaeger) see it. */
export interface TraceReader {
  getTrace(traceId: string): Promise<SpanRecord[] | null>;
  searchTraces(search: TraceSearch): Promise<TraceSearchResult[]>;
  services(): Promise<string[]>;
  operations(service: string): Promise<{ name: string; kind: number }[]>;
  /** Attribute keys seen, by scope. */
  attributeKeys(): Promise<{ key: string; scope: 'span' | 'resource' }[]>;
  attributeValues(key: string, scope: 'span' | 'resource' | 'any', limit: number): Promise<{ value: string; vtype: string }[]>;
  /** Caller→callee service edges from parent/child spans that cross services, in [startNs, endNs]. */
  dependencies(startNs: bigint, endNs: bigint): Promise<Dependency[]>;
  logs(traceId: string, spanId?: string): Promise<LogRecordData[]>;
  /** Attribute value counts of a selection of traces against the rest of a window (see AttributeAnalysisQuery). */
  attributeAnalysis(query: AttributeAnalysisQuery): Promise<AttributeAnalysisData>;
}

// ------------------------------------------------ attribute analysis ("what is different")

/** Which traces of the window form the selection; the others are the baseline. */
export type AttributeSelection =
  | { kind: 'status'; status: 'error' }
  /** Trace start in [startNs, endNs] and trace duration in [minDurationNs, maxDurationNs]. */
  | { kind: 'box'; startNs: bigint; endNs: bigint; minDurationNs: bigint; maxDurationNs: bigint }
  /** Traces with a span matching the predicate (TraceQL). */
  | { kind: 'predicate'; predicate: SpanPredicate };

export interface AttributeAnalysisQuery {
  /** Window on trace start, ns. */
  startNs: bigint;
  endNs: bigint;
  selection: AttributeSelection;
  /** Traces per set: the most recent ones when there are more. */
  limit: number;
  /** Values returned per key: those with the largest share in either set. */
  valuesPerKey: number;
}

export interface AttributeSetTotals {
  /** Traces analysed (at most `limit`). */
  traceCount: number;
  /** Traces in the set before sampling. */
  totalTraceCount: number;
  /** Spans of the analysed traces. */
  spanCount: number;
  /** Sum of the analysed spans' self time, ns. */
  timeNs: number;
}

/** One value of one key, counted in both sets. */
export interface AttributeValueCounts {
  scope: 'span' | 'resource' | 'intrinsic';
  key: string;
  value: string;
  /** Traces of the set with a span carrying key=value. */
  selTraces: number;
  baseTraces: number;
  /** Self time (ns) of the set's spans carrying key=value. */
  selTimeNs: number;
  baseTimeNs: number;
  /** Spans with key=value in both sets together. */
  spans: number;
  /** Of the key (before the per-key cut): how many distinct values, and how many of them are on one span only. */
  keyDistinctValues: number;
  keySingletonValues: number;
}

export interface AttributeAnalysisData {
  selection: AttributeSetTotals;
  baseline: AttributeSetTotals;
  values: AttributeValueCounts[];
}
