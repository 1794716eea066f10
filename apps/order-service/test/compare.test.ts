// GET /api/v1/compare on real traces: real PostgreSQL, tracehub, order-service
// and payment-service, with the lab's real fault switches. A slow payment
// must stand out against a baseline of normal orders, and an order that
// failed early must show the paths it never reached as only in the other trace.
import type { Comparison, ErrorBody } from '@tracelab/api-contract';
import { assertContract } from '@tracelab/api-contract/validate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readTrace } from '@tracelab/trace-assert';
import type { HubHandle } from '@tracelab/test-support/hub';
import { startLab, type Lab, type Services } from '@tracelab/test-support/system';

let hub: HubHandle;
let services: Services;
let lab: Lab | undefined;
const normal: string[] = [];
let slow = '';
let outOfStock = '';

async function faults(state: Record<string, unknown>): Promise<void> {
  const res = await fetch(`${services.orderUrl}/admin/faults`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(state) });
  expect(res.status).toBe(200);
}

/** One order; its trace id once the trace has settled in tracehub. */
async function order(query: string, expectStatus: number): Promise<string> {
  const res = await fetch(`${services.orderUrl}/order?${query}`);
  expect(res.status).toBe(expectStatus);
  const traceId = ((await res.json()) as { traceId: string }).traceId;
  expect(await readTrace(hub.apiUrl, traceId, 15_000, 400)).toBeDefined();
  return traceId;
}

/** GET /api/v1/compare; the answer is checked against the contract (Comparison, or Error). */
async function compare(query: string): Promise<{ status: number; body: Comparison & Partial<ErrorBody> }> {
  const res = await fetch(`${hub.apiUrl}/api/v1/compare?${query}`);
  const body = await res.json();
  assertContract(res.ok ? 'Comparison' : 'Error', body);
  return { status: res.status, body };
}

beforeAll(async () => {
  lab = await startLab();
  ({ hub, services } = lab);
  await faults({});
  for (let i = 0; i < 5; i++) normal.push(await order('productName=Book&delay=50', 200));
  await faults({ 'payment.latency': 300 });
  slow = await order('productName=Book&delay=50', 200);
  await faults({});
  outOfStock = await order('productName=OutOfStockItem&delay=50', 409);
}, 120_000);
afterAll(async () => {
  await lab?.stop();
});

describe('compare on real traces', () => {
  it('a payment slowed by payment.latency, against the baseline: a payment-service path first, named in the sentence', async () => {
    const { status, body } = await compare(`a=${slow}&baseline=auto`);
    expect(status).toBe(200);
    expect(body.a).toMatchObject({ traceId: slow, rootService: 'order-service', error: false });
    expect(body.a.rootName).toMatch(/order/);
    // The other Book orders, never the slow one itself; the OutOfStock order has the same root too.
    expect(body.baseline!.traceCount).toBe(normal.length + 1);
    expect(new Set(body.baseline!.traceIds)).toEqual(new Set([...normal, outOfStock]));
    expect(BigInt(body.baseline!.window.endTimeUnixNano) - BigInt(body.baseline!.window.startTimeUnixNano)).toBe(3_600_000_000_000n);

    const top = body.rows[0]!;
    expect(top.in).toBe('both');
    expect(top.service === 'payment-service' || top.path.includes('call-payment-api')).toBe(true);
    expect(top.path).toMatch(/payment-service/);
    expect(top.diffSelfMs).toBeGreaterThan(200);
    expect(top.diffDurationMs).toBeGreaterThan(200);
    expect(top.a!.spanIds!.length).toBeGreaterThan(0);
    expect(top.b!.presence).toBeCloseTo(normal.length / (normal.length + 1), 5);
    expect(body.summary).toContain('payment-service');
    expect(body.summary).toMatch(/longer in this trace .* over 6 baseline traces\)\.$/);
    // Ranked by impact.
    for (let i = 1; i < body.rows.length; i++) expect(body.rows[i - 1]!.impact).toBeGreaterThanOrEqual(body.rows[i]!.impact);
    // The root's path is the root alone.
    const root = body.rows.find((r) => r.depth === 0)!;
    expect(root.path).toBe(`order-service: ${body.a.rootName}`);
  });

  it('baselineLimit and window narrow the baseline', async () => {
    const { status, body } = await compare(`a=${slow}&baseline=auto&baselineLimit=2&window=10m`);
    expect(status).toBe(200);
    expect(body.baseline!.traceCount).toBe(2);
    expect(BigInt(body.baseline!.window.endTimeUnixNano) - BigInt(body.baseline!.window.startTimeUnixNano)).toBe(600_000_000_000n);
  });

  it('an out-of-stock order against a normal one: the payment paths only in b, the check-stock error counted', async () => {
    const { status, body } = await compare(`a=${outOfStock}&b=${normal[0]}`);
    expect(status).toBe(200);
    expect(body.a).toMatchObject({ traceId: outOfStock, error: true });
    expect(body.b).toMatchObject({ traceId: normal[0], error: false });
    const onlyB = body.rows.filter((r) => r.in === 'only-b');
    expect(onlyB.some((r) => r.name === 'call-payment-api')).toBe(true);
    expect(onlyB.some((r) => r.service === 'payment-service')).toBe(true);
    for (const r of onlyB) {
      expect(r.a).toBeNull();
      expect(r.diffDurationMs).toBeCloseTo(-r.b!.durationMs, 6);
      expect(r.b!.spanIds!.length).toBeGreaterThan(0);
    }
    const stock = body.rows.find((r) => r.name === 'check-stock')!;
    expect(stock.in).toBe('both');
    expect(stock.a!.errorCount).toBeGreaterThan(0);
    expect(stock.b!.errorCount).toBe(0);
    expect(body.rows[0]!.in).toBe('only-b');
    expect(body.summary).toMatch(/only in trace b/);
  });

  it('the other way round: only-a', async () => {
    const { body } = await compare(`a=${normal[0]}&b=${outOfStock}`);
    expect(body.rows.find((r) => r.name === 'call-payment-api')!.in).toBe('only-a');
    expect(body.summary).toMatch(/only in this trace/);
  });

  it.each([
    ['no a', `b=${'1'.repeat(32)}`, 'INVALID_PARAMETER', /^a: required/],
    ['both b and baseline', `a=${'1'.repeat(32)}&b=${'2'.repeat(32)}&baseline=auto`, 'INVALID_PARAMETER', /not both/],
    ['neither', `a=${'1'.repeat(32)}`, 'INVALID_PARAMETER', /baseline=auto/],
    ['another baseline', `a=${'1'.repeat(32)}&baseline=last-week`, 'INVALID_PARAMETER', /only baseline is auto/],
    ['a malformed a', 'a=xyz&baseline=auto', 'INVALID_TRACE_ID', /^a: "xyz" is not a trace id/],
    ['a malformed b', `a=${'1'.repeat(32)}&b=12345678901234567890123456789012345`, 'INVALID_TRACE_ID', /^b: /],
    ['a window over 24h', `a=${'1'.repeat(32)}&baseline=auto&window=25h`, 'INVALID_PARAMETER', /^window: /],
    ['a bad window', `a=${'1'.repeat(32)}&baseline=auto&window=soon`, 'INVALID_PARAMETER', /^window: /],
    ['a bad baselineLimit', `a=${'1'.repeat(32)}&baseline=auto&baselineLimit=501`, 'INVALID_PARAMETER', /^baselineLimit: /],
  ])('400 for %s', async (_name, query, code, message) => {
    const { status, body } = await compare(query);
    expect(status).toBe(400);
    expect(body.error).toBe(code);
    expect(body.message).toMatch(message);
  });

  it('404 for an unknown a or b', async () => {
    const unknown = 'f'.repeat(32);
    const a = await compare(`a=${unknown}&baseline=auto`);
    expect(a.status).toBe(404);
    expect(a.body.error).toBe('TRACE_NOT_FOUND');
    expect(a.body.message).toContain(unknown);
    const b = await compare(`a=${slow}&b=${unknown}`);
    expect(b.status).toBe(404);
    expect(b.body).toMatchObject({ error: 'TRACE_NOT_FOUND', message: `trace ${unknown} (b) not found` });
  });

  it('404 BASELINE_EMPTY with advice when no other trace with that root is in the window', async () => {
    const { status, body } = await compare(`a=${slow}&baseline=auto&window=1ms`);
    expect(status).toBe(404);
    expect(body.error).toBe('BASELINE_EMPTY');
    expect(body.message).toMatch(/^no other trace with root order-service ".+" started within ±0\.5 ms of trace [0-9a-f]{32}; widen the window \(e\.g\. window=1h, at most 24h\)/);
  });

  it('is in the OpenAPI document', async () => {
    const doc = (await (await fetch(`${hub.apiUrl}/api/v1/openapi.json`)).json()) as { paths: Record<string, { get: { parameters: { name: string }[] } }> };
    expect(doc.paths['/api/v1/compare']!.get.parameters.map((p) => p.name)).toEqual(['a', 'b', 'baseline', 'window', 'baselineLimit']);
  });
});
