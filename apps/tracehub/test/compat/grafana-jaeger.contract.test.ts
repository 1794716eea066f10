/**
 * Replays the requests Grafana's Jaeger data source (pkg/tsdb/jaeger/client.go)
 * and Jaeger UI make against a real tracehub process loaded through the
 * OpenTelemetry JS SDK, and reads the answers with the types Grafana decodes
 * them into (pkg/tsdb/jaeger/types): envelope, integer microseconds, tags.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startHub, type HubHandle } from '@tracelab/test-support/hub';
import { loadSeedTraces, SEED_SPAN_COUNTS, type SeedTraces } from './seed-traces.js';

let hub: HubHandle;
let seed: SeedTraces;

/** Go's url.Values.Encode: keys sorted, QueryEscape (space as +). */
function goEncode(params: Record<string, string>): string {
  return Object.keys(params)
    .sort()
    .map((k) => `${encodeURIComponent(k)}=${encodeURIComponent(params[k]!).replace(/%20/g, '+')}`)
    .join('&');
}

async function get(p: string) {
  const res = await fetch(`${hub.jaegerUrl}${p}`, { headers: { 'User-Agent': 'Go-http-client/1.1', 'Accept-Encoding': 'gzip' } });
  const body: any = await res.json();
  return { status: res.status, body };
}

/** The envelope fields Grafana's ServicesResponse / TracesResponse decode. */
function expectEnvelope(body: any) {
  expect(Object.keys(body).sort()).toEqual(['data', 'errors', 'limit', 'offset', 'total']);
  expect(Number.isInteger(body.total) && Number.isInteger(body.limit) && Number.isInteger(body.offset)).toBe(true);
}

beforeAll(async () => {
  hub = await startHub();
  expect(hub.jaegerUrl).toBeDefined();
  seed = await loadSeedTraces(hub.otlpHttpUrl);
  await vi.waitFor(
    async () => {
      for (const [k, id] of [['ok', seed.ok], ['outOfStock', seed.outOfStock], ['timeout', seed.timeout]] as const) {
        const r = await get(`/api/traces/${id}`);
        expect(r.status).toBe(200);
        expect(r.body.data[0].spans).toHaveLength(SEED_SPAN_COUNTS[k]);
      }
    },
    { timeout: 30_000, interval: 100 },
  );
});

afterAll(async () => {
  await hub?.stop({ removeData: true });
});

describe('autocomplete', () => {
  it('GET /api/services', async () => {
    const r = await get('/api/services');
    expect(r.status).toBe(200);
    expectEnvelope(r.body);
    expect(r.body.data).toEqual(expect.arrayContaining(['order-service', 'payment-service']));
    expect(r.body.errors).toBeNull();
  });

  it('GET /api/services/{service}/operations (url.JoinPath)', async () => {
    const r = await get('/api/services/order-service/operations');
    expect(r.body.data).toEqual(['GET /order', 'call-payment-api', 'check-stock', 'save-order']);
  });

  it('GET /api/operations (Jaeger UI) with spanKind', async () => {
    const r = await get('/api/operations?service=order-service&spanKind=server');
    expect(r.body.data).toEqual([{ name: 'GET /order', spanKind: 'server' }]);
    const missing = await get('/api/operations');
    expect(missing.status).toBe(400);
    expect(missing.body.errors[0]).toMatchObject({ code: 400 });
  });
});

describe('trace by id', () => {
  it('returns the Jaeger trace model with microseconds, processes, tags, logs and references', async () => {
    const r = await get(`/api/traces/${encodeURIComponent(seed.timeout)}`);
    expect(r.status).toBe(200);
    expectEnvelope(r.body);
    const t = r.body.data[0];
    expect(t.traceID).toBe(seed.timeout);
    const byName = Object.fromEntries(t.spans.map((s: any) => [s.operationName, s]));
    const root = byName['GET /order'];
    expect(root.startTime).toBe((seed.baseMs + 2000) * 1000);
    expect(root.duration).toBe(650_000);
    for (const s of t.spans) {
      expect(Number.isInteger(s.startTime) && Number.isInteger(s.duration)).toBe(true);
      expect(t.processes[s.processID]).toBeDefined();
    }
    expect(t.processes[root.processID].serviceName).toBe('order-service');
    expect(t.processes[byName['POST /pay'].processID].serviceName).toBe('payment-service');
    expect(t.processes[root.processID].tags).toContainEqual({ key: 'service.version', type: 'string', value: '0.1.0' });

    const call = byName['call-payment-api'];
    expect(call.references).toEqual([{ refType: 'CHILD_OF', traceID: seed.timeout, spanID: root.spanID }]);
    expect(call.tags).toEqual(
      expect.arrayContaining([
        { key: 'error', type: 'bool', value: true },
        { key: 'span.kind', type: 'string', value: 'client' },
        { key: 'otel.status_description', type: 'string', value: 'payment timed out' },
      ]),
    );
    expect(call.logs).toHaveLength(1);
    expect(call.logs[0].timestamp).toBe((seed.baseMs + 2000 + 512) * 1000);
    expect(call.logs[0].fields).toEqual(
      expect.arrayContaining([
        { key: 'event', type: 'string', value: 'exception' },
        { key: 'exception.message', type: 'string', value: 'payment timed out after 500 ms' },
      ]),
    );
    expect(root.tags).toContainEqual({ key: 'http.response.status_code', type: 'int64', value: 504 });
    expect(root.references).toEqual([]);
  });

  it('pads short ids; 404 envelope for an unknown trace; 400 for a malformed one', async () => {
    const short = await get(`/api/traces/${seed.outOfStock.replace(/^0+/, '')}`);
    expect(short.body.data[0].traceID).toBe(seed.outOfStock);
    const unknown = await get('/api/traces/ffffffffffffffffffffffffffffffff');
    expect(unknown.status).toBe(404);
    expect(unknown.body).toEqual({ data: null, total: 0, limit: 0, offset: 0, errors: [{ code: 404, msg: 'trace not found' }] });
    const bad = await get('/api/traces/xyz');
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].code).toBe(400);
  });
});

describe('search (Grafana client.Search)', () => {
  const ids = (body: any) => body.data.map((t: any) => t.traceID).sort();

  it('service + operation + tags (logfmt turned into a JSON map) + durations', async () => {
    const r = await get(
      `/api/traces?${goEncode({ service: 'order-service', operation: 'GET /order', tags: JSON.stringify({ 'app.product': 'Book' }), minDuration: '500ms', limit: '20' })}`,
    );
    expect(r.status).toBe(200);
    expectEnvelope(r.body);
    expect(ids(r.body)).toEqual([seed.timeout]);
    expect(r.body.total).toBe(1);
    expect(r.body.data[0].spans).toHaveLength(SEED_SPAN_COUNTS.timeout);
  });

  it('maxDuration, error=true and the tag=k:v form', async () => {
    // Durations bound a span, not the trace: every trace has an order-service span under 200 ms (check-stock).
    expect(ids((await get(`/api/traces?${goEncode({ service: 'order-service', maxDuration: '200ms' })}`)).body)).toEqual(seed.all.slice().sort());
    expect(ids((await get(`/api/traces?${goEncode({ service: 'order-service', operation: 'GET /order', maxDuration: '200ms' })}`)).body)).toEqual([seed.ok, seed.outOfStock].sort());
    expect(ids((await get(`/api/traces?${goEncode({ service: 'order-service', tags: '{"error":"true"}' })}`)).body)).toEqual([seed.outOfStock, seed.timeout].sort());
    expect(ids((await get('/api/traces?service=order-service&tag=app.product:OutOfStockItem')).body)).toEqual([seed.outOfStock]);
  });

  it('start/end in microseconds bound the search; limit caps it', async () => {
    const us = seed.baseMs * 1000;
    expect(ids((await get(`/api/traces?service=order-service&start=${us + 500_000}&end=${us + 1_500_000}`)).body)).toEqual([seed.outOfStock]);
    expect((await get('/api/traces?service=order-service&limit=2')).body.data).toHaveLength(2);
  });

  it('repeated traceID fetches those traces', async () => {
    expect(ids((await get(`/api/traces?traceID=${seed.ok}&traceID=${seed.timeout}`)).body)).toEqual([seed.ok, seed.timeout].sort());

    // An unknown id is reported in errors beside the traces found (Jaeger UI's compare page waits for it).
    const unknown = 'feedfacefeedfacefeedfacefeedface';
    const r = await get(`/api/traces?traceID=${seed.ok}&traceID=${unknown}`);
    expect(r.status).toBe(200);
    expect(ids(r.body)).toEqual([seed.ok]);
    expect(r.body.errors).toEqual([{ msg: 'trace not found', traceID: unknown }]);
  });

  it('prettyPrint indents the answer; the data is the same', async () => {
    const res = await fetch(`${hub.jaegerUrl}/api/services?prettyPrint=true`);
    const text = await res.text();
    expect(text).toContain('\n    "data": [');
    const plain = await (await fetch(`${hub.jaegerUrl}/api/services`)).text();
    expect(plain).not.toContain('\n');
    expect(JSON.parse(text)).toEqual(JSON.parse(plain));
  });
  it('bad parameters get a 400 error envelope naming them', async () => {
    for (const [q, word] of [
      ['service=order-service&minDuration=fast', 'minDuration'],
      ['service=order-service&tags=%7Bnot-json', 'tags'],
      ['operation=x', 'service'],
    ] as const) {
      const r = await get(`/api/traces?${q}`);
      expect(r.status).toBe(400);
      expect(r.body.data).toBeNull();
      expect(r.body.errors[0].code).toBe(400);
      expect(r.body.errors[0].msg).toContain(word);
    }
  });
});

describe('dependencies (endTs and lookback in ms)', () => {
  it('counts order-service -> payment-service calls', async () => {
    const endTs = seed.baseMs + 3_600_000;
    const r = await get(`/api/dependencies?endTs=${endTs}&lookback=${7_200_000}`);
    expect(r.status).toBe(200);
    expectEnvelope(r.body);
    expect(r.body.data).toEqual([{ parent: 'order-service', child: 'payment-service', callCount: 2 }]);
    const none = await get(`/api/dependencies?endTs=${seed.baseMs - 3_600_000}&lookback=60000`);
    expect(none.body.data).toEqual([]);
  });
});

describe('search: every condition on one span (jaeger-query semantics)', () => {
  const ids = (body: any) => body.data.map((t: any) => t.traceID).sort();
  const find = async (params: Record<string, string>) => {
    const r = await get(`/api/traces?${goEncode(params)}`);
    expect(r.status, JSON.stringify(r.body.errors)).toBe(200);
    return ids(r.body);
  };

  it('operation and duration describe the same span', async () => {
    // check-stock never takes 500 ms, although two of its traces do.
    expect(await find({ service: 'order-service', operation: 'check-stock', minDuration: '500ms' })).toEqual([]);
    expect(await find({ service: 'order-service', operation: 'call-payment-api', minDuration: '500ms' })).toEqual([seed.timeout]);
    expect(await find({ service: 'payment-service', minDuration: '500ms' })).toEqual([seed.timeout]);
  });

  it("a tag must be on a span of the searched service (or its resource)", async () => {
    // app.product is on order-service's root span only.
    expect(await find({ service: 'payment-service', tags: JSON.stringify({ 'app.product': 'Book' }) })).toEqual([]);
    expect(await find({ service: 'order-service', tags: JSON.stringify({ 'app.product': 'Book' }) })).toEqual([seed.ok, seed.timeout].sort());
    // Two tags that are on different spans of the same trace match nothing.
    expect(await find({ service: 'order-service', tags: JSON.stringify({ 'app.product': 'Book', 'server.address': 'payment-service' }) })).toEqual([]);
    expect(await find({ service: 'order-service', tags: JSON.stringify({ 'server.address': 'payment-service', 'otel.status_code': 'ERROR' }) })).toEqual([seed.timeout]);
    // Resource attributes are tags of every span of the process.
    expect(await find({ service: 'payment-service', tags: JSON.stringify({ 'service.version': '0.1.0', 'app.delay_ms': '600' }) })).toEqual([seed.timeout]);
  });

  it('the synthetic tags the trace view shows can be searched', async () => {
    expect(await find({ service: 'order-service', tags: JSON.stringify({ 'span.kind': 'client' }) })).toEqual([seed.ok, seed.timeout].sort());
    expect(await find({ service: 'order-service', operation: 'check-stock', tags: JSON.stringify({ 'otel.status_code': 'ERROR' }) })).toEqual([seed.outOfStock]);
    expect(await find({ service: 'order-service', tags: JSON.stringify({ 'otel.status_description': 'payment timed out' }) })).toEqual([seed.timeout]);
    expect(await find({ service: 'payment-service', tags: JSON.stringify({ 'otel.scope.name': 'tracelab-payment', 'otel.scope.version': '0.1.0' }) })).toEqual([seed.ok, seed.timeout].sort());
    expect(await find({ service: 'payment-service', tags: JSON.stringify({ 'otel.scope.name': 'tracelab-order' }) })).toEqual([]);
  });

  it('events are searchable as Jaeger logs: the event name as `event`, and their attributes', async () => {
    expect(await find({ service: 'order-service', tags: JSON.stringify({ event: 'exception' }) })).toEqual([seed.outOfStock, seed.timeout].sort());
    expect(await find({ service: 'order-service', tags: JSON.stringify({ 'exception.message': 'payment timed out after 500 ms' }) })).toEqual([seed.timeout]);
    expect(await find({ service: 'order-service', operation: 'GET /order', tags: JSON.stringify({ event: 'exception' }) })).toEqual([]);
  });

  it('error=false is a span without ERROR status, error=true one with it', async () => {
    // In the out-of-stock trace both order-service spans failed; the others have a span that did not.
    expect(await find({ service: 'order-service', tags: '{"error":"false"}' })).toEqual([seed.ok, seed.timeout].sort());
    expect(await find({ service: 'order-service', operation: 'GET /order', tags: '{"error":"false"}' })).toEqual([seed.ok]);
    expect(await find({ service: 'order-service', operation: 'GET /order', tags: '{"error":"true"}' })).toEqual([seed.outOfStock, seed.timeout].sort());
    expect(await find({ service: 'payment-service', tags: '{"error":"true"}' })).toEqual([]);
  });

  it('start/end select traces with a span starting in the window', async () => {
    const us = seed.baseMs * 1000;
    // POST /pay of the ok trace starts 14 ms in; the window [10 ms, 20 ms] holds no trace's start.
    expect(await find({ service: 'payment-service', start: String(us + 10_000), end: String(us + 20_000) })).toEqual([seed.ok]);
    expect(await find({ service: 'order-service', start: String(us + 10_000), end: String(us + 20_000) })).toEqual([seed.ok]);
    expect(await find({ service: 'order-service', operation: 'GET /order', start: String(us + 10_000), end: String(us + 20_000) })).toEqual([]);
  });
});
