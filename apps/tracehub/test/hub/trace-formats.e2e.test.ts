// Trace by id against a real tracehub: ?format=compact (the same spans as the JSON detail; that the
// UI's decoder reads it field for field is apps/tracehub-ui/src/api/convertCompact.test.ts, on the
// contract's wire examples), ?root= (only that subtree), /search (which spans match), and 400/404
// for bad parameters.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertContract } from '@tracelab/api-contract/validate';
import { startHub, type HubHandle } from '@tracelab/test-support/hub';

const hex = (bytes: number) => randomBytes(bytes).toString('hex');
/** Span ids, names and parent ids out of a compact detail's parallel arrays (API.md, "Compact trace detail"). */
function readCompact(c: { strings: string[]; spans: { spanId: string[]; name: number[]; parent: number[]; missingParents: [number, string][] } }) {
  const missing = new Map(c.spans.missingParents);
  return {
    spanIds: c.spans.spanId,
    names: c.spans.name.map((i) => c.strings[i]!),
    parentIds: c.spans.parent.map((p, i) => (p >= 0 ? c.spans.spanId[p]! : p === -2 ? missing.get(i)! : null)),
  };
}
const str = (value: string) => ({ stringValue: value });
const ns = (ms: number) => String(BigInt(Math.round(ms)) * 1_000_000n);
const t0 = Date.now() - 10_000;

const traceId = hex(16);
const id = { root: hex(8), cart: hex(8), q1: hex(8), q2: hex(8), pay: hex(8), charge: hex(8), orphan: hex(8) };
const span = (spanId: string, parent: string, name: string, startMs: number, o: Record<string, unknown> = {}) => ({
  traceId,
  spanId,
  parentSpanId: parent,
  name,
  kind: 2,
  startTimeUnixNano: ns(t0 + startMs),
  endTimeUnixNano: ns(t0 + startMs + 10),
  ...o,
});
const body = {
  resourceSpans: [
    {
      resource: { attributes: [{ key: 'service.name', value: str('shop') }] },
      scopeSpans: [
        {
          scope: { name: 'shop-scope', version: '1.0' },
          spans: [
            span(id.root, '', 'GET /checkout', 0, { endTimeUnixNano: ns(t0 + 100), attributes: [{ key: 'http.route', value: str('/checkout') }] }),
            span(id.cart, id.root, 'load cart', 1),
            span(id.pay, id.root, 'pay', 20, {
              status: { code: 2, message: 'card declined' },
              events: [{ timeUnixNano: ns(t0 + 25), name: 'exception', attributes: [{ key: 'exception.type', value: str('CardError') }] }],
            }),
            span(id.orphan, hex(8), 'late callback', 90),
          ],
        },
      ],
    },
    {
      resource: { attributes: [{ key: 'service.name', value: str('db') }] },
      scopeSpans: [
        {
          scope: { name: 'pg' },
          spans: [
            span(id.q1, id.cart, 'SELECT cart', 2, { attributes: [{ key: 'db.statement', value: str('SELECT * FROM cart') }, { key: 'rows', value: { intValue: '3' } }] }),
            span(id.q2, id.cart, 'SELECT items', 5, { attributes: [{ key: 'db.statement', value: str('SELECT * FROM items') }] }),
            span(id.charge, id.pay, 'charge', 21, { attributes: [{ key: 'amount', value: { doubleValue: 9.5 } }] }),
          ],
        },
      ],
    },
  ],
};

let hub: HubHandle;
const get = (path: string) => fetch(`${hub.apiUrl}${path}`);
const json = async (path: string, status = 200) => {
  const res = await get(path);
  const b = await res.json();
  expect(res.status, JSON.stringify(b)).toBe(status);
  return b;
};

beforeAll(async () => {
  hub = await startHub();
  const res = await fetch(`${hub.otlpHttpUrl}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect(res.status).toBe(200);
  for (let k = 0; k < 200; k++) {
    const r = await get(`/api/v1/traces/${traceId}`);
    if (r.ok && ((await r.json()) as { spanCount: number }).spanCount === 7) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the trace did not arrive');
});
afterAll(async () => {
  await hub?.stop({ removeData: true });
});

describe('GET /api/v1/traces/{id}?format=', () => {
  it('compact decodes to the same spans as the JSON detail', async () => {
    const plain = await json(`/api/v1/traces/${traceId}`);
    expect(await json(`/api/v1/traces/${traceId}?format=json`)).toEqual(plain);
    const compact = await json(`/api/v1/traces/${traceId}?format=compact`);
    assertContract('CompactTraceDetail', compact);
    expect(compact.format).toBe('tracehub.compact/1');
    const c = readCompact(compact);
    // The same spans, in the same order, as the JSON detail.
    expect(c.spanIds).toEqual(plain.spans.map((s: { spanId: string }) => s.spanId));
    expect(c.names).toEqual(plain.spans.map((s: { name: string }) => s.name));
    expect([...c.names].sort()).toEqual(['GET /checkout', 'SELECT cart', 'SELECT items', 'charge', 'late callback', 'load cart', 'pay']);
    const pay = c.spanIds.indexOf(id.pay);
    expect(c.parentIds[pay]).toBe(id.root);
    expect(compact.strings[compact.spans.statusMessage[pay]]).toBe('card declined');
    expect(compact.resources[compact.spans.resource[pay]].service).toBe('shop');
    // pay's exception event, 25 ms after the trace's start (times are ns offsets from it).
    const [, payEvents] = compact.spans.events.find(([span]: [number]) => span === pay);
    expect(payEvents.map(([time, name]: [number, number]) => [compact.strings[name], time])).toEqual([['exception', 25_000_000]]);
    const [key, value] = compact.spans.attributes[c.spanIds.indexOf(id.charge)];
    expect([compact.strings[key], compact.values[value]]).toEqual(['amount', { type: 'double', value: 9.5 }]);
    expect(compact.resources.map((r: { service: string }) => r.service).sort()).toEqual(['db', 'shop']);
  });

  it('answers 400 for an unknown format, naming it', async () => {
    const b = await json(`/api/v1/traces/${traceId}?format=xml`, 400);
    expect(b).toMatchObject({ error: 'INVALID_PARAMETER' });
    expect(b.message).toMatch(/format.*json, compact/);
  });
});

describe('GET /api/v1/traces/{id}?root=', () => {
  it('returns only the subtree of that span, in either format', async () => {
    const b = await json(`/api/v1/traces/${traceId}?root=${id.cart}`);
    expect(b.spans.map((s: { spanId: string }) => s.spanId).sort()).toEqual([id.cart, id.q1, id.q2].sort());
    expect(b.subtree).toEqual({ rootSpanId: id.cart, traceSpanCount: 7 });
    expect(b.spanCount).toBe(3);
    const c = readCompact(await json(`/api/v1/traces/${traceId}?root=${id.pay}&format=compact`));
    expect(c.spanIds).toEqual([id.pay, id.charge]);
    expect(c.parentIds).toEqual([id.root, id.pay]);
  });

  it('answers 400 for a malformed span id and 404 for a span not in the trace', async () => {
    expect(await json(`/api/v1/traces/${traceId}?root=xyz`, 400)).toMatchObject({ error: 'INVALID_PARAMETER', message: expect.stringContaining('root') });
    expect(await json(`/api/v1/traces/${traceId}?root=${'1'.repeat(16)}`, 404)).toMatchObject({ error: 'SPAN_NOT_FOUND' });
  });
});

describe('the OpenAPI document', () => {
  it('documents format, root and the in-trace search', async () => {
    const doc = await json('/api/v1/openapi.json');
    const byId = doc.paths['/api/v1/traces/{traceId}'].get;
    expect(byId.parameters.map((p: { name: string }) => p.name)).toEqual(['traceId', 'format', 'root']);
    expect(doc.paths['/api/v1/traces/{traceId}/search'].get.parameters.map((p: { name: string }) => p.name)).toEqual(['traceId', 'q', 'limit']);
    expect(Object.keys(doc.components.schemas)).toEqual(expect.arrayContaining(['CompactTraceDetail', 'TraceSearch', 'Subtree']));
  });
});

describe('GET /api/v1/traces/{id}/search', () => {
  it('lists the matching span ids (names, attributes, status messages, event names, services)', async () => {
    const ids = async (q: string) => (await json(`/api/v1/traces/${traceId}/search?q=${encodeURIComponent(q)}`)).spanIds.sort();
    expect(await ids('select')).toEqual([id.q1, id.q2].sort());
    expect(await ids('FROM items')).toEqual([id.q2]);
    expect(await ids('declined')).toEqual([id.pay]);
    expect(await ids('CardError')).toEqual([]); // event attributes are not searched, event names are
    expect(await ids('exception')).toEqual([id.pay]);
    expect(await ids('db')).toEqual([id.q1, id.q2, id.charge].sort());
    expect(await ids(id.orphan)).toEqual([id.orphan]);
    const b = await json(`/api/v1/traces/${traceId}/search?q=c&limit=2`);
    expect(b).toMatchObject({ total: 7, truncated: true });
    expect(b.spanIds).toHaveLength(2);
  });

  it('answers 400 without q or with a bad limit, 404 for an unknown trace', async () => {
    expect((await json(`/api/v1/traces/${traceId}/search`, 400)).message).toMatch(/^q: required/);
    expect((await json(`/api/v1/traces/${traceId}/search?q=a&limit=0`, 400)).message).toMatch(/^limit:/);
    expect(await json(`/api/v1/traces/${hex(16)}/search?q=a`, 404)).toMatchObject({ error: 'TRACE_NOT_FOUND' });
  });
});
