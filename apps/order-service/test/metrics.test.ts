// RED metrics from stored spans on real traces: real PostgreSQL, tracehub,
// order-service and payment-service. N normal orders, then payment.latency on
// for M orders, then an out-of-stock order and a failed payment: /api/v1/metrics must count exactly
// those, see the slower payments and shade the fault; Jaeger's metrics API
// (the Monitor tab), asked the way Jaeger UI asks, must say the same.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readTrace } from '@tracelab/trace-assert';
import type { HubHandle } from '@tracelab/test-support/hub';
import { startLab, type Lab, type Services } from '@tracelab/test-support/system';

interface Stats { calls: number; errors: number; ratePerSec: number; errorRate: number; p50Ms: number | null; p95Ms: number | null; p99Ms: number | null }
interface Point extends Stats { t: string; exemplars: { slowest: { traceId: string; spanId: string; durationMs: number }; error?: { traceId: string; spanId: string } } | null }
interface Series { service: string; operation: string; kind: string; totals: Stats; points: Point[] }
interface Answer { startTimeUnixNano: string; endTimeUnixNano: string; stepMs: number; series: Series[]; faults: { startTimeUnixNano: string; endTimeUnixNano: string; faults: string }[] }
interface Family { name: string; type: string; help: string; metrics: { labels: { name: string; value: string }[]; metricPoints: { gaugeValue: { doubleValue: number }; timestamp: string }[] }[] }

const N = 4;
const M = 3;
const LATENCY = 400;
/** N + M, the out-of-stock order and a failed payment. */
const ORDERS = N + M + 2;
/** The warm-up order before t0: outside /api/v1's window, inside Jaeger's trailing 10 minutes. */
const WARM_UP = 1;

let hub: HubHandle;
let services: Services;
let lab: Lab | undefined;
/** Unix ms: before the first order, when the fault went on, when it went off, after the last order's spans arrived. */
let t0: number;
let faultOn: number;
let faultOff: number;
let t1: number;
let rootErrors = 0;
const traceIds: string[] = [];

async function faults(state: Record<string, unknown>): Promise<void> {
  const res = await fetch(`${services.orderUrl}/admin/faults`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(state) });
  expect(res.status).toBe(200);
}

async function order(query: string): Promise<void> {
  const res = await fetch(`${services.orderUrl}/order?${query}`);
  const body = (await res.json()) as { traceId: string };
  traceIds.push(body.traceId);
}

async function metrics(params: Record<string, string>): Promise<Answer> {
  const res = await fetch(`${hub.apiUrl}/api/v1/metrics?${new URLSearchParams(params)}`);
  expect(res.status).toBe(200);
  return (await res.json()) as Answer;
}

beforeAll(async () => {
  lab = await startLab({ PAYMENT_TIMEOUT_MS: '3000' });
  ({ hub, services } = lab);
  // One order first, outside the window: the first after start-up pays for connections and JIT (686 ms was
  // seen on a loaded CI machine), which would make a 'before the fault' order look slow.
  const warm = await fetch(`${services.orderUrl}/order?productName=Book&delay=20`);
  await warm.arrayBuffer();
  await new Promise((r) => setTimeout(r, 50));
  t0 = Date.now();
  for (let i = 0; i < N; i++) await order('productName=Book&delay=20');
  faultOn = Date.now();
  await faults({ 'payment.latency': LATENCY });
  for (let i = 0; i < M; i++) await order('productName=Book&delay=20');
  await faults({});
  faultOff = Date.now();
  await order('productName=OutOfStockItem&delay=20');
  await order('productName=Book&delay=20&fail=true');
  // Every trace complete in the store; count the failed orders as the traces say.
  for (const id of traceIds) {
    const spans = (await readTrace(hub.apiUrl, id, 15_000, 400))!;
    const root = spans.find((s) => s.name === 'GET /order' && s.kind === 'server')!;
    expect(root).toBeDefined();
    if (root.status.code === 'error') rootErrors++;
  }
  t1 = Date.now() + 1000;
});
afterAll(async () => {
  await lab?.stop();
});

describe('/api/v1/metrics on real traces', () => {
  it('order-service per operation: GET /order counted exactly, errors as the traces say, slower under payment.latency', async () => {
    const a = await metrics({ service: 'order-service', start: String(t0), end: String(t1), step: '1s' });
    expect(a.stepMs).toBe(1000);
    expect(BigInt(a.startTimeUnixNano)).toBe(BigInt(t0) * 1_000_000n);
    const get = a.series.find((s) => s.operation === 'GET /order')!;
    expect(get).toMatchObject({ service: 'order-service', kind: 'server' });
    expect(get.totals.calls).toBe(ORDERS);
    expect(rootErrors).toBeGreaterThanOrEqual(1); // the failed payment (502)
    expect(get.totals.errors).toBe(rootErrors);
    expect(get.totals.errorRate).toBeCloseTo(rootErrors / (ORDERS), 10);
    expect(get.points.length).toBe(Math.ceil((t1 - t0) / 1000));
    expect(get.points.reduce((n, p) => n + p.calls, 0)).toBe(ORDERS);
    for (const p of get.points) {
      if (p.calls === 0) expect(p).toMatchObject({ p95Ms: null, ratePerSec: 0, exemplars: null });
      else {
        expect(p.exemplars!.slowest.durationMs).toBeGreaterThanOrEqual(p.p99Ms! - 0.001);
        expect(traceIds).toContain(p.exemplars!.slowest.traceId);
      }
    }
    // The out-of-stock order failed in check-stock (an internal span): kind=any sees it.
    const any = await metrics({ service: 'order-service', operation: 'check-stock', kind: 'any', start: String(t0), end: String(t1) });
    expect(any.series).toHaveLength(1);
    expect(any.series[0]!.totals).toMatchObject({ calls: ORDERS, errors: 1 });
    // Client spans are not in the default (server) view.
    expect(a.series.some((s) => s.operation === 'call-payment-api')).toBe(false);

    const before = await metrics({ service: 'order-service', operation: 'GET /order', start: String(t0), end: String(faultOn) });
    const during = await metrics({ service: 'order-service', operation: 'GET /order', start: String(faultOn), end: String(faultOff) });
    expect(before.series).toHaveLength(1);
    expect(before.series[0]!.totals.calls).toBe(N);
    expect(during.series[0]!.totals.calls).toBe(M);
    expect(during.series[0]!.totals.p95Ms!).toBeGreaterThan(LATENCY);
    expect(during.series[0]!.totals.p95Ms!).toBeGreaterThan(before.series[0]!.totals.p95Ms! + LATENCY / 2);
  });

  it('one fault interval with the fault\'s lab.faults value, covering the slow orders', async () => {
    const a = await metrics({ service: 'order-service', start: String(t0), end: String(t1), step: '1s' });
    expect(a.faults).toHaveLength(1);
    const f = a.faults[0]!;
    expect(f.faults).toBe(`payment.latency=${LATENCY}ms`);
    const get = a.series.find((s) => s.operation === 'GET /order')!;
    // The interval opens in the bucket the switch went on in, and lasts at least until it went off.
    expect(BigInt(f.startTimeUnixNano)).toBeGreaterThan(BigInt(faultOn - 1000) * 1_000_000n);
    expect(BigInt(f.startTimeUnixNano)).toBeLessThanOrEqual(BigInt(faultOn) * 1_000_000n + 1_000_000_000n);
    expect(BigInt(f.endTimeUnixNano)).toBeGreaterThanOrEqual(BigInt(faultOff) * 1_000_000n);
    // Every bucket holding a slow order lies in it.
    const slow = get.points.filter((p) => p.calls > 0 && p.exemplars!.slowest.durationMs > LATENCY);
    expect(slow.length).toBeGreaterThan(0);
    for (const p of slow) {
      expect(BigInt(p.t) + 1_000_000_000n).toBeGreaterThan(BigInt(f.startTimeUnixNano));
      expect(BigInt(p.t)).toBeLessThan(BigInt(f.endTimeUnixNano));
    }
  });

  it('no service: one series per service, payment-service among them', async () => {
    const a = await metrics({ start: String(t0), end: String(t1) });
    const names = a.series.map((s) => s.service);
    expect(names).toContain('payment-service');
    expect(names).toContain('order-service');
    expect(a.series.every((s) => s.operation === '*')).toBe(true);
    const pay = a.series.find((s) => s.service === 'payment-service')!;
    expect(pay.totals.calls).toBeGreaterThanOrEqual(N + M);
    const order = a.series.find((s) => s.service === 'order-service')!;
    expect(order.totals.calls).toBeGreaterThanOrEqual(ORDERS);
    expect(a.faults.map((f) => f.faults)).toEqual([`payment.latency=${LATENCY}ms`]);
  });

  it.each([
    ['step=soon', 'step'],
    ['step=1ms', 'step'],
    ['start=2000&end=1000', 'start'],
    ['start=tomorrow', 'start'],
    ['end=later', 'end'],
    ['kind=SERVER', 'kind'],
  ])('%s → 400 naming %s', async (qs, param) => {
    const res = await fetch(`${hub.apiUrl}/api/v1/metrics?${qs}`);
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: string; message: string };
    expect(body.error).toBe('INVALID_PARAMETER');
    expect(body.message.startsWith(`${param}:`)).toBe(true);
  });
});

describe("Jaeger's metrics API (the Monitor tab) on the same traces", () => {
  // Jaeger UI: JaegerAPI.fetchMetrics joins `service=<name>` with queryString.stringify(query) (keys sorted).
  const uiQuery = (service: string, query: Record<string, string | number | boolean>) =>
    `service=${service}&${Object.keys(query).sort().map((k) => `${encodeURIComponent(k)}=${encodeURIComponent(String(query[k]))}`).join('&')}`;
  const payload = () => ({ quantile: 0.95, endTs: t1, lookback: 3_600_000, step: 60_000, ratePer: 600_000, spanKind: 'server' });
  const jaeger = async (metric: string, qs: string) => {
    const res = await fetch(`${hub.jaegerUrl}/api/metrics/${metric}?${qs}`);
    expect(res.status).toBe(200);
    return (await res.json()) as Family;
  };

  it('per operation (groupByOperation=true): the last point holds every order of the last 10 minutes', async () => {
    const q = uiQuery('order-service', { ...payload(), groupByOperation: true });
    const [lat, calls, errors] = await Promise.all([jaeger('latencies', q), jaeger('calls', q), jaeger('errors', q)]);
    expect(calls.name).toBe('service_operation_call_rate');
    expect(lat.name).toBe('service_operation_latencies');
    expect(errors.name).toBe('service_operation_error_rate');
    const byOp = (f: Family) => f.metrics.find((m) => m.labels.some((l) => l.name === 'operation' && l.value === 'GET /order'))!;
    const c = byOp(calls);
    expect(c.labels).toEqual([{ name: 'service_name', value: 'order-service' }, { name: 'operation', value: 'GET /order' }]);
    expect(c.metricPoints).toHaveLength(61);
    expect(c.metricPoints.at(-1)!.timestamp).toBe(new Date(t1).toISOString().replace('.000Z', 'Z'));
    // calls/sec over ratePer (600 s) → × 600 = the calls in the window (the warm-up order is in it too).
    expect(c.metricPoints.at(-1)!.gaugeValue.doubleValue * 600).toBeCloseTo(ORDERS + WARM_UP, 6);
    expect(byOp(errors).metricPoints.at(-1)!.gaugeValue.doubleValue).toBeCloseTo(rootErrors / (ORDERS + WARM_UP), 10);
    // The same quantile as /api/v1/metrics over the same window, in ms.
    const v1 = await metrics({ service: 'order-service', operation: 'GET /order', start: String(t1 - 600_000), end: String(t1), step: '10m' });
    expect(byOp(lat).metricPoints.at(-1)!.gaugeValue.doubleValue).toBeCloseTo(v1.series[0]!.totals.p95Ms!, 2);
    expect(v1.series[0]!.totals.p95Ms!).toBeGreaterThan(LATENCY);
  });

  it('per service: labels, rates and ratios consistent with /api/v1/metrics', async () => {
    const q = uiQuery('order-service', payload());
    const [p50, calls, errors] = await Promise.all([jaeger('latencies', uiQuery('order-service', { ...payload(), quantile: 0.5 })), jaeger('calls', q), jaeger('errors', q)]);
    expect(calls).toMatchObject({ name: 'service_call_rate', type: 'GAUGE', help: 'calls/sec, grouped by service' });
    expect(p50.help).toBe('0.50th quantile latency, grouped by service');
    expect(calls.metrics).toHaveLength(1);
    expect(calls.metrics[0]!.labels).toEqual([{ name: 'service_name', value: 'order-service' }]);
    const v1 = await metrics({ service: 'order-service', start: String(t1 - 600_000), end: String(t1), step: '10m' });
    const serverCalls = v1.series.reduce((n, s) => n + s.totals.calls, 0);
    const serverErrors = v1.series.reduce((n, s) => n + s.totals.errors, 0);
    expect(calls.metrics[0]!.metricPoints.at(-1)!.gaugeValue.doubleValue * 600).toBeCloseTo(serverCalls, 6);
    expect(errors.metrics[0]!.metricPoints.at(-1)!.gaugeValue.doubleValue).toBeCloseTo(serverErrors / serverCalls, 10);
    // Points long before the test saw no span: calls 0, no latency there.
    expect(calls.metrics[0]!.metricPoints[0]!.gaugeValue.doubleValue).toBe(0);
    expect(p50.metrics[0]!.metricPoints.length).toBeLessThan(61);
    expect(p50.metrics[0]!.metricPoints.at(-1)!.gaugeValue.doubleValue).toBeGreaterThan(0);
    // Client spans with SPAN_KIND_CLIENT: order-service's calls to payment-service.
    const client = await jaeger('calls', uiQuery('order-service', { ...payload(), groupByOperation: true, spanKind: 'SPAN_KIND_CLIENT' }));
    expect(client.metrics.some((m) => m.labels.some((l) => l.value === 'POST'))).toBe(true);
    expect(client.metrics.some((m) => m.labels.some((l) => l.value === 'GET /order'))).toBe(false);
  });

  it('minstep, and bad parameters in Jaeger\'s error form', async () => {
    const min = await fetch(`${hub.jaegerUrl}/api/metrics/minstep`);
    expect(min.status).toBe(200);
    expect(await min.json()).toEqual({ data: 1000, total: 0, limit: 0, offset: 0, errors: null });
    for (const [metric, qs, param] of [
      ['calls', 'endTs=1', 'service'],
      ['calls', uiQuery('order-service', { ...payload(), spanKind: 'sideways' }), 'spanKind'],
      ['latencies', 'service=order-service', 'quantile'],
      ['errors', uiQuery('order-service', { ...payload(), step: 'abc' }), 'step'],
    ] as const) {
      const res = await fetch(`${hub.jaegerUrl}/api/metrics/${metric}?${qs}`);
      expect(res.status).toBe(400);
      const body = (await res.json()) as { data: unknown; errors: { code: number; msg: string }[] };
      expect(body.data).toBeNull();
      expect(body.errors[0]!.code).toBe(400);
      expect(body.errors[0]!.msg).toContain(`unable to parse param '${param}'`);
    }
  });
});
