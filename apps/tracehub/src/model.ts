/**
 * tracehub's internal record types: what the OTLP decoders produce, what the
 * store keeps and what the query layers read. They mirror OTLP field for field
 * so that every value round-trips exactly.
 *
 * Ids are lower-case hex; timestamps are bigint nanoseconds since the epoch.
 */

export type AnyValue =
  | { type: 'string'; value: string }
  | { type: 'bool'; value: boolean }
  /** Exact int64 as a decimal string. */
  | { type: 'int'; value: string }
  /** Non-finite doubles are spelled as strings so the JSON stays valid. */
  | { type: 'double'; value: number | 'NaN' | 'Infinity' | '-Infinity' }
  /** base64 */
  | { type: 'bytes'; value: string }
  | { type: 'array'; value: AnyValue[] }
  | { type: 'kvlist'; value: Attribute[] }
  | { type: 'empty' };

export interface Attribute {
  key: string;
  value: AnyValue;
}

export interface Resource {
  attributes: Attribute[];
  droppedAttributesCount: number;
  schemaUrl: string;
  /** service.name from the attributes, 'unknown_service' when absent. */
  serviceName: string;
}

export interface Scope {
  name: string;
  version: string;
  attributes: Attribute[];
  droppedAttributesCount: number;
  schemaUrl: string;
}

/** OTLP Span.SpanKind */
export const SpanKind = {
  UNSPECIFIED: 0,
  INTERNAL: 1,
  SERVER: 2,
  CLIENT: 3,
  PRODUCER: 4,
  CONSUMER: 5,
} as const;
export const SPAN_KIND_NAMES = ['unspecified', 'internal', 'server', 'client', 'producer', 'consumer'] as const;
export type SpanKindName = (typeof SPAN_KIND_NAMES)[number];

/** OTLP Status.StatusCode */
export const StatusCode = { UNSET: 0, OK: 1, ERROR: 2 } as const;
export const STATUS_CODE_NAMES = ['unset', 'ok', 'error'] as const;
export type StatusCodeName = (typeof STATUS_CODE_NAMES)[number];

export interface SpanEvent {
  timeUnixNano: bigint;
  name: string;
  attributes: Attribute[];
  droppedAttributesCount: number;
}

export interface SpanLink {
  traceId: string;
  spanId: string;
  traceState: string;
  flags: number;
  attributes: Attribute[];
  droppedAttributesCount: number;
}

export interface SpanRecord {
  traceId: string; // 32 lower-case hex
  spanId: string; // 16 lower-case hex
  /** '' for a root span */
  parentSpanId: string;
  traceState: string;
  flags: number;
  name: string;
  kind: number; // SpanKind
  startTimeUnixNano: bigint;
  endTimeUnixNano: bigint;
  attributes: Attribute[];
  droppedAttributesCount: number;
  events: SpanEvent[];
  droppedEventsCount: number;
  links: SpanLink[];
  droppedLinksCount: number;
  statusCode: number; // StatusCode
  statusMessage: string;
  /** Shared by reference between the spans of one ResourceSpans. */
  resource: Resource;
  /** Shared by reference between the spans of one ScopeSpans. */
  scope: Scope;
}

export interface LogRecordData {
  timeUnixNano: bigint;
  observedTimeUnixNano: bigint;
  severityNumber: number;
  severityText: string;
  body: AnyValue;
  attributes: Attribute[];
  droppedAttributesCount: number;
  flags: number;
  /** '' when the record is not tied to a trace */
  traceId: string;
  spanId: string;
  eventName: string;
  resource: Resource;
  scope: Scope;
}

/** What a decoder hands to the ingest pipeline. */
export interface DecodedTraces {
  spans: SpanRecord[];
  /** Spans dropped as individually invalid (bad ids, end before start). */
  rejected: number;
  /** Human-readable reasons, at most a few, for partialSuccess.errorMessage. */
  rejectReasons: string[];
}

export interface DecodedLogs {
  logs: LogRecordData[];
  rejected: number;
  rejectReasons: string[];
}

/** A trace summary as the query layers return it. */
export interface TraceSummary {
  traceId: string;
  rootService: string;
  rootName: string;
  startTimeUnixNano: bigint;
  endTimeUnixNano: bigint;
  spanCount: number;
  errorCount: number;
  services: { name: string; spanCount: number; errorCount: number }[];
}

export const UNKNOWN_SERVICE = 'unknown_service';
export const MISSING_ROOT_NAME = '<root span not yet received>';
