// The package alone: the OpenAPI builder and the validator's messages.
import { describe, expect, it } from 'vitest';
import { jsonResponse, openApiDocument, schemas } from '../src/index.js';
import { assertContract, ContractError, contractErrors } from '../src/validate.js';

const info = { title: 't', version: '1', description: 'd' };

describe('openApiDocument', () => {
  it('puts every schema in components as plain JSON Schema, and refuses a $ref to a schema it does not have', () => {
    const doc = openApiDocument(info, { '/x': { get: { responses: { 200: jsonResponse('TraceList') } } } });
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.components.schemas)).toEqual(Object.keys(schemas));
    const list = doc.components.schemas.TraceList as { additionalProperties: boolean; required: string[] };
    expect(list.additionalProperties).toBe(false);
    expect(list.required).toEqual(['traces']);
    expect(Object.getOwnPropertySymbols(list)).toEqual([]);
    // String enums are JSON Schema enums (as the document had them before the package).
    const graph = doc.components.schemas.ServiceGraph as any;
    expect(graph.properties.nodes.items.properties.kind).toEqual({ type: 'string', enum: ['service', 'database', 'peer', 'browser'] });
    expect(() => openApiDocument(info, { '/x': { get: { responses: { 200: { content: { 'application/json': { schema: { $ref: '#/components/schemas/Nope' } } } } } } } })).toThrow(/unknown schema Nope/);
  });
});

describe('contractErrors / assertContract', () => {
  const summary = { traceId: 'ab', rootService: 's', rootName: 'n', startTimeUnixNano: '1', start: '1970-01-01T00:00:00.000Z', durationMs: 1, spanCount: 1, errorCount: 0, services: [] };

  it('accepts a matching answer and names each wrong field by its JSON pointer', () => {
    expect(contractErrors('TraceList', { traces: [summary] })).toEqual([]);
    expect(contractErrors('TraceList', { traces: [{ ...summary, startTimeUnixNano: 'soon' }] })).toEqual([expect.stringMatching(/^\/traces\/0\/startTimeUnixNano: Expected string to match/)]);
    expect(contractErrors('Span', {})[0]).toMatch(/^\/traceId: Expected required property/);
    expect(contractErrors('Error', [])).toEqual([expect.stringMatching(/^\(root\): Expected object/)]);
  });

  it('assertContract throws a ContractError listing the problems', () => {
    expect(() => assertContract('ServiceList', { services: ['a'] })).not.toThrow();
    const err = (() => {
      try {
        assertContract('ServiceList', { services: [1] });
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(ContractError);
    expect((err as ContractError).message).toMatch(/ServiceList:\n {2}\/services\/0: Expected string \(got 1\)/);
  });
});
