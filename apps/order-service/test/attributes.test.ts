// POST /api/v1/analyze/attributes on real traces: real PostgreSQL, tracehub,
// order-service and payment-service. Normal orders, then payment.latency on
// for a few, then off again: the slow traces must be told apart by
// `lab.faults`, and by time they must spend more in payment-service.
import type { AttributeAnalysis } from '@tracelab/api-contract';
import { assertContract } from '@tracelab/api-contract/validate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readTrace } from '@tracelab/trace-assert';
import type { HubHandle } from '@tracelab/test-support/hub';
import { startLab, type Lab, type Services } from '@tracelab/test-support/system';

type Analysis = AttributeAnalysis;

let hub: HubHandle;
let services: Services;
let lab: Lab | undefined;
const nowNs = () => BigInt(Date.now()) * 1_000_000n;
let windowStart = 0n;
let faultOn = 0n;
let faultOff = 0n;
const slow: string[] = [];
const normal: string[] = [];

async function faults(state: Record<string, unknown>): Promise<void> {
  const res = await fetch(`${services.orderUrl}/admin/faults`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(state) });
  expect(res.status).toBe(200);
}

async function order(): Promise<string> {
  const res = await fetch(`${services.orderUrl}/order?productName=Book&delay=20`);
  expect(res.status).toBe(200);
  const { traceId } = (await res.json()) as { traceId: string };
  return traceId;
}

async function analyze(body: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${hub.apiUrl}/api/v1/analyze/attributes`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const json = (await res.json()) as Record<string, unknown>;
  assertContract(res.ok ? 'AttributeAnalysis' : 'Error', json);
  return { status: res.status, body: json };
}

beforeAll(async () => {
  // A timeout above the injected latency: the slow orders still succeed.
  lab = await startLab({ PAYMENT_TIMEOUT_MS: '3000' });
  ({ hub, services } = lab);
  windowStart = nowNs();
  for (let i = 0; i < 4; i++) normal.push(await order());
  await faults({ 'payment.latency': 500 });
  faultOn = nowNs();
  for (let i = 0; i < 3; i++) slow.push(await order());
  faultOff = nowNs();
  await faults({});
  for (let i = 0; i < 3; i++) normal.push(await order());
  for (const id of [...normal, ...slow]) expect(await readTrace(hub.apiUrl, id, 15_000, 300)).toBeDefined();
});
afterAll(async () => {
  await lab?.stop();
});

const slowBox = () => ({
  box: { startTimeUnixNano: String(faultOn), endTimeUnixNano: String(faultOff), minDurationMs: 400, maxDurationMs: 60_000 },
});

function expectFaultFirst(a: Analysis): void {
  const top = a.attributes[0]!;
  expect(top).toMatchObject({ key: 'lab.faults', scope: 'span', by: 'traces' });
  expect(top.score).toBeGreaterThanOrEqual(0.9);
  expect(top.values[0]).toMatchObject({ value: 'payment.latency=500ms', selection: { traces: 1 }, baseline: { traces: 0 } });
  expect(a.summary).toBe('lab.faults = payment.latency=500ms is on 100% of the selected traces and 0% of the others.');
}

describe('what is different about the slow traces', () => {
  it('a box over the slow traces: lab.faults first, and payment-service takes more of their time', async () => {
    const r = await analyze({ selection: slowBox(), start: String(windowStart), end: String(nowNs()) });
    expect(r.status).toBe(200);
    const a = r.body as unknown as Analysis;
    expect(a.selection.traceCount).toBe(slow.length);
    expect(a.baseline.traceCount).toBeGreaterThanOrEqual(normal.length);
    expect(a.sampled).toBe(false);
    expectFaultFirst(a);
    const svc = a.attributes.find((x) => x.key === 'service.name' && x.scope === 'resource')!;
    const pay = svc.values.find((v) => v.value === 'payment-service')!;
    // Both sets call payment-service on every trace; the slow ones spend far more of their time there.
    expect(pay.selection.traces).toBe(1);
    expect(pay.baseline.traces).toBe(1);
    expect(pay.selection.time).toBeGreaterThan(pay.baseline.time);
    expect(pay.selection.time).toBeGreaterThan(0.5);
    // Intrinsics are there too.
    expect(a.attributes.some((x) => x.key === 'span.name' && x.scope === 'intrinsic')).toBe(true);
  });

  it('the same with a TraceQL selection, and the default window (the last hour)', async () => {
    const r = await analyze({ selection: { q: '{ duration > 400ms }' } });
    expect(r.status).toBe(200);
    const a = r.body as unknown as Analysis;
    expect(a.selection.traceCount).toBe(slow.length);
    expectFaultFirst(a);
  });

  it('limit samples the most recent traces of each set', async () => {
    const r = await analyze({ selection: slowBox(), start: String(windowStart), limit: 2 });
    expect(r.status).toBe(200);
    const a = r.body as unknown as Analysis;
    expect(a).toMatchObject({ sampled: true, selection: { traceCount: 2, totalTraceCount: 3 }, baseline: { traceCount: 2 } });
    expectFaultFirst(a);
  });

  it('an empty selection is a 200 that says nothing matched', async () => {
    const r = await analyze({ selection: { ...slowBox(), box: { ...slowBox().box, minDurationMs: 50_000 } } });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ selection: { traceCount: 0 }, attributes: [], summary: 'No traces in the window match the selection.' });
  });
});

describe('bad requests', () => {
  it.each([
    ['not an object', [], 'INVALID_PARAMETER', /^body:/],
    ['no selection', {}, 'INVALID_PARAMETER', /^selection:/],
    ['q and box', { selection: { q: '{ duration > 1ms }', box: { startTimeUnixNano: '1', endTimeUnixNano: '2', minDurationMs: 0, maxDurationMs: 1 } } }, 'INVALID_PARAMETER', /give only one of q, box, status \(got q and box\)/],
    ['a number as ns', { selection: { box: { startTimeUnixNano: 1, endTimeUnixNano: '2', minDurationMs: 0, maxDurationMs: 1 } } }, 'INVALID_PARAMETER', /^selection\.box\.startTimeUnixNano:/],
    ['a limit too large', { selection: { status: 'error' }, limit: 20_000 }, 'INVALID_PARAMETER', /^limit:/],
    ['bad TraceQL', { selection: { q: '{ duration > ' } }, 'INVALID_TRACEQL', /^invalid TraceQL:/],
    ['a TraceQL metrics query', { selection: { q: '{ } | rate()' } }, 'INVALID_TRACEQL', /metrics endpoint/],
  ])('%s → 400 naming the problem', async (_name, body, code, message) => {
    const r = await analyze(body);
    expect(r.status).toBe(400);
    expect(r.body.error).toBe(code);
    expect(String(r.body.message)).toMatch(message);
  });

  it('a body that is not JSON → 400, one over 64 KB → 413', async () => {
    const notJson = await analyze('{"selection": ');
    expect(notJson.status).toBe(400);
    const big = await analyze({ selection: { q: `{ name = "${'x'.repeat(70_000)}" }` } });
    expect(big.status).toBe(413);
    expect(big.body.error).toBeDefined();
  });
});
