// Domain types the UI works with. They are produced from the wire JSON by
// src/api/convert.ts only; nothing else in the UI looks at wire shapes.
//
// Where a domain type is exactly a wire type of @tracelab/api-contract, it is derived from it
// (type-only, nothing reaches the bundle), so the two cannot drift: the enums, ServiceCount,
// AttributeKey, the attribute analysis' parts, CompareTrace, IncomingLink (its attributes precise).
// The others differ on purpose: times as microsecond offsets from the trace start (startUs, timeUs)
// and Unix ms beside the ns strings; AnyValue/Attribute recursive all the way down (the contract
// leaves array items and kvlist entries `unknown`, the decoder checks them; AnyValue is
// @tracelab/trace-explain's FindValue); resources and scopes without the fields the UI never shows;
// optional wire fields filled with defaults (CompareSide, Operation.kind); rows with fields the UI
// derives (CompareRow.segments); a request as a union of its exclusive forms (AnalysisSelection).
import type * as wire from '@tracelab/api-contract';
import type { FindValue } from '@tracelab/trace-explain';

/** OTLP AnyValue as tracehub spells it: the type trace-explain's Find and formatValue read, which the UI's spans are handed to as they are. */
export type AnyValue = FindValue;

export interface Attribute {
  key: string;
  value: AnyValue;
}

export type StatusCode = wire.Span['status']['code'];
export type SpanKind = wire.Span['kind'];

export interface SpanEvent {
  /** Microseconds since the trace start. */
  timeUs: number;
  timeUnixNano: string;
  name: string;
  attributes: Attribute[];
}

export interface SpanLink {
  traceId: string;
  spanId: string;
  traceState: string;
  attributes: Attribute[];
}

export interface Resource {
  attributes: Attribute[];
  schemaUrl: string;
}

export interface Scope {
  name: string;
  version: string;
  attributes: Attribute[];
}

/** A span as received, times relative to the trace start in microseconds. */
export interface SpanData {
  traceId: string;
  spanId: string;
  parentSpanId: string | null;
  name: string;
  kind: SpanKind;
  service: string;
  startTimeUnixNano: string;
  /** Microseconds since the earliest span start of the trace. */
  startUs: number;
  durationUs: number;
  status: { code: StatusCode; message: string };
  traceState: string;
  attributes: Attribute[];
  events: SpanEvent[];
  links: SpanLink[];
  resource: Resource;
  scope: Scope;
  droppedAttributesCount: number;
  droppedEventsCount: number;
  droppedLinksCount: number;
}

export type ServiceCount = wire.TraceSummary['services'][number];

export interface TraceSummary {
  traceId: string;
  rootService: string;
  rootName: string;
  startTimeUnixNano: string;
  /** Unix milliseconds of the trace start. */
  startMs: number;
  durationMs: number;
  spanCount: number;
  errorCount: number;
  services: ServiceCount[];
}

export interface TraceDetail {
  summary: TraceSummary;
  /** Unix nanoseconds of the earliest span start; span times are relative to it. */
  startNs: bigint;
  spans: SpanData[];
}

export interface LogRecord {
  timeUnixNano: string;
  timeMs: number;
  severityNumber: number;
  severityText: string;
  body: AnyValue;
  attributes: Attribute[];
  traceId: string | null;
  spanId: string | null;
  eventName: string;
  service: string;
}

export type AttributeKey = wire.AttributeKeys['attributes'][number];

export interface Operation {
  name: string;
  kind: string;
}

// ---------------------------------------------- attribute analysis ("what is different")

export type AttributeDifference = wire.AttributeAnalysis['attributes'][number];
export type AnalysisScope = AttributeDifference['scope'];
export type AnalysisShares = AttributeDifference['values'][number]['selection'];
export type AnalysisSet = wire.AttributeAnalysis['selection'];

export interface AttributeAnalysis {
  selection: AnalysisSet;
  baseline: AnalysisSet;
  sampled: boolean;
  attributes: AttributeDifference[];
  summary: string;
}

/** What POST /api/v1/analyze/attributes compares against the rest of the window. */
export type AnalysisSelection =
  | { box: { startTimeUnixNano: string; endTimeUnixNano: string; minDurationMs: number; maxDurationMs: number } }
  | { status: 'error' }
  | { q: string };

export interface AnalysisRequest {
  selection: AnalysisSelection;
  start?: string;
  end?: string;
}

/** GET /api/v1/compare, as the compare page uses it. */
export type CompareTrace = wire.CompareTrace;

export interface CompareSide {
  count: number;
  durationMs: number;
  selfMs: number;
  errorCount: number;
  spanIds: string[];
  /** Baseline only: share (0..1) of the baseline traces that have the path. */
  presence: number | null;
}

export interface CompareRow {
  path: string;
  /** The ancestors' `service: name` segments, root first (the row's own last). */
  segments: string[];
  depth: number;
  service: string;
  name: string;
  in: 'both' | 'only-a' | 'only-b';
  a: CompareSide | null;
  b: CompareSide | null;
  diffDurationMs: number;
  diffSelfMs: number;
  impact: number;
}

export interface Comparison {
  a: CompareTrace;
  b: CompareTrace | null;
  baseline: { traceCount: number; startMs: number; endMs: number; traceIds: string[] } | null;
  rows: CompareRow[];
  summary: string;
}

/**
 * A span of another trace whose link points at a span of this trace (GET /api/v1/traces/{id}/links):
 * the wire's, with the link's attributes checked all the way down.
 */
export type IncomingLink = Omit<wire.IncomingLinks['incoming'][number], 'attributes'> & { attributes: Attribute[] };
