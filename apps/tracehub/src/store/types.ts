import type { Attribute, LogRecordData, Resource, Scope, SpanLink, SpanRecord, TraceSummary } from '../model.js';
import type { MetricsCell } from '../traceql/metrics.js';
import type { CompareCell } from '../traceql/metrics-compare.js';
import type { CompareCellQuery } from './metrics-compare-sql.js';
import type { MetricsCellQuery } from './metrics-sql.js';
import type { AttrType } from './rows.js';

/** A span's rare fields as stored (event times are decimal Unix ns). */
export interface StoredRare {
  events: { timeUnixNano: string; name: string; attributes: Attribute[]; droppedAttributesCount: number }[];
  links: SpanLink[];
  droppedAttributesCount: number;
  droppedEventsCount: number;
  droppedLinksCount: number;
}

/**
 * Some spans of a trace as the store keeps them, as columns (span i of the slice is index i of
 * each span column), handed to a StoredTraceSink before any record is built: times as offsets,
 * the resource and scope as numbers, the attributes as their rows (key numbers, value text).
 */
export interface StoredSlice {
  spanId: string[];
  parentSpanId: string[];
  name: string[];
  kind: number[];
  /** ns after the trace's first start (StoredTraceContext.startNs). */
  startOffsetNs: number[];
  durationNs: number[];
  statusCode: number[];
  statusMessage: string[];
  resourceId: string[];
  scopeId: number[];
  traceState: string[];
  flags: number[];
  /** Span i's attribute rows are k in [attrStart[i], attrStart[i + 1]), in their order; keys are numbers (keyOf). */
  attrStart: Int32Array;
  attrKey: number[];
  attrType: AttrType[];
  attrStr: string[];
  /** The number of a finite double or of an int (its digits in attrStr are the exact value); null otherwise. */
  attrNum: (number | null)[];
  /** The spans (by index) that have events, links or dropped counts. */
  rare: Map<number, StoredRare>;
}

/** What a StoredTraceSink is opened with. */
export interface StoredTraceContext {
  traceId: string;
  /** The earliest start of the trace's spans. */
  startNs: bigint;
  keyOf(keyId: number): string;
  scopeOf(scopeId: number): Scope;
}

/** Takes a trace's spans slice by slice, in the store's order (start time, then span id). */
export interface StoredTraceSink<T> {
  slice(s: StoredSlice): void;
  /** After the last span: `resourceOf` resolves the resource ids the spans carried. */
  end(resourceOf: (resourceId: string) => Resource): T;
}

export type { CompareCellQuery } from './metrics-compare-sql.js';
export type { MetricsCellQuery } from './metrics-sql.js';

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
  /**
   * Conditions that must all hold on one span, the same span that has `service`
   * and `operation` when those are given (Jaeger's find-traces semantics).
   */
  span?: SpanConditions;
  /** A span-level predicate (TraceQL); a trace matches when one of its spans does. */
  predicate?: SpanPredicate;
  limit: number;
  /** With a predicate: how many matched spans to return per trace (Tempo's spss). */
  spansPerSpanSet?: number;
}

/** Filters on a single span; all optional, all must hold together. */
export interface SpanConditions {
  /** The span starts in [startNs, endNs]. */
  startNs?: bigint;
  endNs?: bigint;
  minDurationNs?: bigint;
  maxDurationNs?: bigint;
  /** true: status ERROR; false: any other status. */
  error?: boolean;
  /** Tags as Jaeger shows them: attributes, resource, events, scope, links and the synthetic tags. */
  tags?: { key: string; value: string }[];
  /** Attributes of the span itself or of its resource, equal as text (what `/api/v1`'s `attr.<key>` means). */
  attributes?: SpanAttributeCondition[];
}

export interface SpanAttributeCondition {
  key: string;
  value: string;
  /**
   * Set by the store from its attribute index (attribute-index.ts): no resource
   * has the attribute, and only these batches (ingest_seq ranges, inclusive) can
   * hold a span that has it, so only their rows are read.
   */
  batches?: [bigint, bigint][];
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
  /**
   * A whole trace handed to a sink slice by slice, as columns, without a record per span (the compact trace
   * detail at a million spans); null when no span of it is stored.
   */
  readTrace<T>(traceId: string, open: (t: StoredTraceContext) => StoredTraceSink<T>): Promise<T | null>;
  /**
   * The spans of many traces in one read, keyed by trace id (unknown ids absent).
   * `bounds` (every span of the traces starts in it) lets the read skip older and newer rows.
   */
  getTraces(traceIds: string[], bounds?: { startNs: bigint; endNs: bigint }): Promise<Map<string, SpanRecord[]>>;
  searchTraces(search: TraceSearch): Promise<TraceSearchResult[]>;
  services(): Promise<string[]>;
  operations(service: string): Promise<{ name: string; kind: number }[]>;
  /** Attribute keys seen, by scope. */
  attributeKeys(): Promise<{ key: string; scope: 'span' | 'resource' }[]>;
  attributeValues(key: string, scope: 'span' | 'resource' | 'any', limit: number): Promise<{ value: string; vtype: string }[]>;
  /** Caller→callee service edges from parent/child spans that cross services, in [startNs, endNs]. */
  dependencies(startNs: bigint, endNs: bigint): Promise<Dependency[]>;
  logs(traceId: string, spanId?: string): Promise<LogRecordData[]>;
  /** RED aggregates per group and point (see RedQuery). */
  redMetrics(q: RedQuery): Promise<RedRow[]>;
  /** Per bucket of [startNs + k*stepNs, +stepNs) (cut at endNs): how many spans started, and the `lab.faults` values they carried. */
  faultBuckets(startNs: bigint, stepNs: bigint, points: number, endNs?: bigint): Promise<FaultBucket[]>;
  /** The service map's raw rows in [startNs, endNs] (shaped by analysis/service-graph.ts). */
  serviceGraph(startNs: bigint, endNs: bigint): Promise<ServiceGraphRows>;
  /** Only the uninstrumented-peer part of serviceGraph (calls grouped by source and peer attributes). */
  peerCalls(startNs: bigint, endNs: bigint): Promise<PeerCallRow[]>;
  /** Summaries of the traces, newest first, holding a call from `source` to `target` in [startNs, endNs]. */
  dependencyTraces(startNs: bigint, endNs: bigint, source: string, target: EdgeTarget, limit: number): Promise<TraceSummary[]>;
  /** Attribute value counts of a selection of traces against the rest of a window (see AttributeAnalysisQuery). */
  attributeAnalysis(query: AttributeAnalysisQuery): Promise<AttributeAnalysisData>;
  /** TraceQL metrics aggregated in the store: one cell per group, interval (and log2 bucket). See store/metrics-sql.ts. */
  metricsCells(query: MetricsCellQuery): Promise<MetricsCell[]>;
  /** compare()'s attribute value counts, selection vs baseline, per interval. See store/metrics-compare-sql.ts. */
  compareCells(query: CompareCellQuery): Promise<CompareCell[]>;
  /** Spans of other traces linking to the trace (links-query.ts); null when the trace is not stored. */
  incomingLinks(query: IncomingLinkQuery): Promise<IncomingLink[] | null>;
  /** Entry and call spans of other traces that may be the far end of a broken hop (see HopCandidateQuery). */
  hopCandidates(query: HopCandidateQuery): Promise<HopSpan[]>;
}

/** Links into `traceId` from spans starting within ±windowNs of the trace's time span; at most `limit` linking spans. */
export interface IncomingLinkQuery {
  traceId: string;
  windowNs: bigint;
  limit: number;
}

/** A span of another trace with a link to the trace (to its span `linkedSpanId`). */
export interface IncomingLink {
  traceId: string;
  spanId: string;
  service: string;
  name: string;
  linkedSpanId: string;
  attributes: Attribute[];
}

// ------------------------------------------------ propagation doctor

/** Spans of traces other than `excludeTraceId` that could be the other end of a call of it. */
export interface HopCandidateQuery {
  excludeTraceId: string;
  /** Root SERVER/CONSUMER spans starting in [startNs, endNs]. */
  servers?: { startNs: bigint; endNs: bigint };
  /** CLIENT/PRODUCER spans starting in [startNs, endNs], ending at or after endAfterNs, with no child in another service. */
  clients?: { startNs: bigint; endNs: bigint; endAfterNs: bigint };
  /** Attribute keys to read (text form). */
  keys: readonly string[];
  /** At most this many spans of each of the two sorts (servers earliest first, clients latest first). */
  limit: number;
}

/** A span as the doctor matches calls: outline, kind and a few attributes. */
export interface HopSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string;
  service: string;
  name: string;
  kind: number;
  startNs: bigint;
  endNs: bigint;
  /** Text form of the requested attribute keys it has. */
  attrs: Record<string, string>;
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

/**
 * A RED metrics query. Point k (0 ≤ k < points) aggregates the spans starting
 * in [firstNs + k*stepNs, firstNs + k*stepNs + windowNs); windowNs defaults to
 * stepNs (plain buckets). A longer window makes sliding windows (Jaeger's ratePer).
 */
export interface RedQuery {
  firstNs: bigint;
  stepNs: bigint;
  points: number;
  windowNs?: bigint;
  /** Spans starting at or after this are left out (cuts the last point short). */
  untilNs?: bigint;
  /** Only these services (none: all). */
  services?: string[];
  /** Only spans of this name. */
  operation?: string;
  /** Only these span kinds (numbers as stored); none: any kind. */
  kinds?: number[];
  /** One group per service, or per service and span name. */
  groupBy: 'service' | 'operation';
  /** Duration quantiles to compute, each in (0, 1]. */
  quantiles: number[];
  /** Also one row per group over all points (k = null); plain buckets only. */
  totals?: boolean;
}

export interface RedRow {
  service: string;
  /** null when grouped by service. */
  operation: string | null;
  /** Point index, null for a totals row. */
  k: number | null;
  calls: number;
  errors: number;
  /** One per requested quantile, ns. */
  quantilesNs: number[];
  slowest: { traceId: string; spanId: string; durationNs: number };
  /** The latest ERROR span, when there is one. */
  error: { traceId: string; spanId: string } | null;
}

export interface FaultBucket {
  k: number;
  spans: number;
  /** Distinct `lab.faults` values of spans in the bucket, sorted. */
  faults: string[];
}

// ------------------------------------------------------------ service graph

/** Calls along one edge. Durations are the caller side's (the CLIENT span when there is one, else the callee's span). */
export interface GraphCallStats {
  calls: number;
  /** Calls whose caller CLIENT/PRODUCER span, callee span, or a span the callee service ran under it (not its own CLIENT/PRODUCER calls) has status ERROR. */
  errors: number;
  p50Ns: number;
  p95Ns: number;
  /** A trace with a failed call on the edge, if any. */
  errorTraceId: string | null;
  /** The trace with the slowest call on the edge. */
  slowestTraceId: string | null;
}

/** The attributes that name an uninstrumented peer (null when absent). */
export interface PeerAttributes {
  dbSystemName: string | null;
  dbSystem: string | null;
  dbNamespace: string | null;
  dbName: string | null;
  peerService: string | null;
  serverAddress: string | null;
  serverPort: string | null;
}

export interface ServiceCallRow extends GraphCallStats {
  source: string;
  target: string;
}

/** CLIENT/PRODUCER spans of `source` with no child span in another service, grouped by their peer attributes. */
export interface PeerCallRow extends GraphCallStats {
  source: string;
  peer: PeerAttributes;
}

export interface ServiceNodeRow {
  service: string;
  spans: number;
  /** Entry spans: SERVER or CONSUMER spans, and root spans. */
  calls: number;
  /** Entry spans with an ERROR span (not CLIENT/PRODUCER) at or under them in the same service. */
  errors: number;
  /** A resource of the service has telemetry.sdk.language = webjs. */
  browser: boolean;
}

export interface ServiceGraphRows {
  services: ServiceNodeRow[];
  serviceCalls: ServiceCallRow[];
  peerCalls: PeerCallRow[];
}

/** The far end of an edge: an instrumented service, or any of the peer attribute combinations naming one peer. */
export type EdgeTarget = { service: string } | { peers: PeerAttributes[] };
