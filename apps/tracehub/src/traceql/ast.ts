// The checked TraceQL AST: only what tracehub can evaluate, already typed, so
// the SQL compiler needs no further validation.
import type { IntrinsicName, KindName, StatusName } from './intrinsics.js';
import type { AttributeScope } from './lexer.js';

export type { AttributeScope } from './lexer.js';

/** A query: one spanset filter, or a union (`||`) of them. */
export type Ast =
  | { type: 'spanset'; where: Condition }
  | { type: 'union'; left: Ast; right: Ast };

export type CompareOp = '=' | '!=' | '>' | '>=' | '<' | '<=' | '=~' | '!~';

export type Field =
  | { type: 'intrinsic'; name: IntrinsicName }
  | { type: 'attribute'; scope: AttributeScope; name: string };

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
  | { type: 'truthy'; field: AttributeField };

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
  }
}

export function formatField(f: Field): string {
  if (f.type === 'intrinsic') return f.name;
  const prefix = f.scope === 'none' ? '.' : `${f.scope}.`;
  return prefix + (/^[\w.\-/]+$/.test(f.name) ? f.name : JSON.stringify(f.name));
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
