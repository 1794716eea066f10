// The checked TraceQL AST, already typed. Two levels:
//  - `Query` / `Pipeline` / `SpansetExpr` / `Stage`: all of TraceQL (parseTraceQLQuery),
//    run by the evaluator (evaluate.ts) with a SQL prefilter (prefilter.ts);
//  - `Ast`: the selector subset compileTraceQL turns into one SQL predicate (parseTraceQL).
// `Condition` (one span's test) is shared by both.
import type { IntrinsicName, KindName, StatusName } from './intrinsics.js';
import type { AttributeScope } from './lexer.js';
import type { MetricsStage } from './metrics-ast.js';

export type { AttributeScope } from './lexer.js';

/** A query: one spanset filter, or a union (`||`) of them. */
export type Ast =
  | { type: 'spanset'; where: Condition }
  | { type: 'union'; left: Ast; right: Ast };

export type CompareOp = '=' | '!=' | '>' | '>=' | '<' | '<=' | '=~' | '!~';
export type ArithOp = '+' | '-' | '*' | '/' | '%' | '^';

export type Field =
  | { type: 'intrinsic'; name: IntrinsicName }
  /** `parent: true` for `parent.span.x` / `parent.resource.x` / `parent.x`: the attribute of the span's parent. */
  | { type: 'attribute'; scope: AttributeScope; name: string; parent?: boolean };

export type AttributeField = Extract<Field, { type: 'attribute' }>;

export type Literal =
  | { type: 'string'; value: string }
  | { type: 'int'; value: number }
  | { type: 'float'; value: number }
  | { type: 'bool'; value: boolean }
  | { type: 'duration'; ns: bigint }
  | { type: 'status'; value: StatusName }
  | { type: 'kind'; value: KindName };

/** A boolean condition on one span (and its trace). */
export type Condition =
  | { type: 'and' | 'or'; left: Condition; right: Condition }
  | { type: 'not'; operand: Condition }
  | { type: 'const'; value: boolean }
  | { type: 'compare'; field: Field; op: CompareOp; value: Literal }
  /** `field != nil` (exists) and `field = nil` (absent). */
  | { type: 'exists'; field: AttributeField; negated: boolean }
  /** A bare boolean attribute, `{ span.cache_hit }`: true when it is the boolean true. */
  | { type: 'truthy'; field: AttributeField }
  /**
   * Any other comparison: field with field, arithmetic, literal with literal,
   * `intrinsic != nil`. Evaluated by the evaluator only (compile.ts cannot).
   */
  | { type: 'expr'; op: CompareOp; left: ValueExpr; right: ValueExpr };

/** A value computed from one span: a field, a literal, or arithmetic over them. */
export type ValueExpr =
  | { type: 'field'; field: Field }
  | { type: 'literal'; value: Literal | { type: 'nil' } }
  | { type: 'arith'; op: ArithOp; left: ValueExpr; right: ValueExpr }
  | { type: 'neg'; operand: ValueExpr };

// ---------------------------------------------------------------------------
// Full TraceQL: pipelines of spanset expressions, aggregates, by/select/coalesce.

/** Structural operators; `mode` picks Tempo's plain (`>>`), union (`&>>`) or negated (`!>>`) form. */
export type StructuralOp = '>' | '<' | '>>' | '<<' | '~';
export type StructuralMode = 'plain' | 'union' | 'not';

export type SpansetExpr =
  | { type: 'filter'; where: Condition }
  /** `{A} && {B}`: both matched in the trace; `{A} || {B}`: either. Spans of both sides. */
  | { type: 'and' | 'or'; left: SpansetExpr; right: SpansetExpr }
  | { type: 'structural'; op: StructuralOp; mode: StructuralMode; left: SpansetExpr; right: SpansetExpr }
  /** A parenthesised pipeline used as an operand: `({ } | count() > 2) && { .a = 1 }`. */
  | { type: 'pipeline'; pipeline: Pipeline };

export type AggregateFn = 'count' | 'avg' | 'min' | 'max' | 'sum';

/** The value side of a scalar filter: `count()`, `avg(duration)`, literals, arithmetic. */
export type ScalarExpr =
  | { type: 'aggregate'; fn: AggregateFn; field?: ValueExpr }
  | { type: 'literal'; value: Literal }
  | { type: 'arith'; op: ArithOp; left: ScalarExpr; right: ScalarExpr };

export type Stage =
  | { type: 'spanset'; expr: SpansetExpr }
  /** `| count() > 2`: keeps the spansets for which it holds. */
  | { type: 'scalar-filter'; op: Exclude<CompareOp, '=~' | '!~'>; left: ScalarExpr; right: ScalarExpr }
  /** `| by(resource.service.name)`: splits every spanset by the value. */
  | { type: 'by'; expr: ValueExpr }
  /** `| coalesce()`: merges all spansets into one. */
  | { type: 'coalesce' }
  /** `| select(span.a, name)`: returns these fields with every matched span. */
  | { type: 'select'; fields: Field[] };

export interface Pipeline {
  stages: Stage[];
}

export type Hints = Record<string, string | number | boolean>;

/** A parsed query: a search, or a search ending in a metrics stage. */
export type Query =
  | { kind: 'search'; pipeline: Pipeline; hints: Hints }
  | { kind: 'metrics'; pipeline: Pipeline; metrics: MetricsStage; hints: Hints };

/** A compact, readable rendering of the AST, for tests and logs. */
export function formatAst(ast: Ast): string {
  if (ast.type === 'union') return `(${formatAst(ast.left)} || ${formatAst(ast.right)})`;
  return `{ ${formatCondition(ast.where)} }`;
}

export function formatCondition(c: Condition): string {
  switch (c.type) {
    case 'and':
    case 'or':
      return `(${c.type} ${formatCondition(c.left)} ${formatCondition(c.right)})`;
    case 'not':
      return `(not ${formatCondition(c.operand)})`;
    case 'const':
      return String(c.value);
    case 'compare':
      return `(${c.op} ${formatField(c.field)} ${formatLiteral(c.value)})`;
    case 'exists':
      return `(${c.negated ? 'absent' : 'exists'} ${formatField(c.field)})`;
    case 'truthy':
      return `(is-true ${formatField(c.field)})`;
    case 'expr':
      return `(${c.op} ${formatValueExpr(c.left)} ${formatValueExpr(c.right)})`;
  }
}

/** Tempo's spelling of a field expression (`by(...)` attribute keys use it). */
export function formatValueExpr(e: ValueExpr): string {
  switch (e.type) {
    case 'field':
      return formatField(e.field);
    case 'literal':
      return e.value.type === 'nil' ? 'nil' : formatLiteral(e.value);
    case 'arith':
      return `(${formatValueExpr(e.left)} ${e.op} ${formatValueExpr(e.right)})`;
    case 'neg':
      return `-${formatValueExpr(e.operand)}`;
  }
}

export function formatScalar(e: ScalarExpr): string {
  switch (e.type) {
    case 'aggregate':
      return `${e.fn}(${e.field ? formatValueExpr(e.field) : ''})`;
    case 'literal':
      return formatLiteral(e.value);
    case 'arith':
      return `(${formatScalar(e.left)} ${e.op} ${formatScalar(e.right)})`;
  }
}

export function formatSpansetExpr(e: SpansetExpr): string {
  switch (e.type) {
    case 'filter':
      return `{ ${formatCondition(e.where)} }`;
    case 'and':
    case 'or':
      return `(${formatSpansetExpr(e.left)} ${e.type === 'and' ? '&&' : '||'} ${formatSpansetExpr(e.right)})`;
    case 'structural': {
      const prefix = e.mode === 'union' ? '&' : e.mode === 'not' ? '!' : '';
      return `(${formatSpansetExpr(e.left)} ${prefix}${e.op} ${formatSpansetExpr(e.right)})`;
    }
    case 'pipeline':
      return `(${formatPipeline(e.pipeline)})`;
  }
}

export function formatStage(s: Stage): string {
  switch (s.type) {
    case 'spanset':
      return formatSpansetExpr(s.expr);
    case 'scalar-filter':
      return `${formatScalar(s.left)} ${s.op} ${formatScalar(s.right)}`;
    case 'by':
      return `by(${formatValueExpr(s.expr)})`;
    case 'coalesce':
      return 'coalesce()';
    case 'select':
      return `select(${s.fields.map(formatField).join(', ')})`;
  }
}

export function formatPipeline(p: Pipeline): string {
  return p.stages.map(formatStage).join(' | ');
}

export function formatField(f: Field): string {
  if (f.type === 'intrinsic') return f.name;
  const prefix = (f.parent ? 'parent.' : '') + (f.scope === 'none' ? '.' : `${f.scope}.`);
  return prefix.replace('parent..', 'parent.') + (/^[\w.\-/]+$/.test(f.name) ? f.name : JSON.stringify(f.name));
}

export function formatLiteral(l: Literal): string {
  switch (l.type) {
    case 'string':
      return JSON.stringify(l.value);
    case 'duration':
      return `${l.ns}ns`;
    default:
      return String(l.value);
  }
}
