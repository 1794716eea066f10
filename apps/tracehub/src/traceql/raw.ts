// The untyped field-expression tree the parser builds inside `{ ... }`, before
// type checking turns it into a Condition. Internal to the traceql module.
import type { CompareOp, Field, Literal } from './ast.js';

export type RawStatic = Literal | { type: 'nil' };

export type RawExpr =
  | { r: 'logic'; op: 'and' | 'or'; left: RawExpr; right: RawExpr; pos: number }
  | { r: 'not'; operand: RawExpr; pos: number }
  | { r: 'compare'; op: CompareOp; left: RawExpr; right: RawExpr; pos: number }
  | { r: 'static'; value: RawStatic; text: string; pos: number }
  | { r: 'field'; field: Field; text: string; pos: number };
