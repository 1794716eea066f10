/** One validator for /api/v1 answers: a schema by name (or a TypeBox schema) against a parsed JSON value. */
import { Kind, type TSchema } from '@sinclair/typebox';
import { TypeCompiler, type TypeCheck } from '@sinclair/typebox/compiler';
import type { TStringEnum } from './common.js';
import { type SchemaName, schemas } from './schemas.js';

const compiled = new Map<TSchema, TypeCheck<TSchema>>();

function checkerOf(schema: TSchema): TypeCheck<TSchema> {
  let c = compiled.get(schema);
  if (!c) compiled.set(schema, (c = TypeCompiler.Compile(schema)));
  return c;
}

/** What is wrong, one line per problem naming the field by its JSON pointer (`/traces/0/spanCount: Expected integer`); [] when it matches. */
export function contractErrors(schema: SchemaName | TSchema, value: unknown, limit = 20): string[] {
  const c = checkerOf(typeof schema === 'string' ? schemas[schema] : schema);
  if (c.Check(value)) return [];
  const out: string[] = [];
  for (const e of c.Errors(value)) {
    const message = e.schema[Kind] === 'StringEnum' ? `Expected one of ${(e.schema as TStringEnum).enum.join(', ')}` : e.message;
    out.push(`${e.path === '' ? '(root)' : e.path}: ${message}${e.value === undefined ? '' : ` (got ${JSON.stringify(e.value)?.slice(0, 80)})`}`);
    if (out.length >= limit) break;
  }
  return out;
}

export class ContractError extends Error {
  constructor(
    readonly schema: string,
    readonly problems: string[],
  ) {
    super(`answer does not match ${schema}:\n  ${problems.join('\n  ')}`);
    this.name = 'ContractError';
  }
}

/** Throws a ContractError listing the problems unless value matches the schema. */
export function assertContract(name: SchemaName, value: unknown): void {
  const problems = contractErrors(name, value);
  if (problems.length > 0) throw new ContractError(name, problems);
}
