// The TraceQL evaluator: runs a parsed pipeline over one trace's spans and
// returns the resulting spansets, as Tempo's engine does (each stage maps the
// list of spansets to a new one; the trace matches when the last stage leaves
// at least one). Pure: no I/O.
import { RE2JS } from 're2js';
import type { SpanRecord } from '../model.js';
import type { ArithOp, CompareOp, Condition, Field, Pipeline, ScalarExpr, SpansetExpr, Stage, StructuralOp, ValueExpr } from './ast.js';
import { formatScalar, formatValueExpr } from './ast.js';
import { buildTraceContext, type TraceContext } from './trace-context.js';
import { arith } from './typecheck.js';
import { fieldValue, fieldValueGroups, fieldValues, hasAttribute, isNumeric, literalValue, type Value } from './values.js';

export interface SpansetAttribute {
  /** Tempo's spelling: `by(resource.service.name)`, `count()`, `avg(duration)`. */
  key: string;
  value: Value | null;
}

export interface Spanset {
  spans: SpanRecord[];
  /** by() values and aggregate results, in the order the stages set them. */
  attributes: SpansetAttribute[];
  /** select()ed fields: returned with every span of the set. */
  selected: Field[];
}

/** Runs the pipeline on one trace (all its spans). */
export function evaluatePipeline(pipeline: Pipeline, spans: SpanRecord[], ctx: TraceContext = buildTraceContext(spans)): Spanset[] {
  return runPipeline(pipeline, [{ spans: ctx.spans, attributes: [], selected: [] }], ctx);
}

function runPipeline(pipeline: Pipeline, input: Spanset[], ctx: TraceContext): Spanset[] {
  let sets = input;
  for (const stage of pipeline.stages) {
    if (sets.length === 0) break;
    sets = runStage(stage, sets, ctx);
  }
  return sets;
}

function runStage(stage: Stage, input: Spanset[], ctx: TraceContext): Spanset[] {
  switch (stage.type) {
    case 'spanset':
      return spansetExpr(stage.expr, input, ctx);
    case 'scalar-filter': {
      const out: Spanset[] = [];
      for (const ss of input) {
        const attributes = [...ss.attributes];
        const l = scalar(stage.left, ss, ctx, attributes);
        const r = scalar(stage.right, ss, ctx, attributes);
        if (compareNumbers(stage.op, l, r)) out.push({ ...ss, attributes });
      }
      return out;
    }
    case 'by': {
      const key = `by(${formatValueExpr(stage.expr)})`;
      const out: Spanset[] = [];
      for (const ss of input) {
        const groups = new Map<string, Spanset>();
        for (const span of ss.spans) {
          const v = valueExpr(stage.expr, span, ctx)[0] ?? null;
          const gk = v === null ? 'nil' : `${v.type}:${String(v.value)}`;
          let g = groups.get(gk);
          if (!g) {
            g = { spans: [], attributes: [...ss.attributes, { key, value: v }], selected: ss.selected };
            groups.set(gk, g);
            out.push(g);
          }
          g.spans.push(span);
        }
      }
      return out;
    }
    case 'coalesce': {
      const spans = unique(input.flatMap((ss) => ss.spans));
      const selected = [...new Set(input.flatMap((ss) => ss.selected))];
      return [{ spans, attributes: [], selected }];
    }
    case 'select':
      return input.map((ss) => ({ ...ss, selected: [...ss.selected, ...stage.fields] }));
  }
}

function spansetExpr(e: SpansetExpr, input: Spanset[], ctx: TraceContext): Spanset[] {
  switch (e.type) {
    case 'filter': {
      const out: Spanset[] = [];
      for (const ss of input) {
        const spans = ss.spans.filter((s) => spanMatches(e.where, s, ctx));
        if (spans.length > 0) out.push({ ...ss, spans });
      }
      return out;
    }
    case 'pipeline':
      return input.flatMap((ss) => runPipeline(e.pipeline, [ss], ctx));
    case 'and':
    case 'or': {
      const out: Spanset[] = [];
      for (const ss of input) {
        const lhs = spansetExpr(e.left, [ss], ctx);
        const rhs = spansetExpr(e.right, [ss], ctx);
        const ok = e.type === 'and' ? lhs.length > 0 && rhs.length > 0 : lhs.length > 0 || rhs.length > 0;
        if (ok) out.push({ ...ss, spans: unique([...lhs, ...rhs].flatMap((s) => s.spans)) });
      }
      return out;
    }
    case 'structural': {
      const out: Spanset[] = [];
      for (const ss of input) {
        const lhs = spansetExpr(e.left, [ss], ctx);
        const rhs = spansetExpr(e.right, [ss], ctx);
        // As Tempo: with nothing on the left, a negated operator keeps every right-hand span.
        if (lhs.length === 0 && e.mode === 'not') {
          for (const r of rhs) out.push({ ...ss, spans: r.spans, selected: [...ss.selected, ...r.selected] });
          continue;
        }
        for (const l of lhs) {
          for (const r of rhs) {
            const spans = structural(e.op, e.mode, l.spans, r.spans, ctx);
            if (spans.length > 0) out.push({ ...ss, spans, selected: [...ss.selected, ...l.selected, ...r.selected] });
          }
        }
      }
      return out;
    }
  }
}

/**
 * Plain: the right-hand spans related to some left-hand span. Not: the
 * right-hand spans related to none (all of them when the left matched
 * nothing). Union: both sides' spans that take part in a relation.
 *
 * Linear in the trace's size: each side's relatives are collected once as a
 * set (descendants by walking down, ancestors by walking up, each span
 * visited at most once), never by comparing every pair.
 */
function structural(op: StructuralOp, mode: 'plain' | 'union' | 'not', lhs: SpanRecord[], rhs: SpanRecord[], ctx: TraceContext): SpanRecord[] {
  // r is related to some l  <=>  r is in related(lhs)
  const rightMatches = relatives(op, lhs, ctx);
  if (mode === 'plain') return rhs.filter((r) => rightMatches.has(r));
  if (mode === 'not') return rhs.filter((r) => !rightMatches.has(r));
  // l is related to some r  <=>  l is in the inverse relatives of rhs
  const leftMatches = relatives(INVERSE[op], rhs, ctx);
  return unique([...lhs.filter((l) => leftMatches.has(l)), ...rhs.filter((r) => rightMatches.has(r))]);
}

const INVERSE: Record<StructuralOp, StructuralOp> = { '>>': '<<', '<<': '>>', '>': '<', '<': '>', '~': '~' };

/** The spans x with `{from} op {x}`: descendants (>>), ancestors (<<), children (>), parents (<), siblings (~) of `from`. */
function relatives(op: StructuralOp, from: SpanRecord[], ctx: TraceContext): Set<SpanRecord> {
  const out = new Set<SpanRecord>();
  const rel = (s: SpanRecord) => ctx.relations.get(s)!;
  switch (op) {
    case '>>': {
      const stack = from.flatMap((s) => rel(s).children);
      while (stack.length > 0) {
        const s = stack.pop()!;
        if (out.has(s)) continue;
        out.add(s);
        stack.push(...rel(s).children);
      }
      return out;
    }
    case '<<':
      for (const s of from) {
        for (let p = rel(s).parent; p !== undefined && !out.has(p); p = rel(p).parent) out.add(p);
      }
      return out;
    case '>':
      for (const s of from) for (const c of rel(s).children) out.add(c);
      return out;
    case '<':
      for (const s of from) {
        const p = rel(s).parent;
        if (p) out.add(p);
      }
      return out;
    case '~': {
      // Same parent, not itself; as Tempo (equal nestedSetParent), the roots of a trace are siblings too.
      const fromSet = new Set(from);
      const roots = ctx.spans.filter((s) => s.parentSpanId === '' && rel(s).parent === undefined);
      const groups = new Set<SpanRecord[]>();
      for (const s of from) {
        const p = rel(s).parent;
        if (p) groups.add(rel(p).children);
        else if (s.parentSpanId === '') groups.add(roots);
      }
      for (const g of groups) {
        let inFrom = 0;
        for (const x of g) if (fromSet.has(x)) inFrom++;
        // x has a sibling in `from` other than itself
        for (const x of g) if (inFrom > (fromSet.has(x) ? 1 : 0)) out.add(x);
      }
      return out;
    }
  }
}

function unique(spans: SpanRecord[]): SpanRecord[] {
  return [...new Set(spans)];
}

// ---------------------------------------------------------------------------
// Scalars (aggregates over a spanset)

function scalar(e: ScalarExpr, ss: Spanset, ctx: TraceContext, attributes: SpansetAttribute[]): number {
  switch (e.type) {
    case 'literal':
      return numberOf(literalValue(e.value));
    case 'arith':
      return arith(e.op, scalar(e.left, ss, ctx, attributes), scalar(e.right, ss, ctx, attributes));
    case 'aggregate': {
      const value = aggregate(e, ss, ctx);
      // No value to aggregate: Tempo drops the spanset (NaN never compares true).
      if (value === null) return NaN;
      const key = formatScalar(e);
      if (!attributes.some((a) => a.key === key)) attributes.push({ key, value });
      return value.value as number;
    }
  }
}

/**
 * count(), or avg/min/max/sum over the spans that have a numeric value (as
 * Tempo, spans without one are skipped; none at all: null). The result keeps
 * the values' type: durations stay durations, ints stay ints (avg of ints is a float).
 */
function aggregate(e: Extract<ScalarExpr, { type: 'aggregate' }>, ss: Spanset, ctx: TraceContext): Value | null {
  if (e.fn === 'count') return { type: 'int', value: ss.spans.length };
  const vals: Extract<Value, { type: 'int' | 'float' | 'duration' }>[] = [];
  for (const span of ss.spans) {
    const v = valueExpr(e.field!, span, ctx).find(isNumeric);
    if (v) vals.push(v);
  }
  if (vals.length === 0) return null;
  const type = vals.every((v) => v.type === 'duration') ? 'duration' : vals.every((v) => v.type === 'int') ? 'int' : 'float';
  const nums = vals.map((v) => v.value);
  switch (e.fn) {
    case 'sum':
      return { type, value: nums.reduce((a, b) => a + b, 0) };
    case 'avg':
      return { type: type === 'int' ? 'float' : type, value: nums.reduce((a, b) => a + b, 0) / nums.length };
    case 'min':
      return { type, value: nums.reduce((a, b) => Math.min(a, b)) };
    case 'max':
      return { type, value: nums.reduce((a, b) => Math.max(a, b)) };
  }
}

function numberOf(v: Value): number {
  return isNumeric(v) ? v.value : NaN;
}

/** An aggregate against a bound: as `order`, except that NaN (no value) is unequal to nothing. */
function compareNumbers(op: CompareOp, a: number, b: number): boolean {
  if (op === '!=' && (Number.isNaN(a) || Number.isNaN(b))) return false;
  return order(op, a, b);
}

// ---------------------------------------------------------------------------
// One span

/** The span condition evaluator: does this span satisfy the `{ ... }` condition? */
export function spanMatches(c: Condition, span: SpanRecord, ctx: TraceContext): boolean {
  switch (c.type) {
    case 'and':
      return spanMatches(c.left, span, ctx) && spanMatches(c.right, span, ctx);
    case 'or':
      return spanMatches(c.left, span, ctx) || spanMatches(c.right, span, ctx);
    case 'not':
      return !spanMatches(c.operand, span, ctx);
    case 'const':
      return c.value;
    case 'exists':
      return hasAttribute(c.field, span, ctx) !== c.negated;
    case 'truthy':
      return fieldValues(c.field, span, ctx).some((v) => v.type === 'bool' && v.value);
    case 'compare': {
      const lit = literalValue(c.value);
      // As Tempo: an array matches when any element does, except != and !~, which need every element
      // ("not in" / "match none"); several sources (span and resource for `.x`, events, links): any.
      const all = c.op === '!=' || c.op === '!~';
      return fieldValueGroups(c.field, span, ctx).some((group) =>
        all ? group.length > 0 && group.every((v) => compareValues(c.op, v, lit)) : group.some((v) => compareValues(c.op, v, lit)),
      );
    }
    case 'expr': {
      if (c.right.type === 'literal' && c.right.value.type === 'nil') {
        // `x != nil` (the parser only lets `!=` through)
        return valueExpr(c.left, span, ctx).length > 0;
      }
      const ls = valueExpr(c.left, span, ctx);
      const rs = valueExpr(c.right, span, ctx);
      return ls.some((l) => rs.some((r) => compareValues(c.op, l, r)));
    }
  }
}

/** The values of a field expression on one span ([] when a field it reads is missing). */
export function valueExpr(e: ValueExpr, span: SpanRecord, ctx: TraceContext): Value[] {
  switch (e.type) {
    case 'field':
      return fieldValues(e.field, span, ctx);
    case 'literal':
      return e.value.type === 'nil' ? [] : [literalValue(e.value)];
    case 'neg':
      return valueExpr(e.operand, span, ctx)
        .filter(isNumeric)
        .map((v) => ({ ...v, value: -v.value }));
    case 'arith': {
      const ls = valueExpr(e.left, span, ctx).filter(isNumeric);
      const rs = valueExpr(e.right, span, ctx).filter(isNumeric);
      const out: Value[] = [];
      for (const l of ls) for (const r of rs) out.push(arithValue(e.op, l, r));
      return out;
    }
  }
}

export { fieldValue };

/** Tempo's arithmetic: int with int stays an int (division truncates), anything else is a float. */
function arithValue(op: ArithOp, l: Value & { value: number }, r: Value & { value: number }): Value {
  if (l.type === 'int' && r.type === 'int') {
    const v = arith(op, l.value, r.value);
    if (op === '/' || op === '%') return r.value === 0 ? { type: 'float', value: v } : { type: 'int', value: Math.trunc(v) };
    return { type: 'int', value: v };
  }
  return { type: 'float', value: arith(op, l.value, r.value) };
}

const regexCache = new Map<string, RE2JS>();

function regex(pattern: string): RE2JS {
  let re = regexCache.get(pattern);
  if (!re) {
    re = RE2JS.compile(pattern);
    if (regexCache.size > 1000) regexCache.clear();
    regexCache.set(pattern, re);
  }
  return re;
}

/**
 * Tempo's comparison of two values: numbers (int, float, duration) compare
 * numerically with each other, strings lexically, booleans / statuses / kinds
 * only for (in)equality; regexes are fully anchored RE2 over strings and
 * over status/kind names. Values of different types never match.
 */
export function compareValues(op: CompareOp, a: Value, b: Value): boolean {
  if (op === '=~' || op === '!~') {
    if (b.type !== 'string') return false;
    if (a.type !== 'string' && a.type !== 'status' && a.type !== 'kind') return false;
    const m = regex(b.value).matches(a.value);
    return op === '=~' ? m : !m;
  }
  if (isNumeric(a) && isNumeric(b)) return order(op, a.value, b.value);
  if (a.type !== b.type) return false;
  if (a.type === 'string') return order(op, a.value, b.value as string);
  if (op === '=') return a.value === b.value;
  if (op === '!=') return a.value !== b.value;
  return false;
}

function order<T extends number | string>(op: CompareOp, a: T, b: T): boolean {
  switch (op) {
    case '=':
      return a === b;
    case '!=':
      return a !== b;
    case '>':
      return a > b;
    case '>=':
      return a >= b;
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    default:
      return false;
  }
}
