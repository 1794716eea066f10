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
export interface TraceReader extends CompareReader {
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
}

/** A span reduced to what structure and timing comparisons read (no attributes). */
export interface SpanOutline {
  traceId: string;
  spanId: string;
  /** '' for a root span */
  parentSpanId: string;
  service: string;
  name: string;
  startNs: bigint;
  endNs: bigint;
  statusCode: number;
}

/** Traces whose root span has this service and name and starts in [startNs, endNs]. */
export interface RootSearch {
  service: string;
  name: string;
  startNs: bigint;
  endNs: bigint;
  excludeTraceId?: string;
  limit: number;
}

/** Read methods for comparisons (compare with a baseline). */
export interface CompareReader {
  /** Ids of traces matching the root search, the latest root start first. */
  tracesByRoot(search: RootSearch): Promise<string[]>;
  /** The span outlines of each given trace that is stored (unknown ids are absent), ordered by start. */
  spanOutlines(traceIds: string[]): Promise<Map<string, SpanOutline[]>>;
}
