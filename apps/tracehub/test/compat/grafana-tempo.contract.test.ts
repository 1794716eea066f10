/**
 * Replays the requests Grafana's Tempo data source makes (non-streaming) against
 * a real tracehub process loaded through the OpenTelemetry JS SDK, and decodes
 * the answers the way Grafana does: TraceByIDResponse/Trace protobuf
 * (pkg/tsdb/tempo/trace.go), search JSON with nanosecond strings and an integer
 * durationMs (pkg/tsdb/tempo/search.go), tags through the backend resource
 * proxy with the tag encodeURIComponent'ed twice (language_provider.ts).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startHub, type HubHandle } from '@tracelab/test-support/hub';
import { loadSeedTraces, SEED_SPAN_COUNTS, type SeedTraces, waitForSeedTraces } from './seed-traces.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const PROTO_DIR = path.resolve(here, '../../proto');

/** What Grafana's Go HTTP client sends on trace-by-id (createRequest) and its data proxy otherwise. */
const GRAFANA_HEADERS = { 'User-Agent': 'Grafana/11.5.2', 'X-Grafana-Org-Id': '1', 'Accept-Encoding': 'gzip' };

let hub: HubHandle;
let seed: SeedTraces;
let root: protobuf.Root;
let range: { start: number; end: number };

function loadTempoProto(): protobuf.Root {
  const r = new protobuf.Root();
  r.resolvePath = (origin, target) => (target.endsWith('tempopb.proto') ? path.join(here, 'tempopb.proto') : path.join(PROTO_DIR, target));
  r.loadSync('tempopb.proto', { keepCase: false });
  return r;
}

/** Grafana's frontend request params → query string (encodeURIComponent per value, as its serializeParams does). */
function qs(params: Record<string, string | number>): string {
  return Object.entries(params)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`)
    .join('&');
}

async function get(pathAndQuery: string, headers: Record<string, string> = {}) {
  return fetch(`${hub.tempoUrl}${pathAndQuery}`, { headers: { ...GRAFANA_HEADERS, ...headers } });
}

async function search(q: string, extra: Record<string, string | number> = {}) {
  const res = await get(`/api/search?${qs({ q, limit: 20, spss: 3, start: range.start, end: range.end, ...extra })}`, { Accept: 'application/json, text/plain, */*' });
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as { traces: any[]; metrics: unknown };
}

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const asBig = (v: any) => BigInt(v.toString());

beforeAll(async () => {
  hub = await startHub();
  expect(hub.tempoUrl).toBeDefined();
  root = loadTempoProto();
  seed = await loadSeedTraces(hub.otlpHttpUrl);
  range = { start: Math.floor(seed.baseMs / 1000) - 3600, end: Math.floor(seed.baseMs / 1000) + 3600 };
  await waitForSeedTraces(seed, search);
});

afterAll(async () => {
  await hub?.stop({ removeData: true });
});

describe('health and version (data source "Save & test", feature gates)', () => {
  it('GET /api/echo', async () => {
    const res = await get('/api/echo');
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('echo');
  });
  it('GET /api/status/buildinfo has a real semver', async () => {
    const info = (await (await get('/api/status/buildinfo')).json()) as any;
    expect(info.version).toMatch(/^2\.\d+\.\d+$/);
    for (const k of ['revision', 'branch', 'buildUser', 'buildDate', 'goVersion']) expect(info).toHaveProperty(k);
  });
});

describe('trace by id (protobuf, as pkg/tsdb/tempo/trace.go decodes it)', () => {
  function spansOf(resourceSpans: any[]) {
    return resourceSpans.flatMap((rs) =>
      rs.scopeSpans.flatMap((ss: any) =>
        ss.spans.map((s: any) => ({
          service: rs.resource.attributes.find((a: any) => a.key === 'service.name').value.stringValue,
          scope: ss.scope.name,
          traceId: hex(s.traceId),
          spanId: hex(s.spanId),
          parentSpanId: hex(s.parentSpanId),
          name: s.name,
          kind: s.kind,
          status: s.status?.code ?? 0,
          start: asBig(s.startTimeUnixNano),
          end: asBig(s.endTimeUnixNano),
          attributes: Object.fromEntries((s.attributes ?? []).map((a: any) => [a.key, a.value])),
          events: s.events ?? [],
        })),
      ),
    );
  }

  it('v2: Accept application/protobuf gives a TraceByIDResponse with every span, exactly', async () => {
    const res = await get(`/api/v2/traces/${seed.timeout}?start=${range.start}&end=${range.end}`, { Accept: 'application/protobuf' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/protobuf/);
    const msg = root.lookupType('tempopb.TraceByIDResponse').decode(new Uint8Array(await res.arrayBuffer())) as any;
    expect(msg.status ?? 0).toBe(0); // COMPLETE
    const spans = spansOf(msg.trace.resourceSpans);
    expect(spans).toHaveLength(SEED_SPAN_COUNTS.timeout);
    expect(new Set(spans.map((s) => s.traceId))).toEqual(new Set([seed.timeout]));
    const byName = Object.fromEntries(spans.map((s) => [s.name, s]));
    expect(byName['GET /order']).toMatchObject({ service: 'order-service', kind: 2, status: 2, parentSpanId: '', scope: 'tracelab-order' });
    expect(byName['POST /pay']).toMatchObject({ service: 'payment-service', kind: 2, parentSpanId: byName['call-payment-api']!.spanId });
    expect(byName['call-payment-api']).toMatchObject({ kind: 3, status: 2 });
    expect(byName['call-payment-api']!.events[0].name).toBe('exception');
    // Nanosecond times survive exactly (root: 650 ms).
    expect(byName['GET /order']!.end - byName['GET /order']!.start).toBe(650_000_000n);
    expect(byName['GET /order']!.start).toBe(BigInt(seed.baseMs + 2000) * 1_000_000n);
    expect(byName['GET /order']!.attributes['app.product']).toEqual({ stringValue: 'Book' });
    expect(asBig(byName['GET /order']!.attributes['http.response.status_code'].intValue)).toBe(504n);
  });

  it('v2 and v1 answer 404 for an unknown trace (Grafana then tries v1)', async () => {
    for (const p of ['/api/v2/traces/', '/api/traces/']) {
      const res = await get(`${p}ffffffffffffffffffffffffffffffff`, { Accept: 'application/protobuf' });
      expect(res.status).toBe(404);
    }
  });

  it('v1: the body is a bare tempopb.Trace', async () => {
    const res = await get(`/api/traces/${seed.ok}`, { Accept: 'application/protobuf' });
    expect(res.status).toBe(200);
    const msg = root.lookupType('tempopb.Trace').decode(new Uint8Array(await res.arrayBuffer())) as any;
    expect(spansOf(msg.resourceSpans).map((s) => s.name).sort()).toEqual(['GET /order', 'POST /pay', 'call-payment-api', 'check-stock', 'save-order']);
  });

  it('accepts ids shorter than 32 hex digits and upper case', async () => {
    const short = seed.outOfStock.replace(/^0+/, '').toUpperCase();
    const res = await get(`/api/v2/traces/${short}`, { Accept: 'application/protobuf' });
    expect(res.status).toBe(200);
    const msg = root.lookupType('tempopb.TraceByIDResponse').decode(new Uint8Array(await res.arrayBuffer())) as any;
    expect(spansOf(msg.trace.resourceSpans).map((s) => s.traceId)).toEqual([seed.outOfStock, seed.outOfStock]);
  });

  it('rejects a malformed id with 400 text', async () => {
    const res = await get('/api/v2/traces/not-a-trace-id');
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(/trace id/);
  });

  it('without protobuf Accept: proto3 JSON (base64 ids, enum names, int64 strings)', async () => {
    const v2 = (await (await get(`/api/v2/traces/${seed.ok}`, { Accept: 'application/json' })).json()) as any;
    const v1 = (await (await get(`/api/traces/${seed.ok}`)).json()) as any;
    expect(v2.trace).toEqual(v1);
    const all = v1.resourceSpans.flatMap((rs: any) => rs.scopeSpans.flatMap((ss: any) => ss.spans));
    expect(all).toHaveLength(SEED_SPAN_COUNTS.ok);
    const rootSpan = all.find((s: any) => s.name === 'GET /order');
    expect(Buffer.from(rootSpan.traceId, 'base64').toString('hex')).toBe(seed.ok);
    expect(rootSpan.kind).toBe('SPAN_KIND_SERVER');
    expect(rootSpan.status).toEqual({ code: 'STATUS_CODE_OK' });
    expect(typeof rootSpan.startTimeUnixNano).toBe('string');
    expect(rootSpan.attributes).toContainEqual({ key: 'http.response.status_code', value: { intValue: '200' } });
  });
});

describe('search (TraceQL from the search builder, as the frontend sends it)', () => {
  const ids = (r: { traces: any[] }) => r.traces.map((t) => t.traceID).sort();

  it('has the JSON shape and types Grafana decodes', async () => {
    const r = await search('{resource.service.name="order-service" && name="GET /order"}');
    expect(ids(r)).toEqual([...seed.all].sort());
    for (const t of r.traces) {
      expect(typeof t.startTimeUnixNano).toBe('string');
      expect(Number.isInteger(t.durationMs)).toBe(true);
      expect(t.rootServiceName).toBe('order-service');
      expect(t.rootTraceName).toBe('GET /order');
      for (const s of t.spanSets[0].spans) {
        expect(typeof s.startTimeUnixNano).toBe('string');
        expect(typeof s.durationNanos).toBe('string');
        expect(s.spanID).toMatch(/^[0-9a-f]{16}$/);
      }
    }
    const timeout = r.traces.find((t) => t.traceID === seed.timeout);
    expect(timeout.durationMs).toBe(650);
    expect(timeout.startTimeUnixNano).toBe(String(BigInt(seed.baseMs + 2000) * 1_000_000n));
    expect(timeout.spanSets[0]).toMatchObject({ matched: 1, spans: [{ name: 'GET /order', durationNanos: '650000000' }] });
    // Newest first, as Grafana sorts.
    expect(r.traces.map((t) => t.traceID)).toEqual([seed.timeout, seed.outOfStock, seed.ok]);
  });

  it('status = error', async () => {
    expect(ids(await search('{resource.service.name="order-service" && status=error}'))).toEqual([seed.outOfStock, seed.timeout].sort());
  });

  it('multi-value selections become an anchored regex', async () => {
    expect(ids(await search('{span.app.product=~"OutOfStockItem|Pen"}'))).toEqual([seed.outOfStock]);
    expect(ids(await search('{resource.service.name=~"payment-service|inventory"}'))).toEqual([seed.ok, seed.timeout].sort());
    // Anchored: a prefix alone does not match.
    expect(ids(await search('{span.app.product=~"Boo"}'))).toEqual([]);
  });

  it('trace duration and span duration', async () => {
    expect(ids(await search('{resource.service.name="order-service" && traceDuration>500ms}'))).toEqual([seed.timeout]);
    expect(ids(await search('{name="POST /pay" && duration>=100ms && duration<200ms}'))).toEqual([seed.ok]);
  });

  it('unscoped attributes match span or resource attributes', async () => {
    expect(ids(await search('{.app.product="OutOfStockItem"}'))).toEqual([seed.outOfStock]);
    expect(ids(await search('{.service.name="payment-service"}'))).toEqual([seed.ok, seed.timeout].sort());
  });

  it('spss caps listed spans, matched counts all; limit caps traces', async () => {
    const r = await search('{resource.service.name="order-service"}', { spss: 1 });
    const ok = r.traces.find((t) => t.traceID === seed.ok);
    expect(ok.spanSets[0].spans).toHaveLength(1);
    expect(ok.spanSets[0].matched).toBe(4);
    expect((await search('{}', { limit: 1 })).traces).toHaveLength(1);
  });

  it('start/end (unix seconds) bound the traces', async () => {
    const before = Math.floor(seed.baseMs / 1000) - 7200;
    expect((await search('{}', { start: before, end: before + 60 })).traces).toEqual([]);
  });

  it('legacy tag search (tags logfmt, minDuration)', async () => {
    const res = await get(`/api/search?${qs({ tags: 'service.name=order-service app.product=Book', minDuration: '500ms' })}`);
    expect(ids((await res.json()) as any)).toEqual([seed.timeout]);
  });

  it('invalid TraceQL and metrics queries are a 400 with a plain-text reason', async () => {
    for (const [q, reason] of [['{ name = }', /at position 9/], ['{} | rate()', /metrics endpoint/]] as const) {
      const res = await get(`/api/search?${qs({ q, limit: 20 })}`);
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
      expect(await res.text()).toMatch(reason);
    }
    const bad = await get(`/api/search?${qs({ q: '{}', limit: 'many' })}`);
    expect(bad.status).toBe(400);
    expect(await bad.text()).toMatch(/limit/);
  });
});

describe('tags and tag values (through Grafana\'s tags / tag-values resource proxy)', () => {
  /** Grafana's backend forwards RawQuery as is and puts the (once-decoded) tag into the path, re-escaped. */
  async function tagValues(tag: string, extra = '') {
    const twice = encodeURIComponent(encodeURIComponent(tag));
    const res = await get(`/api/v2/search/tag/${twice}/values?tag=${twice}&limit=5000${extra}`);
    return res;
  }

  it('v2 tags lists resource, span and intrinsic scopes', async () => {
    const r = (await (await get('/api/v2/search/tags?limit=5000')).json()) as any;
    const byScope = Object.fromEntries(r.scopes.map((s: any) => [s.name, s.tags]));
    expect(byScope.resource).toEqual(expect.arrayContaining(['service.name', 'service.version', 'deployment.environment.name']));
    expect(byScope.span).toEqual(expect.arrayContaining(['app.product', 'http.request.method', 'app.order/channel']));
    expect(byScope.intrinsic).toEqual(expect.arrayContaining(['duration', 'kind', 'name', 'status']));
    const spanOnly = (await (await get('/api/v2/search/tags?scope=span')).json()) as any;
    expect(spanOnly.scopes.map((s: any) => s.name)).toEqual(['span']);
  });

  it('v2 values: scoped attributes, double-encoded names and intrinsics', async () => {
    const services = (await (await tagValues('resource.service.name')).json()) as any;
    expect(services.tagValues).toEqual(
      expect.arrayContaining([
        { type: 'string', value: 'order-service' },
        { type: 'string', value: 'payment-service' },
      ]),
    );
    const channel = (await (await tagValues('span.app.order/channel')).json()) as any;
    expect(channel.tagValues).toEqual([{ type: 'string', value: 'web' }]);
    const products = (await (await tagValues('.app.product')).json()) as any;
    expect(products.tagValues.map((v: any) => v.value).sort()).toEqual(['Book', 'OutOfStockItem']);
    const codes = (await (await tagValues('span.http.response.status_code')).json()) as any;
    expect(codes.tagValues).toEqual(expect.arrayContaining([{ type: 'int', value: '504' }]));
    const status = (await (await tagValues('status')).json()) as any;
    expect(status.tagValues).toEqual(expect.arrayContaining([{ type: 'keyword', value: 'error' }]));
    const names = (await (await tagValues('name', '&q=%7B%7D')).json()) as any;
    expect(names.tagValues.map((v: any) => v.value)).toEqual(expect.arrayContaining(['GET /order', 'POST /pay', 'check-stock']));
  });

  it('v2 values: a name that is neither scoped nor intrinsic is a 400', async () => {
    const res = await tagValues('app.product');
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(/not valid intrinsic or scoped attribute/);
  });

  it('v1 fallbacks: tagNames and plain value lists', async () => {
    const names = (await (await get('/api/search/tags')).json()) as any;
    expect(names.tagNames).toEqual(expect.arrayContaining(['service.name', 'app.product']));
    const values = (await (await get('/api/search/tag/service.name/values')).json()) as any;
    expect(values.tagValues).toEqual(expect.arrayContaining(['order-service', 'payment-service']));
    const products = (await (await get(`/api/search/tag/${encodeURIComponent('app.product')}/values`)).json()) as any;
    expect(products.tagValues.sort()).toEqual(['Book', 'OutOfStockItem']);
  });
});
