// GET /api/v1/dependencies and /api/v1/dependencies/traces on real traces:
// real PostgreSQL, tracehub, order-service and payment-service. The expected
// numbers are counted from the traces read back, never written down.
import type { ServiceGraph } from '@tracelab/api-contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readTrace } from '@tracelab/trace-assert';
import type { HubHandle } from '@tracelab/test-support/hub';
import { startLab, type ApiSpan, type Lab, type Services } from '@tracelab/test-support/system';

/** The answer of GET /api/v1/dependencies, as the contract declares it. */
type Graph = ServiceGraph;

let hub: HubHandle;
let services: Services;
let lab: Lab | undefined;
/** Every trace that started in [startMs, endMs], by id. */
const traces = new Map<string, ApiSpan[]>();
const orders: { traceId: string; status: number }[] = [];
let startMs = 0;
let endMs = 0;
const K = 3;

const attr = (s: ApiSpan, key: string) => s.attributes.find((a) => a.key === key)?.value.value;
const isDbClient = (s: ApiSpan) => s.kind === 'client' && (attr(s, 'db.system.name') !== undefined || attr(s, 'db.system') !== undefined);
const window = () => `start=${startMs}&end=${endMs}`;

async function getJson<T>(path: string): Promise<{ status: number; body: T }> {
  const res = await fetch(`${hub.apiUrl}${path}`);
  return { status: res.status, body: (await res.json()) as T };
}

beforeAll(async () => {
  lab = await startLab({ PAYMENT_TIMEOUT_MS: '500' });
  ({ hub, services } = lab);
  // Start-up spans (migrations, readiness probes) are exported by now and start before the window.
  await new Promise((r) => setTimeout(r, 1500));
  startMs = Date.now();
  const queries = [
    ...Array.from({ length: K }, () => 'productName=Book&delay=20'),
    'productName=OutOfStockItem&delay=20',
    'productName=Book&delay=600',
  ];
  for (const q of queries) {
    const res = await fetch(`${services.orderUrl}/order?${q}`);
    const body = (await res.json()) as { traceId: string };
    orders.push({ traceId: body.traceId, status: res.status });
  }
  for (const o of orders) await readTrace(hub.apiUrl, o.traceId, 15_000, 600);
  endMs = Date.now();
  // Everything that started in the window, ours or not (e.g. a background query), read back whole.
  const list = (await getJson<{ traces: { traceId: string }[] }>(`/api/v1/traces?${window()}&limit=1000`)).body.traces;
  for (const t of list) traces.set(t.traceId, (await readTrace(hub.apiUrl, t.traceId, 15_000, 300)) as unknown as ApiSpan[]);
});
afterAll(async () => {
  await lab?.stop();
});

/** Cross-service calls source → target in the traces read back: [traceId, parent, child][]. */
function callsBetween(source: string, target: string) {
  const out: { traceId: string; parent: ApiSpan; child: ApiSpan }[] = [];
  for (const [traceId, spans] of traces) {
    const byId = new Map(spans.map((s) => [s.spanId, s]));
    for (const child of spans) {
      const parent = child.parentSpanId ? byId.get(child.parentSpanId) : undefined;
      if (parent?.service === source && child.service === target) out.push({ traceId, parent, child });
    }
  }
  return out;
}

/** The span or a span below it in the same service (before another service is called), other than an outgoing call, has status ERROR. */
function calleeFailed(spans: ApiSpan[], span: ApiSpan): boolean {
  if (span.status.code === 'error' && span.kind !== 'client' && span.kind !== 'producer') return true;
  return spans.some((c) => c.parentSpanId === span.spanId && c.service === span.service && calleeFailed(spans, c));
}

/** Database client spans of `service` (a CLIENT span with db.system[.name] and no child in another service). */
function dbCalls(service: string) {
  const out: { traceId: string; span: ApiSpan }[] = [];
  for (const [traceId, spans] of traces) {
    for (const span of spans) {
      if (span.service !== service || !isDbClient(span)) continue;
      if (spans.some((c) => c.parentSpanId === span.spanId && c.service !== service)) continue;
      out.push({ traceId, span });
    }
  }
  return out;
}

describe('service map on real traces', () => {
  it('the orders answered as expected', () => {
    expect(orders.map((o) => o.status)).toEqual([...Array(K).fill(200), 409, 504]);
    for (const o of orders) expect(traces.has(o.traceId)).toBe(true);
  });

  it('order-service → payment-service: the payment calls made, the failed one counted', async () => {
    const { status, body } = await getJson<Graph>(`/api/v1/dependencies?${window()}`);
    expect(status).toBe(200);
    const made = callsBetween('order-service', 'payment-service');
    // Every normal order and the timed-out one called payment-service; out of stock did not.
    expect(new Set(made.map((c) => c.traceId)).size).toBe(K + 1);
    // A failed call: the caller's CLIENT span, or the callee's part of the call (its span and what it ran under it), has an ERROR span.
    const failed = made.filter((c) => calleeFailed(traces.get(c.traceId)!, c.child) || (c.parent.kind === 'client' && c.parent.status.code === 'error'));
    // The timed-out call fails in payment-service's handler (caller aborted), not in its SERVER span.
    expect(failed.map((c) => c.traceId)).toContain(orders[K + 1]!.traceId);
    expect(failed.length).toBeGreaterThan(0);
    const edge = body.edges.find((e) => e.source === 'order-service' && e.target === 'payment-service')!;
    expect(edge).toMatchObject({ kind: 'call', calls: made.length, errors: failed.length });
    expect(edge.errorRate).toBeCloseTo(failed.length / made.length);
    expect(edge.callsPerSec).toBeCloseTo(made.length / ((endMs - startMs) / 1000));
    // p95 is of the caller's CLIENT spans: the timed-out call lasted about its 500 ms timeout.
    const callerMs = made.map((c) => (c.parent.kind === 'client' ? c.parent.durationMs : c.child.durationMs));
    expect(edge.p95Ms).toBeLessThanOrEqual(Math.max(...callerMs) + 1e-6);
    expect(edge.p95Ms).toBeGreaterThanOrEqual(Math.min(...callerMs) - 1e-6);
    expect(edge.p50Ms).toBeLessThanOrEqual(edge.p95Ms);
    expect(failed.map((c) => c.traceId)).toContain(edge.exemplar?.traceId);
    for (const name of ['order-service', 'payment-service']) expect(body.nodes.find((n) => n.id === name)?.kind).toBe('service');
    // The old field is still there, unchanged in shape.
    expect(body.dependencies).toContainEqual(expect.objectContaining({ parent: 'order-service', child: 'payment-service', callCount: made.length }));
  });

  it('PostgreSQL is a database node; its edge from order-service counts the pg client spans', async () => {
    const { body } = await getJson<Graph>(`/api/v1/dependencies?${window()}`);
    const pg = dbCalls('order-service');
    expect(pg.length).toBeGreaterThan(0);
    const ns = attr(pg[0]!.span, 'db.namespace') ?? attr(pg[0]!.span, 'db.name');
    const db = body.nodes.filter((n) => n.kind === 'database');
    expect(db).toHaveLength(1);
    expect(db[0]).toMatchObject({ name: ns ?? 'postgresql', system: 'postgresql', calls: pg.length });
    const edges = body.edges.filter((e) => e.target === db[0]!.id);
    expect(edges.map((e) => [e.source, e.kind, e.calls])).toEqual([['order-service', 'database', pg.length]]);
    expect(edges[0]!.errors).toBe(pg.filter((c) => c.span.status.code === 'error').length);
    // A database is no service: nothing calls out of it, and no span belongs to it.
    expect(body.edges.filter((e) => e.source === db[0]!.id)).toEqual([]);
  });

  it('/api/v1/dependencies/traces lists exactly the traces holding that call', async () => {
    const want = [...new Set(callsBetween('order-service', 'payment-service').map((c) => c.traceId))].sort();
    const { status, body } = await getJson<{ traces: { traceId: string; rootService: string }[] }>(
      `/api/v1/dependencies/traces?source=order-service&target=payment-service&${window()}`,
    );
    expect(status).toBe(200);
    expect(body.traces.map((t) => t.traceId).sort()).toEqual(want);
    const outOfStock = orders[K]!.traceId;
    expect(body.traces.map((t) => t.traceId)).not.toContain(outOfStock);
    expect(body.traces[0]).toMatchObject({ rootService: 'order-service', spanCount: expect.any(Number) });

    const graph = (await getJson<Graph>(`/api/v1/dependencies?${window()}`)).body;
    const dbId = graph.nodes.find((n) => n.kind === 'database')!.id;
    const dbTraces = (await getJson<{ traces: { traceId: string }[] }>(
      `/api/v1/dependencies/traces?source=order-service&target=${encodeURIComponent(dbId)}&${window()}&limit=1000`,
    )).body.traces;
    expect(dbTraces.map((t) => t.traceId).sort()).toEqual([...new Set(dbCalls('order-service').map((c) => c.traceId))].sort());
    const limited = (await getJson<{ traces: unknown[] }>(`/api/v1/dependencies/traces?source=order-service&target=payment-service&${window()}&limit=1`)).body;
    expect(limited.traces).toHaveLength(1);
  });

  it('bad or unknown edges: 400 when a node is missing, an empty list when it is unknown', async () => {
    const missing = await getJson<{ error: string; message: string }>(`/api/v1/dependencies/traces?source=order-service&${window()}`);
    expect(missing.status).toBe(400);
    expect(missing.body).toMatchObject({ error: 'INVALID_PARAMETER', message: expect.stringContaining('target') });
    expect((await getJson(`/api/v1/dependencies/traces?target=x`)).status).toBe(400);
    expect((await getJson(`/api/v1/dependencies/traces?source=a&target=b&limit=0`)).status).toBe(400);
    expect((await getJson(`/api/v1/dependencies?start=yesterday`)).status).toBe(400);
    for (const target of ['no-such-service', 'db:nothing', 'peer:nowhere:1']) {
      const r = await getJson<{ traces: unknown[] }>(`/api/v1/dependencies/traces?source=order-service&target=${encodeURIComponent(target)}&${window()}`);
      expect(r).toEqual({ status: 200, body: { traces: [] } });
    }
  });
});
