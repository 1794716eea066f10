/** The OpenAPI 3.1 document of /api/v1: a route table (paths, parameters, which schema answers) plus the contract's schemas as components. */
import { type SchemaName, schemas } from './schemas.js';

export type OpenApiPaths = Record<string, Record<string, unknown>>;

/** A 200 (or other) answer whose JSON body is the named schema. */
export const jsonResponse = (name: SchemaName, description = 'OK') => ({
  description,
  content: { 'application/json': { schema: { $ref: `#/components/schemas/${name}` } } },
});

/** An error answer: `{error, message}`. */
export const errorResponse = jsonResponse('Error', 'Error');

/** Plain JSON Schema (TypeBox's symbol keys dropped). */
const plain = (v: unknown): unknown => JSON.parse(JSON.stringify(v));

/** The document: every `$ref` in paths must name one of the contract's schemas (checked here, at start-up). */
export function openApiDocument(info: { title: string; version: string; description: string }, paths: OpenApiPaths) {
  const refs = JSON.stringify(paths).matchAll(/"#\/components\/schemas\/([^"]+)"/g);
  for (const [, name] of refs) if (!(name! in schemas)) throw new Error(`OpenAPI route table refers to an unknown schema ${name}`);
  return {
    openapi: '3.1.0' as const,
    info,
    paths,
    components: { schemas: plain(schemas) as Record<SchemaName, object> },
  };
}
