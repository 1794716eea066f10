/**
 * A TraceQL metrics query, parsed (parser.ts) and split into what the
 * executors need: the metrics stage, and, when the first stage is one
 * spanset filter (or a `||` of them) whose condition and fields SQL can
 * express, that condition for the DuckDB pushdown (store/metrics-sql.ts).
 */
import type { Condition, Field, Pipeline, SpansetExpr } from './ast.js';
import { compileCondition } from './compile.js';
import { TraceQLError } from './errors.js';
import { INTRINSICS } from './intrinsics.js';
import type { MetricsStage } from './metrics-ast.js';
import { parseTraceQLQuery } from './parser.js';

export interface MetricsQuery {
  pipeline: Pipeline;
  stage: MetricsStage;
  /** The first stage as one span condition, when the SQL pushdown can run it; else null (generic path). */
  pushdown: Condition | null;
}

export function parseMetricsQuery(q: string): MetricsQuery {
  const parsed = parseTraceQLQuery(q);
  if (parsed.kind !== 'metrics') {
    throw new TraceQLError('not a metrics query: end it with a metrics function, e.g. { } | rate()', q.length);
  }
  const stage = parsed.metrics;
  const where = singleFilter(parsed.pipeline);
  const fields = [...stage.by, ...(stage.field ? [stage.field] : [])];
  const sqlStage = stage.compare ? compileCondition(stage.compare.selection) !== null : fields.every(sqlField);
  const pushdown = where !== null && compileCondition(where) !== null && sqlStage ? where : null;
  return { pipeline: parsed.pipeline, stage, pushdown };
}

/** True when the query parses as TraceQL ending in a metrics function. */
export function isMetricsQuery(q: string): boolean {
  try {
    return parseTraceQLQuery(q).kind === 'metrics';
  } catch {
    return false;
  }
}

function singleFilter(p: Pipeline): Condition | null {
  if (p.stages.length !== 1 || p.stages[0]!.type !== 'spanset') return null;
  return spansetCondition(p.stages[0]!.expr);
}

/** `{A} || {B}` selects the spans either matches: OR of the conditions. */
function spansetCondition(e: SpansetExpr): Condition | null {
  if (e.type === 'filter') return e.where;
  if (e.type !== 'or') return null;
  const l = spansetCondition(e.left);
  const r = spansetCondition(e.right);
  return l && r ? { type: 'or', left: l, right: r } : null;
}

/** Fields the SQL pushdown reads: intrinsics with SQL, span/resource/unscoped attributes of the span itself. */
export function sqlField(f: Field): boolean {
  if (f.type === 'intrinsic') return INTRINSICS[f.name].sql !== null;
  return !f.parent;
}
