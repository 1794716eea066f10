/** Every named /api/v1 schema: the OpenAPI document's components and what validate() checks by name. */
import * as analysis from './analysis.js';
import { ErrorBody } from './common.js';
import * as traces from './traces.js';

export const schemas = {
  Error: ErrorBody,
  TraceDetail: traces.TraceDetail,
  CompactTraceDetail: traces.CompactTraceDetail,
  Subtree: traces.Subtree,
  TraceSearch: traces.TraceSearch,
  TraceList: traces.TraceList,
  TraceSummary: traces.TraceSummary,
  SpanSet: traces.SpanSet,
  Span: traces.Span,
  LogList: traces.LogList,
  ServiceList: traces.ServiceList,
  Operations: traces.Operations,
  AttributeKeys: traces.AttributeKeys,
  AttributeValues: traces.AttributeValues,
  Explanation: analysis.Explanation,
  Diagnosis: analysis.Diagnosis,
  Comparison: analysis.Comparison,
  AttributeAnalysisRequest: analysis.AttributeAnalysisRequest,
  AttributeAnalysis: analysis.AttributeAnalysis,
  Metrics: analysis.Metrics,
  RedStats: analysis.RedStats,
  TraceqlMetrics: analysis.TraceqlMetrics,
  ServiceGraph: analysis.ServiceGraph,
  IncomingLinks: analysis.IncomingLinks,
  ImportResult: analysis.ImportResult,
} as const;

export type SchemaName = keyof typeof schemas;
