// The compact trace detail: the hub's encoder and the UI's decoder give exactly
// the spans of the JSON detail as the UI reads it (every field), and the
// encoding shares what repeats.
import { describe, expect, it } from 'vitest';
import { compactParentIndex, fromCompactTrace } from '../../../tracehub-ui/src/api/convertCompact.js';
import { buildSpanTree } from '@tracelab/trace-explain';
import { toTraceDetail } from '../../../tracehub-ui/src/api/convert.js';
import { encodeCompactTrace } from '../../src/api/compact.js';
import { traceDetailJson } from '../../src/api/present.js';
import type { SpanRecord } from '../../src/model.js';
import { fixtureSpans } from './trace-fixture.js';

/** What goes over the wire and comes back. */
const wire = (v: unknown) => JSON.parse(JSON.stringify(v));

describe('compact trace detail', () => {
  it('decodes to exactly the spans the JSON detail gives, every field', () => {
    const spans = fixtureSpans();
    const fromJson = toTraceDetail(wire(traceDetailJson(spans)));
    const fromCompact = fromCompactTrace(wire(encodeCompactTrace(spans)));
    expect(fromCompact).toEqual(fromJson);
    // And both are the spans we put in (not merely equal to each other).
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

  it('sends each resource, scope, string and value once; parents as indexes; times as offsets', () => {
    const c = encodeCompactTrace(fixtureSpans());
    expect(c.resources.map((r) => r.service)).toEqual(['shop', 'postgres']);
    expect(c.scopes.map((s) => s.name)).toEqual(['@opentelemetry/instrumentation-http', 'pg']);
    expect(c.strings.filter((s) => s === 'SELECT orders')).toHaveLength(1);
    expect(c.strings.filter((s) => s === 'http.method')).toHaveLength(1);
    expect(c.values.filter((v) => v === 'GET')).toHaveLength(1);
    expect(c.spans.parent).toEqual([-1, 0, 0, 2, -2]);
    expect(c.spans.missingParents).toEqual([[4, '000000000000dead']]);
    expect(c.spans.start).toEqual([0, 1000, 2000, 3000, 4000]);
    expect(c.spans.duration[0]).toBe(900_000_001);
    expect(c.spans.events).toEqual([[0, [[-5, c.strings.indexOf('before start'), [], 0], [7, c.strings.indexOf('exception'), expect.any(Array), 1]]]]);
    expect(c.spans.dropped).toEqual([[0, 3, 4, 5]]);
    expect(c.baseTimeUnixNano).toBe('1764000000123456789');
  });

  it('keeps offsets beyond 2^53 ns exact (as decimal strings)', () => {
    const spans = fixtureSpans().slice(0, 2);
    const far: SpanRecord = { ...spans[1]!, spanId: '0000000000000009', startTimeUnixNano: spans[0]!.startTimeUnixNano + 2n ** 54n + 1n, endTimeUnixNano: spans[0]!.startTimeUnixNano + 2n ** 55n };
    const c = encodeCompactTrace([spans[0]!, far]);
    expect(c.spans.start[1]).toBe((2n ** 54n + 1n).toString());
    const d = fromCompactTrace(wire(c));
    expect(d.spans[1]!.startTimeUnixNano).toBe((spans[0]!.startTimeUnixNano + 2n ** 54n + 1n).toString());
    expect(d).toEqual(toTraceDetail(wire(traceDetailJson([spans[0]!, far]))));
  });

  it('rejects what is not the compact form with a message naming the field', () => {
    expect(() => fromCompactTrace({ format: 'other' })).toThrow(/trace\.format/);
    const c = wire(encodeCompactTrace(fixtureSpans()));
    c.spans.name.pop();
    expect(() => fromCompactTrace(c)).toThrow(/trace\.spans\.name should be an array of 5 entries/);
  });
});

describe('the streamed JSON detail (very large traces)', () => {
  it('is the same JSON value as the detail, in pieces', async () => {
    const { jsonPieces } = await import('../../src/api/trace-routes.js');
    const spans = Array.from({ length: 2500 }, (_, i) => ({ ...fixtureSpans()[1]!, spanId: i.toString(16).padStart(16, '0') }));
    const body = traceDetailJson(spans);
    const pieces = [...jsonPieces(body)];
    expect(pieces.length).toBe(5);
    expect(JSON.parse(pieces.join(''))).toEqual(wire(body));
  });
});
