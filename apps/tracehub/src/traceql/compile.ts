// Compiles a checked TraceQL AST into a SQL predicate over `spans s` (and
// `trace_summaries t` for trace-level intrinsics). Values always travel as
// `?` parameters; only fixed enum codes and type names are inlined.
//
// Attribute lookups use `IN (SELECT ...)` semi-joins: on 1M spans / 5M
// attribute rows DuckDB ran them 1.1-5x faster than the equivalent correlated
// EXISTS (see test/traceql/attr-plan.measure.mjs).
import { RE2JS } from 're2js';
import type { SpanPredicate } from '../store/types.js';
import type { AttributeField, Ast, CompareOp, Condition, Field, Literal } from './ast.js';
import { formatCondition } from './ast.js';
import { UnsupportedTraceQLError } from './errors.js';
import { INTRINSICS, KIND_CODES, STATUS_CODES } from './intrinsics.js';

type Param = SpanPredicate['params'][number];

const SQL_OPS: Record<Exclude<CompareOp, '=~' | '!~'>, string> = {
  '=': '=',
  '!=': '<>',
  '>': '>',
  '>=': '>=',
  '<': '<',
  '<=': '<=',
};

export function compileAst(ast: Ast, attrRowsFromNs?: bigint): SpanPredicate {
  const where = astCondition(ast);
  const bad = firstUncompilable(where);
  if (bad) {
    throw new UnsupportedTraceQLError(`${formatCondition(bad)} in a single SQL predicate`, 0, 'the search endpoints evaluate it');
  }
  return compileConditionUnchecked(where, attrRowsFromNs);
}

/**
 * One span condition as a SQL predicate over `spans s`, or null when SQL
 * cannot express it (field-to-field comparisons, arithmetic, event/link/
 * instrumentation/parent attributes, structural intrinsics such as childCount).
 */
export function compileCondition(c: Condition): SpanPredicate | null {
  return firstUncompilable(c) ? null : compileConditionUnchecked(c);
}

function compileConditionUnchecked(where: Condition, attrRowsFromNs?: bigint): SpanPredicate {
  const c = new SqlBuilder(attrRowsFromNs);
  const sql = c.condition(where, false);
  return {
    sql,
    params: c.params,
    needsTrace: c.needsTrace,
    // Span-attribute lookups can skip rows older than a search window (see SpanPredicate).
    withTimeFloor: (fromNs: bigint) => compileConditionUnchecked(where, fromNs),
  };
}

function fieldCompilable(f: Field): boolean {
  if (f.type === 'intrinsic') return INTRINSICS[f.name].sql !== null;
  return !f.parent && (f.scope === 'span' || f.scope === 'resource' || f.scope === 'none');
}

/**
 * Attribute lookups one SQL predicate may hold. Each is a semi-join over
 * span_attrs; DuckDB plans and runs them one by one, so a query of 100 of them
 * took 1-3 s on 60 traces (the fuzzer's case). Beyond this many the rest is
 * left to the evaluator (the prefilter relaxes them away; the exact paths do not
 * compile).
 */
export const MAX_SQL_ATTRIBUTE_LOOKUPS = 8;

/** How many attribute lookups `firstUncompilable` still allows (shared across the calls it is passed to). */
export interface LookupBudget {
  left: number;
}

/** The first part of `c` SQL cannot express, or null when all of it can be compiled. */
export function firstUncompilable(c: Condition, budget: LookupBudget = { left: MAX_SQL_ATTRIBUTE_LOOKUPS }): Condition | null {
  switch (c.type) {
    case 'and':
    case 'or':
      return firstUncompilable(c.left, budget) ?? firstUncompilable(c.right, budget);
    case 'not':
      return firstUncompilable(c.operand, budget);
    case 'const':
      return null;
    case 'compare':
    case 'exists':
    case 'truthy':
      if (!fieldCompilable(c.field)) return c;
      if (c.field.type === 'attribute' && --budget.left < 0) return c;
      return null;
    case 'expr':
      return c;
  }
}

/** A union of spansets matches the spans either side matches. */
function astCondition(ast: Ast): Condition {
  if (ast.type === 'spanset') return ast.where;
  return { type: 'or', left: astCondition(ast.left), right: astCondition(ast.right) };
}

class SqlBuilder {
  readonly params: Param[] = [];
  needsTrace = false;

  constructor(private readonly attrRowsFromNs?: bigint) {}

  // Appends a parameter and returns its placeholder, so SQL text and params
  // stay in order as long as callers build strings left to right.
  private p(value: Param): string {
    this.params.push(value);
    return '?';
  }

  condition(c: Condition, nested: boolean): string {
    switch (c.type) {
      case 'and':
      case 'or': {
        const parts = flatten(c, c.type).map((x) => this.condition(x, true));
        const joined = parts.join(c.type === 'and' ? ' AND ' : ' OR ');
        return nested ? `(${joined})` : joined;
      }
      case 'not':
        return `NOT (${this.condition(c.operand, false)})`;
      case 'const':
        return c.value ? 'TRUE' : 'FALSE';
      case 'exists': {
        const sql = this.attribute(c.field, () => '', nested && !c.negated);
        return c.negated ? `NOT (${sql})` : sql;
      }
      case 'truthy':
        return this.attribute(c.field, () => " AND vtype = 'bool' AND str = 'true'", nested);
      case 'compare':
        if (c.field.type === 'intrinsic') return this.intrinsic(c.field.name, c.op, c.value);
        return this.attributeCompare(c.field, c.op, c.value, nested);
      case 'expr':
        throw new Error('unreachable: expr conditions are not compiled (see firstUncompilable)');
    }
  }

  private intrinsic(name: keyof typeof INTRINSICS, op: CompareOp, value: Literal): string {
    const info = INTRINSICS[name] as (typeof INTRINSICS)[typeof name] & { sql: string };
    if (info.trace) this.needsTrace = true;
    if ((info.type === 'status' || info.type === 'kind') && (op === '=~' || op === '!~')) {
      return this.enumRegex(info.sql, info.type === 'status' ? STATUS_CODES : KIND_CODES, op, (value as { value: string }).value);
    }
    switch (value.type) {
      case 'status':
        return `${info.sql} ${SQL_OPS[op as '=']} ${STATUS_CODES[value.value]}`;
      case 'kind':
        return `${info.sql} ${SQL_OPS[op as '=']} ${KIND_CODES[value.value]}`;
      case 'duration':
        return `${info.sql} ${SQL_OPS[op as '=']} ${this.p(clampInt64(value.ns))}`;
      case 'int':
      case 'float':
        // A bare number against a duration counts nanoseconds, as in Tempo.
        return `${info.sql} ${SQL_OPS[op as '=']} ${this.p(Number.isInteger(value.value) ? clampInt64(BigInt(value.value)) : value.value)}`;
      default:
        return this.valueTest(info.sql, op, value);
    }
  }

  /** A regex over enum names (`status =~ "error|unset"`) becomes a set of codes, decided here. */
  private enumRegex(col: string, codes: Record<string, number>, op: '=~' | '!~', pattern: string): string {
    const re = RE2JS.compile(pattern);
    const matching = Object.entries(codes)
      .filter(([name]) => re.matches(name))
      .map(([, code]) => code);
    if (matching.length === 0) return op === '=~' ? 'FALSE' : 'TRUE';
    return `${col} ${op === '=~' ? 'IN' : 'NOT IN'} (${matching.join(', ')})`;
  }

  /** `col op ?` for strings, with regexes fully anchored like Tempo's. */
  private valueTest(col: string, op: CompareOp, value: Literal): string {
    const v = value.type === 'duration' ? Number(value.ns) : (value as { value: string | number | boolean }).value;
    if (op === '=~') return `regexp_full_match(${col}, ${this.p(v)})`;
    if (op === '!~') return `NOT regexp_full_match(${col}, ${this.p(v)})`;
    return `${col} ${SQL_OPS[op]} ${this.number(v)}`;
  }

  /**
   * DuckDB's node binding types an integral JS number as INTEGER/BIGINT and
   * throws beyond int64 (`maxInt`, `1e20`); such values go as text cast to
   * DOUBLE, the type of the `num` column they are compared with.
   */
  private number(v: Param): string {
    if (typeof v === 'number' && Number.isInteger(v) && !Number.isSafeInteger(v)) return `CAST(${this.p(String(v))} AS DOUBLE)`;
    return this.p(v);
  }

  private attributeCompare(field: AttributeField, op: CompareOp, value: Literal, nested: boolean): string {
    // service.name is copied onto every span row: no subquery needed.
    const serviceFastPath = value.type === 'string' && field.name === 'service.name';
    if (serviceFastPath && field.scope === 'resource') return this.valueTest('s.service', op, value);
    if (serviceFastPath && field.scope === 'none') {
      const span = this.spanAttr(field.name, () => this.typedValue(op, value));
      const sql = `${span} OR ${this.valueTest('s.service', op, value)}`;
      return nested ? `(${sql})` : sql;
    }
    return this.attribute(field, () => this.typedValue(op, value), nested);
  }

  /**
   * The test on an attribute row's (vtype, str, num), following Tempo: a
   * value of another type never matches, and `!=` means "present and
   * different".
   */
  private typedValue(op: CompareOp, value: Literal): string {
    switch (value.type) {
      case 'string':
        return ` AND vtype = 'string' AND ${this.valueTest('str', op, value)}`;
      case 'bool': {
        const wantTrue = value.value === (op === '=');
        return ` AND vtype = 'bool' AND str = '${wantTrue ? 'true' : 'false'}'`;
      }
      case 'int':
      case 'float':
      case 'duration':
        // num is set exactly for int and double attributes.
        return ` AND ${this.valueTest('num', op, value)}`;
      default:
        throw new Error(`unreachable: ${value.type} literal against an attribute`);
    }
  }

  /** Renders the span and/or resource lookup; `test` is called once per lookup so params stay in order. */
  private attribute(field: AttributeField, test: () => string, nested: boolean): string {
    if (field.scope === 'span') return this.spanAttr(field.name, test);
    if (field.scope === 'resource') return this.resourceAttr(field.name, test);
    const sql = `${this.spanAttr(field.name, test)} OR ${this.resourceAttr(field.name, test)}`;
    return nested ? `(${sql})` : sql;
  }

  private spanAttr(key: string, test: () => string): string {
    const k = this.p(key);
    const since = this.attrRowsFromNs === undefined ? '' : ` AND start_ns >= ${this.p(this.attrRowsFromNs)}`;
    return `s.span_key IN (SELECT span_key FROM span_attrs WHERE key = ${k}${since}${test()})`;
  }

  private resourceAttr(key: string, test: () => string): string {
    const k = this.p(key);
    return `s.resource_id IN (SELECT resource_id FROM resource_attrs WHERE key = ${k}${test()})`;
  }
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/**
 * Duration columns are BIGINT: a literal beyond int64 (`maxInt`, `99999999h`)
 * would fail the parameter cast, and clamping keeps every comparison's result.
 */
function clampInt64(v: bigint): bigint {
  return v < INT64_MIN ? INT64_MIN : v > INT64_MAX ? INT64_MAX : v;
}

function flatten(c: Condition, type: 'and' | 'or'): Condition[] {
  if (c.type !== type) return [c];
  return [...flatten(c.left, type), ...flatten(c.right, type)];
}
