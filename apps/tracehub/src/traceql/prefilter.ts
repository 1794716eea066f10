// The SQL prefilter of a TraceQL pipeline: a conservative predicate every
// trace the pipeline can match satisfies, so the store reads only candidate
// traces and the evaluator decides. Pure.
//
//  - `{ C }`: the trace has a span matching C, with the parts of C SQL cannot
//    express relaxed away (TRUE where they could make C hold, FALSE under a `!`);
//  - `{A} && {B}` and the plain and union structural operators: a span matching
//    A and one matching B; negated ones (`{A} !> {B}`): B only (with no A every
//    B span is returned); `{A} || {B}`: either;
//  - later `| { ... }` stages must match spans too; scalar filters, by(),
//    coalesce() and select() add nothing.
import type { SpanPredicate } from '../store/types.js';
import type { Condition, Pipeline, SpansetExpr } from './ast.js';
import { compileCondition, firstUncompilable, MAX_SQL_ATTRIBUTE_LOOKUPS, type LookupBudget } from './compile.js';

/** What a trace must hold: a span matching a condition, or a combination. */
export type TraceRequirement =
  | { type: 'any' }
  | { type: 'span'; where: Condition }
  | { type: 'and' | 'or'; parts: TraceRequirement[] };

const ANY: TraceRequirement = { type: 'any' };

/** `budget`: attribute lookups the whole prefilter may hold (the rest is relaxed away). */
export function pipelineRequirement(p: Pipeline, budget: LookupBudget = { left: MAX_SQL_ATTRIBUTE_LOOKUPS }): TraceRequirement {
  const parts: TraceRequirement[] = [];
  for (const stage of p.stages) if (stage.type === 'spanset') parts.push(spansetRequirement(stage.expr, budget));
  return both(parts);
}

function spansetRequirement(e: SpansetExpr, budget: LookupBudget): TraceRequirement {
  switch (e.type) {
    case 'filter': {
      const where = relax(e.where, true, budget);
      return where.type === 'const' && where.value ? ANY : { type: 'span', where };
    }
    case 'structural':
      // A negated operator returns right-hand spans even when the left matched nothing.
      if (e.mode === 'not') return spansetRequirement(e.right, budget);
      return both([spansetRequirement(e.left, budget), spansetRequirement(e.right, budget)]);
    case 'and':
      return both([spansetRequirement(e.left, budget), spansetRequirement(e.right, budget)]);
    case 'or':
      return either([spansetRequirement(e.left, budget), spansetRequirement(e.right, budget)]);
    case 'pipeline':
      return pipelineRequirement(e.pipeline, budget);
  }
}

function both(parts: TraceRequirement[]): TraceRequirement {
  const kept = parts.flatMap((p) => (p.type === 'any' ? [] : p.type === 'and' ? p.parts : [p]));
  if (kept.length === 0) return ANY;
  return kept.length === 1 ? kept[0] : { type: 'and', parts: kept };
}

function either(parts: TraceRequirement[]): TraceRequirement {
  if (parts.some((p) => p.type === 'any')) return ANY;
  const kept = parts.flatMap((p) => (p.type === 'or' ? p.parts : [p]));
  return kept.length === 1 ? kept[0] : { type: 'or', parts: kept };
}

/**
 * A condition SQL can express that holds whenever `c` does (`positive`), or
 * that fails whenever `c` fails (under an odd number of `!`).
 */
export function relax(c: Condition, positive: boolean, budget: LookupBudget = { left: MAX_SQL_ATTRIBUTE_LOOKUPS }): Condition {
  switch (c.type) {
    case 'and':
    case 'or': {
      const l = relax(c.left, positive, budget);
      const r = relax(c.right, positive, budget);
      const absorbing = c.type === 'or';
      for (const [x, y] of [[l, r], [r, l]]) {
        if (x.type === 'const') return x.value === absorbing ? x : y;
      }
      return { type: c.type, left: l, right: r };
    }
    case 'not': {
      const inner = relax(c.operand, !positive, budget);
      return inner.type === 'const' ? { type: 'const', value: !inner.value } : { type: 'not', operand: inner };
    }
    default:
      // Beyond the budget of attribute lookups a leaf is relaxed like one SQL cannot express.
      return firstUncompilable(c, budget) ? { type: 'const', value: positive } : c;
  }
}

/** The prefilter as a span predicate (a trace is a candidate when one of its spans holds it), or undefined: every trace. */
export function prefilterPredicate(p: Pipeline): SpanPredicate | undefined {
  const req = pipelineRequirement(p);
  if (req.type === 'any') return undefined;
  return requirementPredicate(req);
}

function requirementPredicate(req: TraceRequirement, fromNs?: bigint): SpanPredicate {
  // One span condition: the store's ordinary span predicate.
  if (req.type === 'span') {
    const p = compileCondition(req.where)!;
    return fromNs === undefined ? p : p.withTimeFloor!(fromNs);
  }
  // A combination: each part is "the trace has such a span", a semi-join on trace_id.
  const params: SpanPredicate['params'] = [];
  const sql = requirementSql(req, fromNs, params);
  return { sql, params, needsTrace: false, withTimeFloor: (ns: bigint) => requirementPredicate(req, ns) };
}

function requirementSql(req: TraceRequirement, fromNs: bigint | undefined, params: SpanPredicate['params']): string {
  switch (req.type) {
    case 'any':
      return 'TRUE';
    case 'span': {
      const p = requirementPredicate(req, fromNs);
      const join = p.needsTrace ? ' JOIN trace_summaries t ON t.trace_id = s.trace_id' : '';
      const since = fromNs === undefined ? '' : ' AND s.start_ns >= ?';
      params.push(...p.params);
      if (fromNs !== undefined) params.push(fromNs);
      return `s.trace_id IN (SELECT s.trace_id FROM spans s${join} WHERE (${p.sql})${since})`;
    }
    case 'and':
    case 'or':
      return `(${req.parts.map((x) => requirementSql(x, fromNs, params)).join(req.type === 'and' ? ' AND ' : ' OR ')})`;
  }
}

/**
 * True when the prefilter is exact: every candidate trace matches (one span
 * filter SQL fully expresses, optionally followed by select()), so the search
 * needs no more candidates than its limit.
 */
export function prefilterIsExact(p: Pipeline): boolean {
  const [first, ...rest] = p.stages;
  if (first.type !== 'spanset' || rest.some((s) => s.type !== 'select')) return false;
  const exact = (e: SpansetExpr): boolean =>
    e.type === 'filter' ? firstUncompilable(e.where) === null : e.type === 'or' && exact(e.left) && exact(e.right);
  return exact(first.expr);
}
