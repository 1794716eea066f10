// Turns the parser's untyped field expression into a typed Condition, with the
// same type rules Tempo applies: intrinsics have fixed types (comparing
// `name` with a number is an error), attributes are dynamically typed (a
// string literal simply never matches an int attribute).
import { RE2JS } from 're2js';
import type { ArithOp, CompareOp, Condition, Field, Literal, ValueExpr } from './ast.js';
import { TraceQLError } from './errors.js';
import { INTRINSICS } from './intrinsics.js';
import type { RawExpr, RawStatic } from './raw.js';

const MIRRORED: Record<CompareOp, CompareOp | undefined> = {
  '=': '=',
  '!=': '!=',
  '>': '<',
  '>=': '<=',
  '<': '>',
  '<=': '>=',
  '=~': undefined,
  '!~': undefined,
};

const ORDERING_OPS = new Set<CompareOp>(['>', '>=', '<', '<=']);
const REGEX_OPS = new Set<CompareOp>(['=~', '!~']);

export function toCondition(e: RawExpr): Condition {
  switch (e.r) {
    case 'logic':
      return { type: e.op, left: toCondition(e.left), right: toCondition(e.right) };
    case 'not':
      if (e.operand.r === 'field' && e.operand.field.type === 'intrinsic') {
        throw new TraceQLError(
          `"!" needs a condition, not ${e.operand.text}, at position ${e.pos}: "!" binds tighter than comparisons, so write !(${e.operand.text} = ...)`,
          e.pos,
        );
      }
      return { type: 'not', operand: toCondition(e.operand) };
    case 'static':
      if (e.value.type === 'bool') return { type: 'const', value: e.value.value };
      throw new TraceQLError(`${e.text} is not a condition at position ${e.pos}: compare a field with it, e.g. { name = "GET /" }`, e.pos);
    case 'field':
      if (e.field.type === 'attribute') return { type: 'truthy', field: e.field };
      throw new TraceQLError(`${e.text} is not a condition at position ${e.pos}: compare it with a value, e.g. ${e.text} = ...`, e.pos);
    case 'arith':
    case 'neg':
      throw new TraceQLError(`arithmetic is not a condition at position ${e.pos}: compare it with a value, e.g. { span.a + span.b > 10 }`, e.pos);
    case 'compare':
      return comparison(e);
  }
}

/** A field expression used as a value (by(), aggregates, either side of a general comparison). */
export function toValueExpr(e: RawExpr): ValueExpr {
  switch (e.r) {
    case 'field':
      return { type: 'field', field: e.field };
    case 'static':
      return { type: 'literal', value: e.value };
    case 'arith': {
      for (const side of [e.left, e.right]) {
        const t = impliedType(side);
        if (t !== 'number' && t !== 'unknown') {
          throw new TraceQLError(`arithmetic operator ${e.op} needs numbers, got ${describeRaw(side)} (${t}) at position ${e.pos}`, e.pos);
        }
      }
      return { type: 'arith', op: e.op, left: toValueExpr(e.left), right: toValueExpr(e.right) };
    }
    case 'neg': {
      const t = impliedType(e.operand);
      if (t !== 'number' && t !== 'unknown') throw new TraceQLError(`unary minus needs a number, got ${describeRaw(e.operand)} at position ${e.pos}`, e.pos);
      return { type: 'neg', operand: toValueExpr(e.operand) };
    }
    default:
      throw new TraceQLError(`expected a value, not a condition, at position ${e.pos}`, e.pos);
  }
}

/** The static type of a raw expression: 'unknown' for attributes (dynamically typed). */
export type ImpliedType = 'string' | 'number' | 'bool' | 'status' | 'kind' | 'nil' | 'unknown';

export function impliedType(e: RawExpr): ImpliedType {
  switch (e.r) {
    case 'field':
      if (e.field.type === 'attribute') return 'unknown';
      return INTRINSICS[e.field.name].type === 'duration' || INTRINSICS[e.field.name].type === 'int'
        ? 'number'
        : (INTRINSICS[e.field.name].type as ImpliedType);
    case 'static':
      switch (e.value.type) {
        case 'int':
        case 'float':
        case 'duration':
          return 'number';
        default:
          return e.value.type;
      }
    case 'arith':
    case 'neg':
      return 'number';
    default:
      return 'bool';
  }
}

function describeRaw(e: RawExpr): string {
  return e.r === 'field' || e.r === 'static' ? e.text : 'an expression';
}

/** Folds arithmetic over literals (`10 * 1024 * 1024`) into one literal, or null when a field is involved. */
export function foldStatic(e: RawExpr): RawStatic | null {
  if (e.r === 'static') return e.value;
  if (e.r === 'neg') {
    const v = foldStatic(e.operand);
    if (v === null) return null;
    if (v.type === 'int' || v.type === 'float') return { type: v.type, value: -v.value };
    if (v.type === 'duration') return { type: 'duration', ns: -v.ns };
    return null;
  }
  if (e.r !== 'arith') return null;
  const l = foldStatic(e.left);
  const r = foldStatic(e.right);
  if (l === null || r === null) return null;
  const num = (v: RawStatic): number | null =>
    v.type === 'int' || v.type === 'float' ? v.value : v.type === 'duration' ? Number(v.ns) : null;
  const a = num(l);
  const b = num(r);
  if (a === null || b === null) return null;
  const value = arith(e.op, a, b);
  if (l.type === 'duration' || r.type === 'duration') {
    return Number.isFinite(value) ? { type: 'duration', ns: BigInt(Math.trunc(value)) } : null;
  }
  if (l.type === 'int' && r.type === 'int' && Number.isInteger(value) && e.op !== '/') return { type: 'int', value };
  return { type: 'float', value };
}

export function arith(op: ArithOp, a: number, b: number): number {
  switch (op) {
    case '+':
      return a + b;
    case '-':
      return a - b;
    case '*':
      return a * b;
    case '/':
      return a / b;
    case '%':
      return a % b;
    case '^':
      return a ** b;
  }
}

function comparison(e: Extract<RawExpr, { r: 'compare' }>): Condition {
  let { left, right, op } = e;
  for (const side of [left, right]) {
    if (side.r === 'not') {
      const operand = side.operand.r === 'field' || side.operand.r === 'static' ? side.operand.text : '...';
      throw new TraceQLError(
        `"!" binds tighter than ${op} at position ${side.pos}: to negate the comparison write !(${operand} ${op} ...)`,
        side.pos,
      );
    }
    if (side.r === 'compare' || side.r === 'logic') {
      throw new TraceQLError(`cannot compare the result of a condition at position ${e.pos}: use && or || to combine conditions`, e.pos);
    }
  }
  // Arithmetic over literals alone is a literal: `span.size > 10 * 1024`.
  for (const side of ['left', 'right'] as const) {
    const s = side === 'left' ? left : right;
    if (s.r === 'arith' || s.r === 'neg') {
      const folded = foldStatic(s);
      if (folded) {
        const st: RawExpr = { r: 'static', value: folded, text: describeStatic(folded), pos: s.pos };
        if (side === 'left') left = st;
        else right = st;
      }
    }
  }
  if (left.r === 'static' && left.value.type === 'nil' && right.r === 'field') {
    [left, right] = [right, left];
  }
  if (!((left.r === 'field' && right.r === 'static') || (left.r === 'static' && right.r === 'field'))) {
    return generalComparison(op, left, right, e.pos);
  }
  if (left.r === 'static' && right.r === 'field') {
    const mirrored = MIRRORED[op];
    if (!mirrored) throw new TraceQLError(`the regular expression must be on the right of ${op} at position ${e.pos}`, e.pos);
    [left, right, op] = [right, left, mirrored];
  }
  if (left.r !== 'field' || right.r !== 'static') throw new Error('unreachable: comparison shape');
  return typedComparison(left.field, left.text, op, right.value, right.text, right.pos, e.pos);
}

function typedComparison(
  field: Field,
  fieldText: string,
  op: CompareOp,
  value: RawStatic,
  valueText: string,
  valuePos: number,
  opPos: number,
): Condition {
  const fail = (why: string, pos = opPos): never => {
    throw new TraceQLError(`${why} at position ${pos}`, pos);
  };

  if (value.type === 'nil') {
    if (op !== '=' && op !== '!=') fail(`nil can only be compared with != (got ${op})`);
    // Tempo's validator rejects `{ .a = nil }`; absence is `!(.a != nil)`.
    if (op === '=') fail(`${fieldText} = nil is not valid TraceQL (Tempo rejects it): test presence with ${fieldText} != nil, absence with !(${fieldText} != nil)`);
    if (field.type !== 'attribute') return { type: 'expr', op, left: { type: 'field', field }, right: { type: 'literal', value } };
    return { type: 'exists', field: field as Extract<Field, { type: 'attribute' }>, negated: false };
  }

  if (REGEX_OPS.has(op)) {
    if (value.type !== 'string') fail(`${op} needs a quoted regular expression, got ${valueText}`, valuePos);
    checkRegex((value as { value: string }).value, valuePos);
  }

  if (field.type === 'intrinsic') {
    const info = INTRINSICS[field.name];
    switch (info.type) {
      case 'string':
        if (value.type !== 'string') fail(`${fieldText} is a string; compare it with a quoted string, not ${valueText}`, valuePos);
        break;
      case 'status':
      case 'kind':
        // Grafana's builder turns a multi-value pick into `status =~ "error|unset"`: match the names.
        if (REGEX_OPS.has(op)) break;
        if (info.type === 'kind') {
          if (value.type !== 'kind') {
            fail(`${fieldText} can only be compared with server, client, producer, consumer, internal or unspecified, not ${valueText}`, valuePos);
          }
        } else if (value.type !== 'status') {
          fail(`${fieldText} can only be compared with error, ok or unset, not ${valueText}`, valuePos);
        }
        if (op !== '=' && op !== '!=') fail(`${fieldText} supports only =, !=, =~ and !~ (got ${op})`);
        break;
      case 'duration':
        if (value.type !== 'duration' && value.type !== 'int' && value.type !== 'float') {
          fail(`${fieldText} is a duration; compare it with a duration such as 100ms, not ${valueText}`, valuePos);
        }
        break;
      case 'int':
        if (value.type !== 'int' && value.type !== 'float' && value.type !== 'duration') {
          fail(`${fieldText} is a number; compare it with a number, not ${valueText}`, valuePos);
        }
        if (REGEX_OPS.has(op)) fail(`${fieldText} is a number; ${op} needs a string field`);
        break;
    }
    return { type: 'compare', field, op, value: value as Literal };
  }

  // Attributes: any literal type, but the operator must make sense for it.
  switch (value.type) {
    case 'status':
      fail(`${valueText} is a status value; compare it with status, e.g. status = ${valueText}`, valuePos);
      break;
    case 'kind':
      fail(`${valueText} is a span kind; compare it with kind, e.g. kind = ${valueText}`, valuePos);
      break;
    case 'bool':
      if (op !== '=' && op !== '!=') fail(`booleans support only = and != (got ${op})`);
      break;
    case 'int':
    case 'float':
    case 'duration':
      if (!ORDERING_OPS.has(op) && op !== '=' && op !== '!=') fail(`${op} needs a string, got ${valueText}`, valuePos);
      break;
    case 'string':
      break;
  }
  return { type: 'compare', field, op, value: value as Literal };
}

function describeStatic(v: RawStatic): string {
  switch (v.type) {
    case 'duration':
      return `${v.ns}ns`;
    case 'nil':
      return 'nil';
    case 'string':
      return JSON.stringify(v.value);
    default:
      return String(v.value);
  }
}

const TYPE_NAMES: Record<ImpliedType, string> = {
  string: 'a string',
  number: 'a number',
  bool: 'a boolean',
  status: 'a status',
  kind: 'a span kind',
  nil: 'nil',
  unknown: 'an attribute',
};

/** Field with field, arithmetic, literal with literal: checked as far as the static types allow. */
function generalComparison(op: CompareOp, left: RawExpr, right: RawExpr, pos: number): Condition {
  const lt = impliedType(left);
  const rt = impliedType(right);
  if (lt === 'nil' || rt === 'nil') {
    throw new TraceQLError(`nil can only be compared with a field (x != nil) at position ${pos}`, pos);
  }
  if (lt !== 'unknown' && rt !== 'unknown' && lt !== rt) {
    throw new TraceQLError(
      `cannot compare ${describeRaw(left)} (${TYPE_NAMES[lt]}) with ${describeRaw(right)} (${TYPE_NAMES[rt]}) at position ${pos}`,
      pos,
    );
  }
  const known = lt !== 'unknown' ? lt : rt;
  if (ORDERING_OPS.has(op) && (known === 'bool' || known === 'status' || known === 'kind')) {
    throw new TraceQLError(`${op} cannot order ${TYPE_NAMES[known]} values at position ${pos}`, pos);
  }
  if (REGEX_OPS.has(op)) {
    if (right.r !== 'static' || right.value.type !== 'string') {
      throw new TraceQLError(`${op} needs a quoted regular expression on its right at position ${pos}`, pos);
    }
    checkRegex(right.value.value, right.pos);
    if (known === 'number' || known === 'bool') throw new TraceQLError(`${op} needs a string, got ${TYPE_NAMES[known]} at position ${pos}`, pos);
  }
  return { type: 'expr', op, left: toValueExpr(left), right: toValueExpr(right) };
}

/** Tempo uses Go's RE2 syntax and so does DuckDB; reject what RE2 rejects here rather than in the query. */
function checkRegex(pattern: string, pos: number): void {
  try {
    RE2JS.compile(pattern);
  } catch (err) {
    throw new TraceQLError(`invalid regular expression ${JSON.stringify(pattern)} at position ${pos}: ${(err as Error).message}`, pos);
  }
}
