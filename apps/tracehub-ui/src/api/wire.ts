// The JSON the tracehub query API sends: the types of @tracelab/api-contract, the one declaration of
// the /api/v1 wire contract (the hub's presenters return them, a contract test checks the answers).
// Type-only, so no validator code reaches the bundle. Only convert*.ts read the wire; the rest of the
// UI uses the domain types in src/lib/types.ts.
import type * as wire from '@tracelab/api-contract';

export type WireAnyValue = wire.AnyValue;
export type WireAttribute = wire.Attribute;
export type WireResource = wire.Resource;
export type WireScope = wire.Scope;
export type WireSpan = wire.Span;
export type WireTraceSummary = wire.TraceSummary;
export type WireTraceList = wire.TraceList;
export type WireTraceDetail = wire.TraceDetail;
export type WireLogRecord = wire.LogRecord;
export type WireError = wire.ErrorBody;
/** GET /api/v1/dependencies */
export type WireServiceGraph = wire.ServiceGraph;
/** POST /api/v1/analyze/attributes */
export type WireAttributeAnalysis = wire.AttributeAnalysis;
// GET /api/v1/compare
export type WireCompareTrace = wire.CompareTrace;
export type WireCompareSide = wire.CompareSide;
export type WireComparison = wire.Comparison;
/** GET /api/v1/traces/{traceId}/links */
export type WireIncomingLinks = wire.IncomingLinks;
/** GET /api/v1/traces/{traceId}/doctor */
export type WireDiagnosis = wire.Diagnosis;
/** GET /api/v1/traces/{traceId}/explain */
export type WireExplanation = wire.Explanation;
/** GET /api/v1/metrics */
export type WireMetrics = wire.Metrics;
/** GET /api/v1/metrics/traceql */
export type WireTraceqlMetrics = wire.TraceqlMetrics;
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
