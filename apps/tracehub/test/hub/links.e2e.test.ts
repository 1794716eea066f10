// GET /api/v1/traces/{id}/links against a real tracehub: traces sent as
// OTLP/JSON, some of whose spans link to a target trace (near it in time,
// hours before it, and inside the target itself).
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHub, type HubHandle } from '@tracelab/test-support/hub';

const hex = (bytes: number) => randomBytes(bytes).toString('hex');
const str = (value: string) => ({ stringValue: value });
const HOUR_MS = 3_600_000;

let hub: HubHandle;
const now = Date.now() - 10_000;
const ns = (ms: number) => String(BigInt(Math.round(ms)) * 1_000_000n);

const target = { trace: hex(16), root: hex(8), child: hex(8) };
const near = { trace: hex(16), span: hex(8), other: hex(8) };
const early = { trace: hex(16), span: hex(8) };
const unrelated = { trace: hex(16), span: hex(8) };

interface Spec {
  traceId: string;
  spanId: string;
  parent?: string;
  name: string;
  startMs: number;
  links?: { traceId: string; spanId: string; attrs?: Record<string, string> }[];
}
const span = (s: Spec) => ({
  traceId: s.traceId,
  spanId: s.spanId,
  parentSpanId: s.parent ?? '',
  name: s.name,
  kind: 1,
  startTimeUnixNano: ns(s.startMs),
  endTimeUnixNano: ns(s.startMs + 20),
  links: (s.links ?? []).map((l) => ({
    traceId: l.traceId,
    spanId: l.spanId,
    attributes: Object.entries(l.attrs ?? {}).map(([key, v]) => ({ key, value: str(v) })),
  })),
});
const batch = (service: string, spans: Spec[]) => ({
  resourceSpans: [{ resource: { attributes: [{ key: 'service.name', value: str(service) }] }, scopeSpans: [{ scope: { name: 'test' }, spans: spans.map(span) }] }],
});

async function send(body: unknown): Promise<void> {
  const res = await fetch(`${hub.otlpHttpUrl}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect(res.status).toBe(200);
}

const links = async (id: string, query = '') => {
  const res = await fetch(`${hub.apiUrl}/api/v1/traces/${id}/links${query}`);
  return { status: res.status, body: await res.json() };
};

beforeAll(async () => {
  hub = await startHub();
  await send(
    batch('order-service', [
      { traceId: target.trace, spanId: target.root, name: 'POST /order', startMs: now },
      // A link inside the same trace is not an incoming link.
      { traceId: target.trace, spanId: target.child, parent: target.root, name: 'enqueue', startMs: now + 1, links: [{ traceId: target.trace, spanId: target.root }] },
    ]),
  );
  await send(
    batch('worker', [
      {
        traceId: near.trace,
        spanId: near.span,
        name: 'process order',
        startMs: now + 5 * 60_000,
        links: [
          { traceId: target.trace, spanId: target.child, attrs: { 'messaging.operation': 'process' } },
          { traceId: unrelated.trace, spanId: unrelated.span },
        ],
      },
      { traceId: near.trace, spanId: near.other, parent: near.span, name: 'no links', startMs: now + 5 * 60_000 + 1 },
    ]),
  );
  await send(batch('batcher', [{ traceId: early.trace, spanId: early.span, name: 'nightly batch', startMs: now - 3 * HOUR_MS, links: [{ traceId: target.trace, spanId: target.root }] }]));
  await send(batch('other', [{ traceId: unrelated.trace, spanId: unrelated.span, name: 'unrelated', startMs: now }]));
});
afterAll(async () => {
  await hub?.stop({ removeData: true });
});

describe('GET /api/v1/traces/{traceId}/links', () => {
  it('lists the spans of other traces that link to the trace, within ±1 h by default', async () => {
    const { status, body } = await links(target.trace);
    expect(status).toBe(200);
    expect(body).toEqual({
      incoming: [
        {
          traceId: near.trace,
          spanId: near.span,
          service: 'worker',
          name: 'process order',
          linkedSpanId: target.child,
          attributes: [{ key: 'messaging.operation', value: { type: 'string', value: 'process' } }],
        },
      ],
    });
  });

  it('reaches further back with a wider window, earliest linking span first; limit bounds the rows', async () => {
    const { body } = await links(target.trace, '?window=4h');
    expect(body.incoming.map((l: { traceId: string; linkedSpanId: string }) => [l.traceId, l.linkedSpanId])).toEqual([
      [early.trace, target.root],
      [near.trace, target.child],
    ]);
    const limited = await links(target.trace, '?window=4h&limit=1');
    expect(limited.body.incoming.map((l: { traceId: string }) => l.traceId)).toEqual([early.trace]);
  });

  it('has no incoming links for a trace nobody links to, and the unrelated trace sees the worker link', async () => {
    expect((await links(early.trace)).body).toEqual({ incoming: [] });
    const { body } = await links(unrelated.trace);
    expect(body.incoming).toEqual([{ traceId: near.trace, spanId: near.span, service: 'worker', name: 'process order', linkedSpanId: unrelated.span, attributes: [] }]);
  });

  it('answers 404 for an unknown trace and 400 naming the bad parameter', async () => {
    const missing = await links(hex(16));
    expect(missing.status).toBe(404);
    expect(missing.body.error).toBe('TRACE_NOT_FOUND');
    const badId = await links('not-a-trace');
    expect(badId.status).toBe(400);
    expect(badId.body.message).toContain('traceId');
    for (const [query, param] of [['?window=soon', 'window'], ['?window=48h', 'window'], ['?limit=0', 'limit'], ['?limit=x', 'limit']] as const) {
      const r = await links(target.trace, query);
      expect(r.status, query).toBe(400);
      expect(r.body.message, query).toContain(param);
    }
  });

  it('is in the OpenAPI document', async () => {
    const doc = await (await fetch(`${hub.apiUrl}/api/v1/openapi.json`)).json();
    expect(Object.keys(doc.paths)).toContain('/api/v1/traces/{traceId}/links');
    expect(doc.components.schemas.IncomingLinks.properties.incoming.items.required).toContain('linkedSpanId');
  });
});
