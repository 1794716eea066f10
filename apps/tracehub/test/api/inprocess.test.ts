// tracehub's four Fastify apps (OTLP/HTTP, /api/v1, Tempo, Jaeger) in this
// process, driven with inject() over a temporary store: the source, not dist/.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type InProcessHub, openInProcessHub } from '../inprocess.js';
import { type SeededIds, seedBodies } from '../hub/synthetic.js';

let hub: InProcessHub;
let ids: SeededIds;

beforeAll(async () => {
  hub = await openInProcessHub();
  const seed = seedBodies();
  ids = seed.ids;
  for (const body of seed.bodies) await hub.postTraces(body);
});
afterAll(async () => {
  await hub?.close();
});

const sorted = (xs: string[]) => [...xs].sort();
const named = (...names: (keyof SeededIds)[]) => sorted(names.map((n) => ids[n]));

async function v1(url: string): Promise<{ status: number; body: any }> {
  const res = await hub.api.inject({ method: 'GET', url });
  return { status: res.statusCode, body: res.json() };
}

async function v1Ids(qs: string): Promise<string[]> {
  const { status, body } = await v1(`/api/v1/traces?${qs}`);
  expect(status, `${qs}: ${JSON.stringify(body)}`).toBe(200);
  return sorted(body.traces.map((t: { traceId: string }) => t.traceId));
}

describe('OTLP/HTTP receiver (in process)', () => {
  it('refuses a malformed body with 400 and a google.rpc.Status naming the problem', async () => {
    const res = await hub.otlpHttp.inject({ method: 'POST', url: '/v1/traces', payload: '{"resourceSpans": 5}', headers: { 'content-type': 'application/json' } });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 3, message: expect.stringMatching(/resourceSpans/) });
  });
});

describe('/api/v1 (in process)', () => {
  it('each status filter selects exactly its traces', async () => {
    // Removing a status condition from the search SQL fails one of these.
    expect(await v1Ids('status=error')).toEqual(named('outOfStock', 'slow'));
    expect(await v1Ids('status=ok')).toEqual([]);
    expect(await v1Ids('status=unset')).toEqual(named('ok'));
    expect(await v1Ids('')).toEqual(named('ok', 'outOfStock', 'slow'));
  });

  it('service, operation, attributes and status=error hold on one span', async () => {
    expect(await v1Ids('service=payment-service')).toEqual(named('ok', 'slow'));
    expect(await v1Ids('service=payment-service&status=error')).toEqual([]);
    expect(await v1Ids('operation=call-payment-api&status=error')).toEqual(named('slow'));
    expect(await v1Ids('service=payment-service&attr.product.name=Book')).toEqual([]);
    expect(await v1Ids('attr.product.name=Book&status=error')).toEqual(named('slow'));
    expect(await v1Ids('minDuration=500ms')).toEqual(named('slow'));
    expect(await v1Ids('maxDuration=0.5s')).toEqual(named('ok', 'outOfStock'));
  });

  it('answers a trace, its explanation, and 400/404 with the error catalogue', async () => {
    const trace = await v1(`/api/v1/traces/${ids.slow}`);
    expect(trace.status).toBe(200);
    expect(trace.body).toMatchObject({ traceId: ids.slow, spanCount: 4, errorCount: 2, rootService: 'order-service', rootName: 'GET /order' });
    const explain = await v1(`/api/v1/traces/${ids.slow}/explain`);
    expect(explain.body).toMatchObject({ status: 'error', cause: { service: expect.any(String), name: expect.any(String) } });
    expect(await v1('/api/v1/traces/zz')).toMatchObject({ status: 400, body: { error: 'INVALID_TRACE_ID' } });
    expect(await v1(`/api/v1/traces/${'f'.repeat(32)}`)).toMatchObject({ status: 404, body: { error: 'TRACE_NOT_FOUND' } });
    expect(await v1('/api/v1/traces?start=99999999999999999999')).toMatchObject({ status: 400, body: { message: expect.stringMatching(/^start: .*out of range/) } });
    expect(await v1('/api/v1/traces?minDuration=1e999')).toMatchObject({ status: 400, body: { message: expect.stringMatching(/^minDuration:/) } });
  });
});

describe('Tempo API (in process)', () => {
  it('answers TraceQL search with the matching traces and a trace by id', async () => {
    const q = encodeURIComponent('{ resource.service.name = "order-service" && status = error }');
    const res = await hub.tempo!.inject({ method: 'GET', url: `/api/search?q=${q}` });
    expect(res.statusCode).toBe(200);
    expect(sorted(res.json().traces.map((t: { traceID: string }) => t.traceID))).toEqual(named('outOfStock', 'slow'));
    const byId = await hub.tempo!.inject({ method: 'GET', url: `/api/v2/traces/${ids.ok}` });
    expect(byId.statusCode).toBe(200);
    const spans = byId.json().trace.resourceSpans.flatMap((r: any) => r.scopeSpans.flatMap((s: any) => s.spans));
    expect(spans).toHaveLength(5);
  });
});

describe('Jaeger API (in process)', () => {
  it('finds traces with span-level semantics and lists services', async () => {
    const res = await hub.jaeger!.inject({ method: 'GET', url: `/api/traces?service=payment-service&lookback=1h&limit=20` });
    expect(res.statusCode).toBe(200);
    expect(sorted(res.json().data.map((t: { traceID: string }) => t.traceID))).toEqual(named('ok', 'slow'));
    const tagged = await hub.jaeger!.inject({ method: 'GET', url: `/api/traces?service=payment-service&tags=${encodeURIComponent('{"error":"true"}')}&lookback=1h` });
    expect(tagged.json().data).toEqual([]);
    const services = await hub.jaeger!.inject({ method: 'GET', url: '/api/services' });
    expect(services.json().data).toEqual(['order-service', 'payment-service']);
  });
});
