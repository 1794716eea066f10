// Turns the parser's untyped field expression into a typed Condition, with the
// same type rules Tempo applies: intrinsics have fixed types (comparing
// `name` with a number is an error), attributes are dynamically typed (a
// string literal simply never matches an int attribute).
import { RE2JS } from 're2js';
import type { CompareOp, Condition, Field, Literal } from './ast.js';
import { TraceQLError, UnsupportedTraceQLError } from './errors.js';
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
    case 'compare':
      return comparison(e);
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
  if (left.r === 'static' && right.r === 'static') {
    throw new UnsupportedTraceQLError('comparison between two literals', e.pos);
  }
  if (left.r === 'field' && right.r === 'field') {
    throw new UnsupportedTraceQLError('comparison between two fields', e.pos, 'compare a field with a literal value');
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
    if (field.type !== 'attribute') fail(`${fieldText} always has a value; nil only tests attributes`);
    if (op !== '=' && op !== '!=') fail(`nil can only be compared with = or != (got ${op})`);
    return { type: 'exists', field: field as Extract<Field, { type: 'attribute' }>, negated: op === '=' };
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

/** Tempo uses Go's RE2 syntax and so does DuckDB; reject what RE2 rejects here rather than in the query. */
function checkRegex(pattern: string, pos: number): void {
  try {
    RE2JS.compile(pattern);
  } catch (err) {
    throw new TraceQLError(`invalid regular expression ${JSON.stringify(pattern)} at position ${pos}: ${(err as Error).message}`, pos);
  }
}
