// GET /api/v1/traces/{id}/explain on real traces: real PostgreSQL, tracehub,
// order-service and payment-service, with the lab's real fault switches. Each
// rule of the explain engine must name the right span and say why, and every
// failed order answer carries an `explanation` in the same words.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readTrace } from '@tracelab/trace-assert';
import type { HubHandle } from '@tracelab/test-support/hub';
import { startLab, type Lab, type Services } from '@tracelab/test-support/system';

const run = promisify(execFile);
const scenarioCli = fileURLToPath(new URL('../../../scripts/scenario.mjs', import.meta.url));

interface Explanation {
  status: 'ok' | 'error';
  summary: string;
  cause: { spanId: string; service: string; name: string; kind: string } | null;
  chain: { spanId: string; service: string; name: string; role: string }[];
}

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

async function faults(state: Record<string, unknown>): Promise<void> {
  const res = await fetch(`${services.orderUrl}/admin/faults`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(state) });
  expect(res.status).toBe(200);
}

/** One order under `state`, its answer, and its trace's explanation once the trace has settled. */
async function explained(query: string, state: Record<string, unknown> = {}) {
  await faults(state);
  const res = await fetch(`${services.orderUrl}/order?${query}`);
  const body = (await res.json()) as Record<string, unknown>;
  const traceId = body.traceId as string;
  const spans = (await readTrace(hub.apiUrl, traceId, 15_000, 400))!;
  const answer = await fetch(`${hub.apiUrl}/api/v1/traces/${traceId}/explain`);
  expect(answer.status).toBe(200);
  const e = (await answer.json()) as Explanation;
  const cause = spans.find((s) => s.spanId === e.cause?.spanId);
  return { status: res.status, body, e, cause, spans };
}

const roles = (e: Explanation) => e.chain.map((c) => `${c.service} ${c.name}:${c.role}`);

describe('explain on real traces', () => {
  it('a normal order: no errors, most time in payment-service process-payment', async () => {
    const o = await explained('productName=Book&delay=150');
    expect(o.status).toBe(200);
    expect(o.body.explanation).toBeUndefined();
    expect(o.e.status).toBe('ok');
    expect(o.e.cause).toMatchObject({ service: 'payment-service', name: 'process-payment', kind: 'slow' });
    expect(o.e.summary).toMatch(/^No errors; most time in payment-service process-payment \(\d+ ms of \d+ ms\)\.$/);
    expect(o.e.chain.at(-1)).toMatchObject({ service: 'order-service', name: 'GET /order', role: 'root' });
  });

  it('out of stock: check-stock raised it (error), and the answer says the same sentence', async () => {
    const o = await explained('productName=OutOfStockItem&delay=100');
    expect(o.status).toBe(409);
    expect(o.e.status).toBe('error');
    expect(o.e.cause).toMatchObject({ service: 'order-service', name: 'check-stock', kind: 'error' });
    expect(o.e.summary).toBe('order-service check-stock failed with OUT_OF_STOCK: Not enough stock for "OutOfStockItem": wanted 1, 0 left.');
    expect(o.body.explanation).toBe(o.e.summary);
    expect(Object.keys(o.body).slice(-3)).toEqual(['explanation', 'traceId', 'traceUrl']);
    expect(roles(o.e)[0]).toBe('order-service check-stock:cause');
    expect(roles(o.e).at(-1)).toBe('order-service GET /order:root');
  });

  it.each([
    ['fail=true', 'productName=Book&delay=100&fail=true', {}],
    ['payment.errorRate=100', 'productName=Book&delay=100', { 'payment.errorRate': 100 }],
  ])('payment failure (%s): payment-service process-payment (error)', async (_name, query, state) => {
    const o = await explained(query, state);
    expect(o.status).toBe(502);
    expect(o.e.cause).toMatchObject({ service: 'payment-service', name: 'process-payment', kind: 'error' });
    expect(o.e.summary).toBe('payment-service process-payment failed with PAYMENT_PROCESSING_FAILED: Simulated payment failure (fail=true).');
    expect(o.body.explanation).toBe('payment-service failed with HTTP 500: Simulated payment failure (fail=true).');
    // Every ERROR span between the cause and the root passed it on.
    expect(o.e.chain.slice(1, -1).every((c) => c.role === 'propagated')).toBe(true);
  });

  it.each([
    ['delay=600', 'productName=Book&delay=600', {}],
    ['payment.latency=700', 'productName=Book&delay=100', { 'payment.latency': 700 }],
  ])('payment timeout (%s): the slow callee span, not the "caller aborted" error; names the timeout and who gave up', async (_name, query, state) => {
    const o = await explained(query, state);
    expect(o.status).toBe(504);
    expect(o.e.cause).toMatchObject({ service: 'payment-service', name: 'process-payment', kind: 'timeout' });
    // The callee did record the abort as its error: a consequence, never the cause.
    expect(o.spans.filter((s) => s.status.code === 'error' && s.service === 'payment-service').length).toBeGreaterThan(0);
    expect(o.e.summary).toMatch(/^order-service call-payment-api gave up after 500 ms \(its timeout\); payment-service process-payment took \d+ ms and was cut off\.$/);
    expect(roles(o.e)).toContain('order-service call-payment-api:gave-up');
    expect(o.body.explanation).toBe('order-service call-payment-api gave up after 500 ms (its timeout); payment-service did not answer in time.');
    expect(o.e.summary.startsWith(String(o.body.explanation).split(';')[0]!)).toBe(true);
  });

  it('payment.unreachable: the HTTP client span (unreachable)', async () => {
    const o = await explained('productName=Book&delay=100', { 'payment.unreachable': true });
    expect(o.status).toBe(502);
    expect(o.e.cause).toMatchObject({ service: 'order-service', kind: 'unreachable' });
    expect(o.cause?.kind).toBe('client');
    const peer = /could not reach (127\.0\.0\.1:\d+) \(ECONNREFUSED\)\.$/.exec(o.e.summary)?.[1];
    expect(o.e.summary).toBe(`order-service ${o.cause?.name} could not reach ${peer} (ECONNREFUSED).`);
    expect(o.body.explanation).toBe(`order-service could not reach ${peer} (ECONNREFUSED).`);
  });

  it('payment.unreachable + payment.retries: retries-exhausted with the attempt count', async () => {
    const o = await explained('productName=Book&delay=100', { 'payment.unreachable': true, 'payment.retries': 2, 'payment.retryBackoff': 20 });
    expect(o.status).toBe(502);
    expect(o.e.cause).toMatchObject({ service: 'order-service', kind: 'retries-exhausted' });
    expect(o.e.summary).toMatch(/^order-service \S+ could not reach 127\.0\.0\.1:\d+ \(ECONNREFUSED\) in 3 attempts; order-service call-payment-api gave up\.$/);
    expect(roles(o.e)[1]).toBe('order-service call-payment-api:gave-up');
    // The cause is the last of the three attempts.
    const attempts = o.spans.filter((s) => s.parentSpanId === o.cause?.parentSpanId && s.kind === 'client');
    expect(attempts).toHaveLength(3);
    expect(attempts.every((a) => BigInt(a.startTimeUnixNano) <= BigInt(o.cause!.startTimeUnixNano))).toBe(true);
  });

  it('stock.slowQuery: the slow SQL statement (slow-query), on a successful order', async () => {
    const o = await explained('productName=Book&delay=50', { 'stock.slowQuery': 400 });
    expect(o.status).toBe(200);
    expect(o.body.explanation).toBeUndefined();
    expect(o.e.status).toBe('ok');
    expect(o.e.cause).toMatchObject({ service: 'order-service', kind: 'slow-query' });
    expect(o.e.summary).toMatch(/^No errors, but order-service \S+ took 4\d\d ms of the \d+ ms trace on "SELECT pg_sleep\(\?\)"\.$/);
    expect(roles(o.e)[1]).toBe('order-service check-stock:waited');
  });

  it('order.nPlusOne: repeated same-shape queries under save-order (n-plus-one, with the count)', async () => {
    // A payment slower than any query, so no single query holds up the trace.
    const o = await explained('productName=Book&delay=150', { 'order.nPlusOne': 6 });
    expect(o.status).toBe(200);
    expect(o.e.cause).toMatchObject({ service: 'order-service', name: 'save-order', kind: 'n-plus-one' });
    expect(o.e.summary).toMatch(/^No errors, but order-service save-order ran the same query 6 times \("SELECT id, name, stock FROM products WHERE id = \?", [\d.]+ ms in all\): an N\+1 pattern\.$/);
  });

  it('all switches off again', async () => {
    await faults({});
  });
});

describe('npm run scenario', () => {
  it('prints the explanation under each tree', async () => {
    const { stdout } = await run(process.execPath, [scenarioCli, 'payment-timeout'], { env: { ...process.env, ORDER_URL: services.orderUrl, TRACEHUB_URL: hub.apiUrl } });
    const tree = stdout.indexOf('process-payment');
    const why = stdout.indexOf('Why it failed: order-service call-payment-api gave up after 500 ms (its timeout); payment-service process-payment took');
    expect(tree).toBeGreaterThan(0);
    expect(why).toBeGreaterThan(tree);
    expect(stdout).toContain('cause: payment-service process-payment [timeout]');
    expect(stdout).toContain('"explanation": "order-service call-payment-api gave up after 500 ms (its timeout); payment-service did not answer in time."');
  });
});
