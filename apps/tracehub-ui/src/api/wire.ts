// The JSON the tracehub query API sends (apps/tracehub/API.md). Only
// convert.ts reads these; the rest of the UI uses the domain types in
// src/lib/types.ts.

export type WireAnyValue =
  | { type: 'string'; value: string }
  | { type: 'bool'; value: boolean }
  | { type: 'int'; value: string }
  | { type: 'double'; value: number | 'NaN' | 'Infinity' | '-Infinity' }
  | { type: 'bytes'; value: string }
  | { type: 'array'; value: WireAnyValue[] }
  | { type: 'kvlist'; value: WireAttribute[] }
  | { type: 'empty' };

export interface WireAttribute {
  key: string;
  value: WireAnyValue;
}

export interface WireResource {
  attributes: WireAttribute[];
  droppedAttributesCount: number;
  schemaUrl: string;
}

export interface WireScope {
  name: string;
  version: string;
  attributes: WireAttribute[];
  droppedAttributesCount: number;
  schemaUrl: string;
}

export interface WireSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string | null;
  name: string;
  kind: string;
  service: string;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  durationNs: string;
  durationMs: number;
  status: { code: string; message: string };
  traceState: string;
  flags: number;
  attributes: WireAttribute[];
  droppedAttributesCount: number;
  events: { timeUnixNano: string; name: string; attributes: WireAttribute[]; droppedAttributesCount: number }[];
  droppedEventsCount: number;
  links: {
    traceId: string;
    spanId: string;
    traceState: string;
    flags: number;
    attributes: WireAttribute[];
    droppedAttributesCount: number;
  }[];
  droppedLinksCount: number;
  resource: WireResource;
  scope: WireScope;
}

export interface WireTraceSummary {
  traceId: string;
  rootService: string;
  rootName: string;
  startTimeUnixNano: string;
  start: string;
  durationMs: number;
  spanCount: number;
  errorCount: number;
  services: { name: string; spanCount: number; errorCount: number }[];
}

export interface WireTraceDetail extends WireTraceSummary {
  spans: WireSpan[];
}

export interface WireLogRecord {
  timeUnixNano: string;
  observedTimeUnixNano: string;
  severityNumber: number;
  severityText: string;
  body: WireAnyValue;
  attributes: WireAttribute[];
  droppedAttributesCount: number;
  flags: number;
  traceId: string | null;
  spanId: string | null;
  eventName: string;
  service: string;
  resource: WireResource;
  scope: WireScope;
}

export interface WireError {
  error: string;
  message: string;
}

/** GET /api/v1/dependencies (the fields the UI reads). */
export interface WireServiceGraph {
  nodes: { id: string; name: string; kind: string; calls: number; errors: number; spans?: number; system?: string }[];
  edges: {
    source: string;
    target: string;
    kind: string;
    calls: number;
    errors: number;
    callsPerSec: number;
    errorRate: number;
    p50Ms?: number;
    p95Ms: number;
    exemplar?: { traceId: string };
  }[];
}

/** POST /api/v1/analyze/attributes (API.md). */
export interface WireAttributeAnalysis {
  window: { startTimeUnixNano: string; endTimeUnixNano: string };
  selection: { traceCount: number; spanCount: number; totalTraceCount: number };
  baseline: { traceCount: number; spanCount: number; totalTraceCount: number };
  sampled: boolean;
  attributes: {
    key: string;
    scope: string;
    score: number;
    by: string;
    values: { value: string; selection: { traces: number; time: number }; baseline: { traces: number; time: number } }[];
  }[];
  summary: string;
}

// GET /api/v1/compare
export interface WireCompareTrace {
  traceId: string;
  rootService: string;
  rootName: string;
  durationMs: number;
  spanCount: number;
  error: boolean;
}

export interface WireCompareSide {
  count: number;
  durationMs: number;
  selfMs: number;
  errorCount: number;
  spanIds?: string[];
  presence?: number;
}

export interface WireComparison {
  a: WireCompareTrace;
  b?: WireCompareTrace;
  baseline?: { traceCount: number; window: { startTimeUnixNano: string; endTimeUnixNano: string }; traceIds: string[] };
  rows: {
    path: string;
    depth: number;
    service: string;
    name: string;
    in: 'both' | 'only-a' | 'only-b';
    a: WireCompareSide | null;
    b: WireCompareSide | null;
    diffDurationMs: number;
    diffSelfMs: number;
    impact: number;
  }[];
  summary: string;
}

/** GET /api/v1/traces/{traceId}/links */
export interface WireIncomingLinks {
  incoming: { traceId: string; spanId: string; service: string; name: string; linkedSpanId: string; attributes: WireAttribute[] }[];
}

/** GET /api/v1/traces/{traceId}?format=compact (API.md "Compact trace detail"). */
export type WireCompactNs = number | string;
export type WireCompactAttributes = number[];
export interface WireCompactTrace extends WireTraceSummary {
  format: 'tracehub.compact/1';
  baseTimeUnixNano: string;
  strings: string[];
  values: (string | WireAnyValue)[];
  resources: { service: string; attributes: WireAttribute[]; droppedAttributesCount: number; schemaUrl: string }[];
  scopes: WireScope[];
  spans: {
    spanId: string[];
    parent: number[];
    missingParents: [number, string][];
    name: number[];
    kind: number[];
    resource: number[];
    scope: number[];
    start: WireCompactNs[];
    duration: WireCompactNs[];
    status: number[];
    statusMessage: number[];
    traceState: number[];
    flags: number[];
    attributes: WireCompactAttributes[];
    dropped: [number, number, number, number][];
    events: [number, [WireCompactNs, number, WireCompactAttributes, number][]][];
    links: [number, [string, string, number, number, WireCompactAttributes, number][]][];
  };
  /** Present with ?root=: the subtree's root span and the whole trace's span count. */
  subtree?: { rootSpanId: string; traceSpanCount: number };
}
