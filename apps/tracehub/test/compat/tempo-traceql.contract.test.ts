/**
 * TraceQL search through a real tracehub process: the seed traces are sent
 * with the OpenTelemetry JS SDK over OTLP/HTTP, then queried the way Grafana's
 * Tempo data source and Traces Drilldown do (`/api/search?q=&limit=&spss=&start=&end=`),
 * checking which traces and which spans each spanset holds, and what select(),
 * by() and aggregates return; plus /api/v1/traces?q= and the 400s.
 *
 * Seed span ids (FixedIds: 0x1000 + n, in creation order):
 *   ok         1001 GET /order ─┬ 1002 check-stock
 *                               ├ 1003 call-payment-api ─ 1004 POST /pay (payment-service, 100 ms)
 *                               └ 1005 save-order
 *   outOfStock 1006 GET /order (ERROR) ─ 1007 check-stock (ERROR, exception event)
 *   timeout    1008 GET /order (ERROR) ─┬ 1009 check-stock
 *                                       └ 100a call-payment-api (ERROR, exception event) ─ 100b POST /pay (600 ms)
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startHub, type HubHandle } from '@tracelab/test-support/hub';
import { loadSeedTraces, SEED_SPAN_COUNTS, type SeedTraces, waitForSeedTraces } from './seed-traces.js';

let hub: HubHandle;
let seed: SeedTraces;
let range: { start: number; end: number };

const id = (n: string) => n.padStart(16, '0');

function qs(params: Record<string, string | number>): string {
  return Object.entries(params)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`)
    .join('&');
}

async function raw(q: string, extra: Record<string, string | number> = {}) {
  return fetch(`${hub.tempoUrl}/api/search?${qs({ q, limit: 20, spss: 3, start: range.start, end: range.end, ...extra })}`, {
    headers: { 'User-Agent': 'Grafana/11.5.2', Accept: 'application/json, text/plain, */*' },
  });
}

async function search(q: string, extra: Record<string, string | number> = {}) {
  const res = await raw(q, extra);
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as { traces: any[]; metrics: { inspectedTraces: number } };
}

/** trace name → span ids of each spanset (sorted), for the traces that matched. */
async function spanIds(q: string, extra: Record<string, string | number> = {}): Promise<Record<string, string[][]>> {
  const names = Object.fromEntries(Object.entries(seed).filter(([k]) => k === 'ok' || k === 'outOfStock' || k === 'timeout').map(([k, v]) => [v, k]));
  const r = await search(q, { spss: 100, ...extra });
  return Object.fromEntries(
    r.traces
      .map((t) => [names[t.traceID], t.spanSets.map((s: any) => s.spans.map((x: any) => x.spanID).sort())] as const)
      .sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
  );
}

const attr = (span: any, key: string) => span.attributes.find((a: any) => a.key === key)?.value;

beforeAll(async () => {
  hub = await startHub();
  seed = await loadSeedTraces(hub.otlpHttpUrl);
  range = { start: Math.floor(seed.baseMs / 1000) - 3600, end: Math.floor(seed.baseMs / 1000) + 3600 };
  await waitForSeedTraces(seed, search);
});

afterAll(async () => {
  await hub?.stop({ removeData: true });
});

describe('structural operators', () => {
  it('descendant >> returns the right-hand spans', async () => {
    expect(await spanIds('{ resource.service.name = "order-service" } >> { resource.service.name = "payment-service" }')).toEqual({
      ok: [[id('1004')]],
      timeout: [[id('100b')]],
    });
  });

  it('not-parent !< finds the last error of a cascade and leaf spans', async () => {
    expect(await spanIds('{ status = error } !< { status = error }')).toEqual({ outOfStock: [[id('1007')]], timeout: [[id('100a')]] });
    expect(await spanIds('{ } !< { resource.service.name = "order-service" }')).toEqual({
      ok: [[id('1002'), id('1005')]],
      outOfStock: [[id('1007')]],
      timeout: [[id('1009')]],
    });
  });

  it('union &> returns both sides; child > and sibling ~', async () => {
    expect(await spanIds('{ name = "call-payment-api" } &> { name = "POST /pay" }')).toEqual({
      ok: [[id('1003'), id('1004')]],
      timeout: [[id('100a'), id('100b')]],
    });
    expect(await spanIds('{ name = "GET /order" } > { status = error }')).toEqual({ outOfStock: [[id('1007')]], timeout: [[id('100a')]] });
    expect(await spanIds('{ name = "save-order" } ~ { }')).toEqual({ ok: [[id('1002'), id('1003')]] });
  });

  it('&& between spansets: the trace has both; spans of both', async () => {
    expect(await spanIds('{ name = "GET /order" } && { event:name = "exception" }')).toEqual({
      outOfStock: [[id('1006'), id('1007')]],
      timeout: [[id('1008'), id('100a')]],
    });
  });
});

describe('pipelines, aggregates, by() and select()', () => {
  it('count() filters spansets and reports its value', async () => {
    const r = await search('{ } | count() > 4');
    expect(r.traces.map((t) => t.traceID)).toEqual([seed.ok]);
    expect(r.traces[0].spanSets[0].matched).toBe(5);
    expect(r.traces[0].spanSets[0].spans).toHaveLength(3);
    expect(r.traces[0].spanSets[0].attributes).toEqual([{ key: 'count()', value: { intValue: '5' } }]);
  });

  it('avg(duration) > 200ms', async () => {
    const r = await search('{ } | avg(duration) > 200ms');
    expect(r.traces.map((t) => t.traceID)).toEqual([seed.timeout]);
    // (650 + 8 + 628 + 600) ms / 4
    expect(r.traces[0].spanSets[0].attributes).toEqual([{ key: 'avg(duration)', value: { stringValue: '471.5ms' } }]);
  });

  it('by() splits into spansets that carry the value', async () => {
    const r = await search('{ } | by(resource.service.name)', { spss: 10 });
    const ok = r.traces.find((t) => t.traceID === seed.ok);
    expect(ok.spanSets.map((s: any) => ({ by: s.attributes, matched: s.matched }))).toEqual([
      { by: [{ key: 'by(resource.service.name)', value: { stringValue: 'order-service' } }], matched: 4 },
      { by: [{ key: 'by(resource.service.name)', value: { stringValue: 'payment-service' } }], matched: 1 },
    ]);
    expect(ok.spanSet).toEqual(ok.spanSets[0]);
  });

  it('select() returns the fields with every span, typed', async () => {
    const r = await search('{ name = "POST /pay" } | select(span.app.delay_ms, resource.service.version)');
    const spans = Object.fromEntries(r.traces.map((t) => [t.traceID, t.spanSets[0].spans[0]]));
    expect(attr(spans[seed.ok], 'app.delay_ms')).toEqual({ intValue: '100' });
    expect(attr(spans[seed.timeout], 'app.delay_ms')).toEqual({ intValue: '600' });
    expect(attr(spans[seed.ok], 'service.version')).toEqual({ stringValue: '0.1.0' });
    expect(attr(spans[seed.ok], 'service.name')).toEqual({ stringValue: 'payment-service' });
    expect(spans[seed.ok]).toMatchObject({ spanID: id('1004'), name: 'POST /pay', durationNanos: '100000000' });
  });

  it('a spanset filter after a pipe, and coalesce()', async () => {
    expect(await spanIds('{ status = error } | count() > 1 | { kind = server }')).toEqual({ outOfStock: [[id('1006')]], timeout: [[id('1008')]] });
    expect(await spanIds('{ } | by(name) | coalesce() | count() = 2')).toEqual({ outOfStock: [[id('1006'), id('1007')]] });
  });

  it('the attributes the query reads come back with the spans', async () => {
    const r = await search('{ span.http.response.status_code >= 500 }');
    expect(r.traces.map((t) => t.traceID)).toEqual([seed.timeout]);
    expect(attr(r.traces[0].spanSets[0].spans[0], 'http.response.status_code')).toEqual({ intValue: '504' });
    expect(attr(r.traces[0].spanSets[0].spans[0], 'status')).toEqual({ stringValue: 'error' });
  });
});

describe('fields SQL cannot express, evaluated per span', () => {
  it.each([
    ['{ span.app.delay_ms > 50 * 10 }', { timeout: [[id('100b')]] }],
    ['{ duration > span.app.delay_ms * 1000000 - 1 }', { ok: [[id('1004')]], timeout: [[id('100b')]] }],
    ['{ span:childCount = 3 }', { ok: [[id('1001')]] }],
    ['{ trace:rootService = "order-service" && instrumentation:name = "tracelab-payment" }', { ok: [[id('1004')]], timeout: [[id('100b')]] }],
    ['{ parent.resource.service.name = "order-service" && resource.service.name = "payment-service" }', { ok: [[id('1004')]], timeout: [[id('100b')]] }],
    ['{ event:name = "exception" && event:timeSinceStart > 100ms }', { timeout: [[id('100a')]] }],
    ['{ nestedSetParent = -1 && trace:duration > 600ms }', { timeout: [[id('1008')]] }],
    ['{ } with (most_recent=true) ', { ok: [[id('1001'), id('1002'), id('1003'), id('1004'), id('1005')]], outOfStock: [[id('1006'), id('1007')]], timeout: [[id('1008'), id('1009'), id('100a'), id('100b')]] }],
  ])('%s', async (q, expected) => {
    expect(await spanIds(q)).toEqual(expected);
  });

  it('limit caps traces (newest first)', async () => {
    const r = await search('{ name = "GET /order" } >> { }', { limit: 1 });
    expect(r.traces.map((t) => t.traceID)).toEqual([seed.timeout]);
  });
});

describe('the query forms Traces Drilldown sends', () => {
  it('root spans with an error, selecting status', async () => {
    const r = await search('{nestedSetParent<0 && true && status=error} | select(status)', { limit: 200, spss: 10 });
    expect(r.traces.map((t) => [t.traceID, t.spanSets[0].spans.map((s: any) => s.spanID)]).sort()).toEqual(
      [[seed.outOfStock, [id('1006')]], [seed.timeout, [id('1008')]]].sort(),
    );
    expect(attr(r.traces[0].spanSets[0].spans[0], 'status')).toEqual({ stringValue: 'error' });
  });

  it('a root and the errors below it (union descendant)', async () => {
    expect(await spanIds('{nestedSetParent<0 && true} &>> {status = error}')).toEqual({
      outOfStock: [[id('1006'), id('1007')]],
      timeout: [[id('1008'), id('100a')]],
    });
  });
});

describe('errors are 400s with a plain-text reason', () => {
  it.each([
    ['{ } | rate()', /rate\(\) makes this a TraceQL metrics query .*metrics endpoint/],
    ['{ } | quantile_over_time(duration, .9) by (name)', /metrics endpoint/],
    ['{ resource.service.name = nil }', /resource.service.name = nil is not valid TraceQL .*at position 24/],
    ['{ name = }', /at position 9/],
    ['{ .a = 1 } >>', /expected "\{" to start a spanset filter at position 13/],
  ])('%s', async (q, message) => {
    const res = await raw(q);
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await res.text()).toMatch(message);
  });
});

describe('/api/v1/traces?q=', () => {
  const v1 = (q: string, extra = '') => fetch(`${hub.apiUrl}/api/v1/traces?q=${encodeURIComponent(q)}&start=${seed.baseMs - 3_600_000}${extra}`);

  it('adds each trace\'s spansets', async () => {
    const res = await v1('{ status = error } !< { status = error }');
    expect(res.status).toBe(200);
    const body = (await res.json()) as { traces: any[] };
    expect(body.traces.map((t) => [t.traceId, t.spanSets.map((s: any) => s.spans.map((x: any) => x.spanId))])).toEqual([
      [seed.timeout, [[id('100a')]]],
      [seed.outOfStock, [[id('1007')]]],
    ]);
    expect(body.traces[0].spanSets[0].spans[0]).toMatchObject({ name: 'call-payment-api', service: 'order-service', status: 'error' });
    expect(body.traces[0]).toMatchObject({ rootName: 'GET /order', spanCount: 4 });
  });

  it('by() and count() values and spss', async () => {
    const res = await v1('{ } | by(resource.service.name) | count() > 3', '&spss=1');
    const body = (await res.json()) as { traces: any[] };
    const ok = body.traces.find((t) => t.traceId === seed.ok);
    expect(ok.spanSets).toHaveLength(1);
    expect(ok.spanSets[0].attributes).toEqual([
      { key: 'by(resource.service.name)', value: 'order-service' },
      { key: 'count()', value: 4 },
    ]);
    expect(ok.spanSets[0].spans).toHaveLength(1);
    expect(ok.spanSets[0].matched).toBe(4);
  });

  it('POST /api/v1/analyze/attributes takes any TraceQL as its selection', async () => {
    const res = await fetch(`${hub.apiUrl}/api/v1/analyze/attributes`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        selection: { q: '{ status = error } !< { status = error }' },
        start: String(BigInt(seed.baseMs - 3_600_000) * 1_000_000n),
        end: String(BigInt(seed.baseMs + 3_600_000) * 1_000_000n),
      }),
    });
    expect(res.status, await res.clone().text()).toBe(200);
    const body = (await res.json()) as { selection: { traceCount: number; spanCount: number }; baseline: { traceCount: number } };
    // outOfStock (2 spans) and timeout (4 spans) against ok
    expect(body.selection).toMatchObject({ traceCount: 2, spanCount: 6 });
    expect(body.baseline.traceCount).toBe(1);
  });

  it('errors are {"error", "message"} 400s', async () => {
    const bad = await v1('{ name = }');
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: 'INVALID_TRACEQL', message: expect.stringContaining('at position 9') });
    const metrics = await v1('{ } | rate()');
    expect(metrics.status).toBe(400);
    expect(((await metrics.json()) as { message: string }).message).toMatch(/metrics endpoint/);
  });
});
