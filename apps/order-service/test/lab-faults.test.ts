// The lab's fault switches end to end: real PostgreSQL, tracehub and both
// services. Each switch changes behaviour as documented and shows up as
// `lab.faults` on every span of the requests made while it is on, and only
// those. The trace assertions runner fails the shipped normal spec on a trace
// made under a fault, naming the span and the rule.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminRoutes } from '../src/routes/admin.js';
import { parseSpecs, readTrace, runSpec, type TraceSpan } from '@tracelab/trace-assert';
import type { HubHandle } from '@tracelab/test-support/hub';
import { startLab, type Lab, type Services } from '@tracelab/test-support/system';

const normalSpec = fileURLToPath(new URL('../../../specs/normal.yaml', import.meta.url));

let hub: HubHandle;
let services: Services;
let lab: Lab | undefined;

beforeAll(async () => {
  lab = await startLab({ PAYMENT_TIMEOUT_MS: '500' });
  ({ hub, services } = lab);
});
afterAll(async () => {
  await lab?.stop();
});

async function admin(method: string, body?: unknown, base = services.orderUrl): Promise<{ status: number; body: { faults?: Record<string, unknown>; active?: string; error?: string; message?: string } }> {
  const res = await fetch(`${base}/admin/faults`, { method, headers: body ? { 'content-type': 'application/json' } : {}, body: body ? JSON.stringify(body) : undefined });
  return { status: res.status, body: (await res.json()) as never };
}

async function order(query = 'productName=Book&delay=100'): Promise<{ status: number; body: Record<string, unknown>; spans: TraceSpan[] }> {
  const res = await fetch(`${services.orderUrl}/order?${query}`);
  const body = (await res.json()) as Record<string, unknown>;
  const spans = (await readTrace(hub.apiUrl, body.traceId as string, 15_000, 400))!;
  return { status: res.status, body, spans };
}

const faultsOf = (spans: TraceSpan[]) => spans.map((s) => s.attributes.find((a) => a.key === 'lab.faults')?.value.value);
const named = (spans: TraceSpan[], name: string) => spans.filter((s) => s.name === name);
const childrenOf = (spans: TraceSpan[], parent: TraceSpan) => spans.filter((s) => s.parentSpanId === parent.spanId);
const attr = (s: TraceSpan, key: string) => s.attributes.find((a) => a.key === key)?.value.value;

describe('lab fault switches', () => {
  let baseline: Awaited<ReturnType<typeof order>>;

  it('all off: a normal order, no span carries lab.faults', async () => {
    expect((await admin('GET')).body.active).toBe('');
    baseline = await order();
    expect(baseline.status).toBe(200);
    expect(faultsOf(baseline.spans).every((f) => f === undefined)).toBe(true);
  });

  it('the admin API validates, and order-service passes changes on to payment-service', async () => {
    const bad = await admin('PATCH', { 'payment.errorRate': 150 });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toBe('payment.errorRate must be a whole number from 0 to 100 (%); got 150.');
    const unknown = await admin('PATCH', { 'payment.explode': true });
    expect(unknown.status).toBe(400);
    expect(unknown.body.message).toContain('Unknown switch "payment.explode"');
    const set = await admin('PATCH', { 'payment.jitter': 40 });
    expect(set.body.active).toBe('payment.latency=0ms±40ms');
    expect((await admin('GET', undefined, services.paymentUrl)).body.active).toBe('payment.latency=0ms±40ms');
    expect((await admin('DELETE')).body.active).toBe('');
    expect((await admin('GET', undefined, services.paymentUrl)).body.active).toBe('');
  });

  it('payment.latency: payment takes longer; past the timeout the order is 504', async () => {
    await admin('PUT', { 'payment.latency': 700 });
    const o = await order();
    expect(o.status).toBe(504);
    expect(o.body.error).toBe('PAYMENT_TIMEOUT');
    const pay = named(o.spans, 'process-payment')[0]!;
    expect(attr(pay, 'tracelab.payment.delay_ms')).toBe('800');
    expect(new Set(faultsOf(o.spans))).toEqual(new Set(['payment.latency=700ms']));
    expect(new Set(o.spans.map((s) => s.service))).toEqual(new Set(['order-service', 'payment-service']));
  });

  it('payment.jitter: the extra delay is random within the bound', async () => {
    await admin('PUT', { 'payment.latency': 20, 'payment.jitter': 50 });
    const o = await order();
    expect(o.status).toBe(200);
    const delay = Number(attr(named(o.spans, 'process-payment')[0]!, 'tracelab.payment.delay_ms'));
    expect(delay).toBeGreaterThanOrEqual(120);
    expect(delay).toBeLessThanOrEqual(170);
    expect(new Set(faultsOf(o.spans))).toEqual(new Set(['payment.latency=20ms±50ms']));
  });

  it('payment.errorRate 100%: every payment fails, the order is 502', async () => {
    await admin('PUT', { 'payment.errorRate': 100 });
    const o = await order();
    expect(o.status).toBe(502);
    expect(o.body.error).toBe('PAYMENT_FAILED');
    expect(named(o.spans, 'process-payment')[0]!.status.code).toBe('error');
    expect(named(o.spans, 'call-payment-api')[0]!.status.code).toBe('error');
    expect(named(o.spans, 'release-stock')).toHaveLength(1);
    expect(new Set(faultsOf(o.spans))).toEqual(new Set(['payment.errorRate=100%']));
  });

  it('payment.unreachable: the call is refused, payment-service never sees it', async () => {
    await admin('PUT', { 'payment.unreachable': true });
    const o = await order();
    expect(o.status).toBe(502);
    expect(String(o.body.message)).toMatch(/payment-service unreachable .*ECONNREFUSED/);
    expect(o.spans.filter((s) => s.service === 'payment-service')).toHaveLength(0);
    const call = named(o.spans, 'call-payment-api')[0]!;
    expect(call.status.code).toBe('error');
    expect(childrenOf(o.spans, call).map((s) => [s.name, s.kind, s.status.code])).toEqual([['POST', 'client', 'error']]);
    expect(new Set(faultsOf(o.spans))).toEqual(new Set(['payment.unreachable']));
  });

  it('payment.retries: a failing call is retried with doubling backoff, each attempt its own span', async () => {
    await admin('PUT', { 'payment.unreachable': true, 'payment.retries': 2, 'payment.retryBackoff': 30 });
    const o = await order();
    expect(o.status).toBe(502);
    const call = named(o.spans, 'call-payment-api')[0]!;
    expect(childrenOf(o.spans, call).map((s) => s.name)).toEqual(['POST', 'POST', 'POST']);
    const retries = ((call as unknown as { events: { name: string; attributes: { key: string; value: { value: unknown } }[] }[] }).events ?? []).filter((e) => e.name === 'lab.retry');
    expect(retries.map((e) => e.attributes.find((a) => a.key === 'lab.retry.backoff_ms')?.value.value)).toEqual(['30', '60']);
    expect(new Set(faultsOf(o.spans))).toEqual(new Set(['payment.unreachable,payment.retries=2(backoff 30ms)']));

    // A call that succeeds is not retried.
    await admin('PUT', { 'payment.retries': 2 });
    const ok = await order();
    expect(ok.status).toBe(200);
    expect(childrenOf(ok.spans, named(ok.spans, 'call-payment-api')[0]!).map((s) => s.name)).toEqual(['POST']);
  });

  it('stock.slowQuery: check-stock runs a pg_sleep query span first', async () => {
    await admin('PUT', { 'stock.slowQuery': 300 });
    const o = await order();
    expect(o.status).toBe(200);
    const check = named(o.spans, 'check-stock')[0]!;
    const queries = childrenOf(o.spans, check);
    const sleep = queries.find((s) => String(attr(s, 'db.query.text')).includes('pg_sleep'))!;
    expect(sleep).toBeDefined();
    expect(attr(sleep, 'db.system.name')).toBe('postgresql');
    // No table: the span is named by the operation alone.
    expect([sleep.name, attr(sleep, 'db.collection.name')]).toEqual(['SELECT', undefined]);
    expect(sleep.durationMs).toBeGreaterThanOrEqual(300);
    expect(check.durationMs).toBeGreaterThanOrEqual(300);
    expect(new Set(faultsOf(o.spans))).toEqual(new Set(['stock.slowQuery=300ms']));
  });

  it('order.nPlusOne: save-order runs N extra one-row queries; the normal spec fails on it, naming the spans and the rule', async () => {
    await admin('PUT', { 'order.nPlusOne': 5 });
    const o = await order();
    expect(o.status).toBe(200);
    const save = named(o.spans, 'save-order')[0]!;
    const queries = childrenOf(o.spans, save);
    expect(queries).toHaveLength(6);
    expect(queries.filter((s) => String(attr(s, 'db.query.text')).startsWith('SELECT id, name, stock FROM products WHERE id = $1'))).toHaveLength(5);

    const [spec] = parseSpecs(readFileSync(normalSpec, 'utf8'), normalSpec);
    const suite = await runSpec(spec!, { orderUrl: services.orderUrl, tracehubUrl: hub.apiUrl, settleMs: 400 });
    const failed = suite.results.filter((r) => !r.pass);
    expect(failed.map((r) => r.title)).toEqual([
      'assertions[0] "GET /order" [order-service]: has no attribute lab.faults',
      'assertions[8] "*" under "save-order": at most 3 spans',
    ]);
    expect(failed[0]!.failures[0]).toMatch(/^span "GET \/order" \[order-service\] [0-9a-f]{16}: lab\.faults is "order\.nPlusOne=5"$/);
    expect(failed[1]!.failures[0]).toMatch(/^found 6: span "INSERT orders" \[order-service\] [0-9a-f]{16}; span "SELECT products" \[order-service\]/);
  });

  it('all off again: the next request carries no lab.faults, and earlier clean traces never did', async () => {
    await admin('DELETE');
    const o = await order();
    expect(o.status).toBe(200);
    expect(faultsOf(o.spans).every((f) => f === undefined)).toBe(true);
    const again = (await readTrace(hub.apiUrl, baseline.body.traceId as string, 5000, 100))!;
    expect(faultsOf(again).every((f) => f === undefined)).toBe(true);
    const [spec] = parseSpecs(readFileSync(normalSpec, 'utf8'), normalSpec);
    const suite = await runSpec(spec!, { orderUrl: services.orderUrl, tracehubUrl: hub.apiUrl, settleMs: 400 });
    expect(suite.results.filter((r) => !r.pass)).toEqual([]);
  });
});

describe('admin API', () => {
  // payment-service's admin API: apps/payment-service/test/faults.test.ts.
  it('order-service: only from this machine', async () => {
    const app = Fastify();
    adminRoutes(app);
    const far = await app.inject({ method: 'PATCH', url: '/admin/faults', remoteAddress: '192.168.1.9', payload: { 'payment.errorRate': 100 } });
    expect(far.statusCode).toBe(403);
    expect(far.json()).toMatchObject({ error: 'FORBIDDEN' });
    const near = await app.inject({ method: 'GET', url: '/admin/faults', remoteAddress: '127.0.0.1' });
    expect(near.statusCode).toBe(200);
    expect(near.json().active).toBe('');
    await app.close();
  });
});
