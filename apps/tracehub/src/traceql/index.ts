// TraceQL: the parser (all of Tempo's TraceQL), the evaluator, the SQL
// prefilter, and the selector subset compiled to one SQL predicate.
import type { SpanPredicate } from '../store/types.js';
import { compileAst } from './compile.js';
import { parseTraceQL } from './parser.js';

export type {
  Ast,
  AttributeField,
  AttributeScope,
  CompareOp,
  Condition,
  Field,
  Literal,
  Pipeline,
  Query,
  ScalarExpr,
  SpansetExpr,
  Stage,
  ValueExpr,
} from './ast.js';
export { formatAst, formatPipeline } from './ast.js';
export { compileCondition } from './compile.js';
export { TraceQLError, UnsupportedTraceQLError } from './errors.js';
export { traceqlIntrinsicTags } from './intrinsics.js';
export type { MetricsStage } from './metrics-ast.js';
export { parseTraceQL, parseTraceQLQuery } from './parser.js';

/**
 * Compiles a TraceQL query of the selector subset (`{ ... }` filters joined
 * by `||`, conditions SQL can express) into a span predicate. Throws
 * TraceQLError for invalid queries and UnsupportedTraceQLError (a
 * TraceQLError) for valid TraceQL beyond the subset; both deserve a 400.
 */
export function compileTraceQL(query: string): SpanPredicate {
  return compileAst(parseTraceQL(query));
}
