// The compact trace detail, the UI's side: its decoder gives exactly the spans its JSON reader
// gives for the same trace, every field. Both inputs are the contract's wire examples, which the
// hub's test writes from its encoder and presenter (apps/tracehub/test/api/compact.test.ts).
import compactFar from '@tracelab/api-contract/examples/trace-compact-far.json';
import compactExample from '@tracelab/api-contract/examples/trace-compact.json';
import detailFar from '@tracelab/api-contract/examples/trace-detail-far.json';
import detailExample from '@tracelab/api-contract/examples/trace-detail.json';
import { describe, expect, it } from 'vitest';
import { toTraceDetail } from './convert';
import { buildSpanTree } from '@tracelab/trace-explain';
import { compactParentIndex, fromCompactTrace } from './convertCompact';

/** A fresh copy, as a response body is (the decoders must not depend on sharing). */
const copy = <T>(v: T): T => structuredClone(v);

describe('fromCompactTrace', () => {
  it('decodes to exactly the spans the JSON detail gives, every field', () => {
    const fromJson = toTraceDetail(copy(detailExample));
    const fromCompact = fromCompactTrace(copy(compactExample));
    expect(fromCompact).toEqual(fromJson);
    // And both are the spans the hub was given (not merely equal to each other).
    const root = fromCompact.spans[0]!;
    expect(root).toMatchObject({
      spanId: '0000000000000001',
      parentSpanId: null,
      name: 'GET /checkout',
      kind: 'server',
      service: 'shop',
      startTimeUnixNano: '1764000000123456789',
      startUs: 0,
      durationUs: 900_000.001,
      status: { code: 'error', message: 'payment failed' },
      traceState: 'vendor=x',
      droppedAttributesCount: 3,
      droppedEventsCount: 4,
      droppedLinksCount: 5,
    });
    expect(root.attributes.map((a) => a.key)).toEqual(['http.method', 'http.status_code', 'ratio', 'inf', 'ok', 'blob', 'list', 'map', 'nothing']);
    expect(root.attributes[6]!.value).toEqual({ type: 'array', value: [{ type: 'string', value: 'a' }, { type: 'int', value: '2' }] });
    expect(root.events).toEqual([
      { timeUnixNano: '1764000000123456784', timeUs: -0.005, name: 'before start', attributes: [] },
      { timeUnixNano: '1764000000123456796', timeUs: 0.007, name: 'exception', attributes: [{ key: 'exception.type', value: { type: 'string', value: 'PaymentError' } }] },
    ]);
    expect(root.links).toEqual([{ traceId: 'bb'.repeat(16), spanId: 'cc'.repeat(8), traceState: 'a=b', attributes: [{ key: 'link.kind', value: { type: 'string', value: 'follows' } }] }]);
    expect(root.resource.schemaUrl).toBe('https://opentelemetry.io/schemas/1.21.0');
    expect(fromCompact.spans[1]).toMatchObject({ parentSpanId: '0000000000000001', service: 'postgres', kind: 'client', scope: { name: 'pg', version: '', attributes: [] } });
    expect(fromCompact.spans[4]!.parentSpanId).toBe('000000000000dead');
    expect(fromCompact.summary).toEqual(fromJson.summary);
    expect(fromCompact.startNs).toBe(1764000000123456789n);
    // The parents as the format sends them (indexes) link the same tree as the parent ids.
    const parents = compactParentIndex(fromCompact.spans)!;
    expect(Array.from(parents).slice(0, 5)).toEqual([-1, 0, expect.any(Number), expect.any(Number), -1]);
    const tree = buildSpanTree(fromCompact.spans, parents);
    const treeById = buildSpanTree(fromJson.spans);
    expect(Array.from(tree.parent)).toEqual(Array.from(treeById.parent));
    expect(tree.spans.map((s) => s.spanId)).toEqual(treeById.spans.map((s) => s.spanId));
    expect([...tree.indexById]).toEqual([...treeById.indexById]);
  });

  it('keeps offsets beyond 2^53 ns exact (sent as decimal strings)', () => {
    const d = fromCompactTrace(copy(compactFar));
    expect(d.spans[1]!.startTimeUnixNano).toBe((1_764_000_000_123_456_789n + 2n ** 54n + 1n).toString());
    expect(d).toEqual(toTraceDetail(copy(detailFar)));
  });

  it('rejects what is not the compact form with a message naming the field', () => {
    expect(() => fromCompactTrace({ format: 'other' })).toThrow(/trace\.format/);
    const c = copy(compactExample);
    c.spans.name.pop();
    expect(() => fromCompactTrace(c)).toThrow(/trace\.spans\.name should be an array of 5 entries/);
    // A bare number in the values table is an int value, so it must be a safe integer.
    const d = copy(compactExample);
    (d.values as unknown[]).push(1.5);
    expect(() => fromCompactTrace(d)).toThrow(/trace\.values\[\d+\] should be a safe integer/);
  });
});
