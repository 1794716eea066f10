// GET /api/v1/traces/{id}/doctor in process (inject() over a temporary store):
// the store's candidate query and the matching together, on OTLP/JSON traces
// posted to the receiver. A broken hop between two traces, found from both
// sides, next to decoys the query returns but the matching must refuse.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Diagnosis } from '../../src/analysis/doctor.js';
import { type InProcessHub, openInProcessHub } from '../inprocess.js';

let hub: InProcessHub;
const MS = 1_000_000n;
const t0 = BigInt(Date.now() - 60_000) * MS;
const id = (c: string, n: number) => c.repeat(n);
const ORDER = id('1', 32);
const PAYMENT = id('2', 32);
const DECOY = id('3', 32);

type Attr = Record<string, string | number>;
const attrs = (a: Attr) => Object.entries(a).map(([key, v]) => ({ key, value: typeof v === 'number' ? { intValue: String(v) } : { stringValue: v } }));

function span(traceId: string, spanId: string, parent: string, name: string, kind: number, startMs: number, endMs: number, a: Attr = {}) {
  return {
    traceId,
    spanId,
    parentSpanId: parent,
    name,
    kind,
    startTimeUnixNano: String(t0 + BigInt(startMs) * MS),
    endTimeUnixNano: String(t0 + BigInt(endMs) * MS),
    attributes: attrs(a),
  };
}

function body(service: string, spans: ReturnType<typeof span>[]): string {
  const resource = { attributes: attrs({ 'service.name': service, 'telemetry.sdk.name': 'opentelemetry', 'telemetry.sdk.language': 'nodejs' }) };
  return JSON.stringify({ resourceSpans: [{ resource, scopeSpans: [{ scope: { name: 'test' }, spans }] }] });
}

const payAttrs = { 'http.request.method': 'POST', 'url.path': '/payments', 'http.route': '/payments', 'server.port': 4100 };

beforeAll(async () => {
  hub = await openInProcessHub();
  await hub.postTraces(
    body('order-service', [
      span(ORDER, id('a', 16), '', 'GET /order', 2, 0, 100, { 'http.request.method': 'GET', 'url.path': '/order', 'server.port': 3001 }),
      span(ORDER, id('b', 16), id('a', 16), 'SELECT products', 3, 2, 6, { 'db.system.name': 'postgresql', 'server.address': 'localhost', 'server.port': 5432 }),
      span(ORDER, id('c', 16), id('a', 16), 'POST', 3, 10, 60, { 'http.request.method': 'POST', 'url.full': 'http://127.0.0.1:4100/payments', 'server.port': 4100 }),
    ]),
  );
  await hub.postTraces(
    body('payment-service', [
      span(PAYMENT, id('d', 16), '', 'POST /payments', 2, 12, 58, payAttrs),
      span(PAYMENT, id('e', 16), id('d', 16), 'process-payment', 1, 13, 57),
    ]),
  );
  // Another service's request at the same time on another port: a candidate the matching must refuse.
  await hub.postTraces(body('stock-service', [span(DECOY, id('f', 16), '', 'POST /payments', 2, 11, 30, { ...payAttrs, 'server.port': 4200 })]));
});
afterAll(async () => {
  await hub?.close();
});

async function doctor(traceId: string): Promise<{ status: number; body: Diagnosis & { error?: string } }> {
  const res = await hub.api.inject({ method: 'GET', url: `/api/v1/traces/${traceId}/doctor` });
  return { status: res.statusCode, body: res.json() };
}

describe('/api/v1/traces/{id}/doctor (in process)', () => {
  it('from the caller: the open call is matched to the payment trace, not the decoy or the database', async () => {
    const { status, body } = await doctor(ORDER);
    expect(status).toBe(200);
    expect(body.findings).toHaveLength(1);
    expect(body.findings[0]).toMatchObject({
      kind: 'broken-hop',
      side: 'client',
      spanIds: [id('c', 16)],
      hop: 'order-service → payment-service: POST /payments',
      otherTraceId: PAYMENT,
      otherSpanId: id('d', 16),
    });
  });

  it('from the callee: the root SERVER span finds its caller in the order trace', async () => {
    const { body } = await doctor(PAYMENT);
    expect(body.findings.map((f) => [f.kind, f.side, f.otherTraceId, f.otherSpanId])).toEqual([['broken-hop', 'server', ORDER, id('c', 16)]]);
  });

  it('the decoy has no caller of its own (the call went to the payment service)', async () => {
    expect((await doctor(DECOY)).body.findings).toEqual([]);
  });

  it('400 for a malformed id, 404 for an unknown trace', async () => {
    const bad = await doctor('xyz');
    expect(bad.status).toBe(400);
    expect(bad.body.error).toBe('INVALID_TRACE_ID');
    const unknown = await doctor(id('9', 32));
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toBe('TRACE_NOT_FOUND');
  });
});
