// TraceQL (the selector subset Grafana's search builder emits) to a DuckDB SQL
// predicate over the span store. Pure: no I/O.
import type { SpanPredicate } from '../store/types.js';
import { compileAst } from './compile.js';
import { parseTraceQL } from './parser.js';

export type { Ast, AttributeField, AttributeScope, CompareOp, Condition, Field, Literal } from './ast.js';
export { formatAst } from './ast.js';
export { TraceQLError, UnsupportedTraceQLError } from './errors.js';
export { traceqlIntrinsicTags } from './intrinsics.js';
export { parseTraceQL } from './parser.js';

/**
 * Compiles a TraceQL query into a span predicate. Throws TraceQLError for
 * invalid queries and UnsupportedTraceQLError (a TraceQLError) for valid
 * TraceQL outside the supported subset; both deserve a 400.
 */
export function compileTraceQL(query: string): SpanPredicate {
  return compileAst(parseTraceQL(query));
}
