/**
 * @tracelab/api-contract: the /api/v1 wire contract. Each answer is declared once as a TypeBox schema,
 * which is both a JSON Schema (the OpenAPI document, the validator) and, through Static, the TS type
 * the hub's presenters return and the UI and trace-assert read. The validator is in ./validate
 * (kept out of this entry so type-only and schema-only users stay small).
 */
import type { Static } from '@sinclair/typebox';
import type * as A from './analysis.js';
import type * as C from './common.js';
import type * as T from './traces.js';

export { EDGE_KINDS, FINDING_KINDS, METRIC_KINDS, NODE_KINDS } from './analysis.js';
export { schemas, type SchemaName } from './schemas.js';
export { errorResponse, jsonResponse, openApiDocument, type OpenApiPaths } from './openapi.js';

export type AnyValue = Static<typeof C.AnyValue>;
export type Attribute = Static<typeof C.Attribute>;
export type Resource = Static<typeof C.Resource>;
export type Scope = Static<typeof C.Scope>;
export type ErrorBody = Static<typeof C.ErrorBody>;

export type Span = Static<typeof T.Span>;
export type SpanSet = Static<typeof T.SpanSet>;
export type TraceSummary = Static<typeof T.TraceSummary>;
export type TraceList = Static<typeof T.TraceList>;
export type TraceDetail = Static<typeof T.TraceDetail>;
export type CompactTraceDetail = Static<typeof T.CompactTraceDetail>;
export type TraceSearch = Static<typeof T.TraceSearch>;
export type LogRecord = Static<typeof T.LogRecord>;
export type LogList = Static<typeof T.LogList>;
export type ServiceList = Static<typeof T.ServiceList>;
export type Operations = Static<typeof T.Operations>;
export type AttributeKeys = Static<typeof T.AttributeKeys>;
export type AttributeValues = Static<typeof T.AttributeValues>;

export type Explanation = Static<typeof A.Explanation>;
export type Finding = Static<typeof A.Finding>;
export type Diagnosis = Static<typeof A.Diagnosis>;
export type CompareTrace = Static<typeof A.CompareTrace>;
export type CompareSide = Static<typeof A.CompareSide>;
export type CompareRow = Static<typeof A.CompareRow>;
export type Comparison = Static<typeof A.Comparison>;
export type AttributeAnalysisRequest = Static<typeof A.AttributeAnalysisRequest>;
export type AttributeAnalysis = Static<typeof A.AttributeAnalysis>;
export type RedStats = Static<typeof A.RedStats>;
export type Metrics = Static<typeof A.Metrics>;
export type TraceqlMetrics = Static<typeof A.TraceqlMetrics>;
export type GraphNode = Static<typeof A.GraphNode>;
export type GraphEdge = Static<typeof A.GraphEdge>;
export type ServiceGraph = Static<typeof A.ServiceGraph>;
export type IncomingLinks = Static<typeof A.IncomingLinks>;
export type ImportResult = Static<typeof A.ImportResult>;
