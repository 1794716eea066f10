// The untyped field-expression tree the parser builds inside `{ ... }` (and in
// by(), select(), aggregates), before type checking turns it into a Condition
// or a ValueExpr. Internal to the traceql module.
import type { ArithOp, CompareOp, Field, Literal } from './ast.js';

export type RawStatic = Literal | { type: 'nil' };

export type RawExpr =
  | { r: 'logic'; op: 'and' | 'or'; left: RawExpr; right: RawExpr; pos: number }
  | { r: 'not'; operand: RawExpr; pos: number }
  | { r: 'compare'; op: CompareOp; left: RawExpr; right: RawExpr; pos: number }
  | { r: 'arith'; op: ArithOp; left: RawExpr; right: RawExpr; pos: number }
  | { r: 'neg'; operand: RawExpr; pos: number }
  | { r: 'static'; value: RawStatic; text: string; pos: number }
  | { r: 'field'; field: Field; text: string; pos: number };
