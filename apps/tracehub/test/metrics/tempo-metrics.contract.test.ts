/**
 * TraceQL metrics against a real tracehub process loaded through the
 * OpenTelemetry SDK (metrics-dataset.ts): the requests Grafana's Tempo data
 * source sends (Tempo's api.BuildQueryRangeRequest: start/end in unix ns, step
 * as a Go duration, Accept: application/protobuf; and the JSON form), decoded
 * with protobufjs from Tempo's field numbers. Expected values are worked out
 * by hand from the dataset and Tempo's rules (right-closed intervals stamped
 * with their end, rate = count / step seconds, log2 buckets in seconds).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startHub, type HubHandle } from '@tracelab/test-support/hub';
import { DATASET, loadDataset, spanIdOf, traceIdOf } from './metrics-dataset.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const PROTO_DIR = path.resolve(here, '../../proto');

let hub: HubHandle;
let root: protobuf.Root;
// A whole minute, 30 minutes ago.
const T0 = Math.floor((Date.now() - 30 * 60_000) / 60_000) * 60_000;
const sec = (ms: number) => Math.floor(ms / 1000);
const ns = (ms: number) => `${BigInt(ms) * 1_000_000n}`;
const TS = [T0, T0 + 60_000, T0 + 120_000, T0 + 180_000];

function qs(params: Record<string, string | number>): string {
  return Object.entries(params)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`)
    .join('&');
}

async function rangeJson(q: string, extra: Record<string, string | number> = {}) {
  const res = await fetch(`${hub.tempoUrl}/api/metrics/query_range?${qs({ q, start: sec(T0), end: sec(T0 + 180_000), step: '60s', ...extra })}`);
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as { series: { labels: { key: string; value: Record<string, unknown> }[]; samples: { timestampMs: string; value: number }[]; promLabels: string }[] };
}

/** Series as { promLabels: [[timestampMs, value], ...] } (JSON form). */
async function seriesOf(q: string, extra: Record<string, string | number> = {}) {
  const r = await rangeJson(q, extra);
  return Object.fromEntries(r.series.map((s) => [s.promLabels, s.samples.map((x) => [Number(x.timestampMs), x.value])]));
}

beforeAll(async () => {
  hub = await startHub();
  root = new protobuf.Root();
  root.resolvePath = (origin, target) => (target.endsWith('tempo-metrics.proto') ? path.join(here, 'tempo-metrics.proto') : path.join(PROTO_DIR, target));
  root.loadSync('tempo-metrics.proto', { keepCase: false });
  await loadDataset(hub.otlpHttpUrl, T0);
  await vi.waitFor(
    async () => {
      const r = await rangeJson('{ } | count_over_time()', { start: sec(T0), end: sec(T0 + 300_000), step: '300s' });
      expect(r.series.flatMap((s) => s.samples.map((x) => x.value)).reduce((a, b) => a + b, 0)).toBe(10);
    },
    { timeout: 30_000, interval: 200 },
  );
});

afterAll(async () => {
  await hub?.stop({ removeData: true });
});

describe('query_range, as Grafana sends it (protobuf)', () => {
  it('rate() by service: start/end in ns, step "1m0s", Accept protobuf → QueryRangeResponse', async () => {
    const url = `${hub.tempoUrl}/api/metrics/query_range?${qs({
      start: ns(T0),
      end: ns(T0 + 180_000),
      step: '1m0s',
      shard: 0,
      shardCount: 0,
      q: '{ } | rate() by (resource.service.name)',
    })}`;
    const res = await fetch(url, { headers: { Accept: 'application/protobuf' } });
    expect(res.status, await res.clone().text()).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/protobuf/);
    const msg = root.lookupType('tempopb.QueryRangeResponse').toObject(root.lookupType('tempopb.QueryRangeResponse').decode(new Uint8Array(await res.arrayBuffer())), { longs: Number, defaults: true }) as any;
    const got = msg.series.map((s: any) => ({
      labels: s.labels.map((l: any) => [l.key, l.value.stringValue]),
      promLabels: s.promLabels,
      samples: s.samples.map((x: any) => [x.timestampMs, x.value]),
    }));
    // Exemplars: the latest span of each interval with spans, its trace:id / span:id, value NaN (a count).
    expect(
      msg.series[1].exemplars.map((e: any) => [Object.fromEntries(e.labels.map((l: any) => [l.key, l.value.stringValue])), e.timestampMs, Number.isNaN(e.value)]),
    ).toEqual([
      [{ 'trace:id': traceIdOf(5), 'span:id': spanIdOf(5) }, T0 + 60_000, true],
      [{ 'trace:id': traceIdOf(9), 'span:id': spanIdOf(9) }, T0 + 90_000, true],
    ]);
    expect(got).toEqual([
      { labels: [['resource.service.name', 'alpha']], promLabels: '{resource.service.name="alpha"}', samples: [[TS[0], 0], [TS[1], 2 / 60], [TS[2], 1 / 60], [TS[3], 1 / 60]] },
      { labels: [['resource.service.name', 'beta']], promLabels: '{resource.service.name="beta"}', samples: [[TS[0], 0], [TS[1], 3 / 60], [TS[2], 2 / 60], [TS[3], 0]] },
    ]);
  });

  it('instant query (protobuf): one value per series over (start, end]', async () => {
    const res = await fetch(`${hub.tempoUrl}/api/metrics/query?${qs({ start: ns(T0), end: ns(T0 + 180_000), q: '{ } | count_over_time() by (resource.service.name)' })}`, {
      headers: { Accept: 'application/protobuf' },
    });
    expect(res.status).toBe(200);
    const type = root.lookupType('tempopb.QueryInstantResponse');
    const msg = type.toObject(type.decode(new Uint8Array(await res.arrayBuffer())), { defaults: true }) as any;
    expect(msg.series.map((s: any) => [s.promLabels, s.value])).toEqual([
      ['{resource.service.name="alpha"}', 4],
      ['{resource.service.name="beta"}', 5],
    ]);
  });
});

describe('query_range (JSON): every function', () => {
  it('labels and int64 timestamps in protojson form; no by() names the function; exemplars: the latest span per interval, value NaN', async () => {
    const r = await rangeJson('{ resource.service.name = "alpha" } | count_over_time()');
    const ex = (i: number) => ({
      labels: [
        { key: 'trace:id', value: { stringValue: traceIdOf(i) } },
        { key: 'span:id', value: { stringValue: spanIdOf(i) } },
      ],
      value: 'NaN',
      timestampMs: String(T0 + DATASET[i]!.at * 1000),
    });
    expect(r.series).toEqual([
      {
        labels: [{ key: '__name__', value: { stringValue: 'count_over_time' } }],
        promLabels: '{__name__="count_over_time"}',
        samples: TS.map((t, i) => ({ timestampMs: String(t), value: [0, 2, 1, 1][i] })),
        exemplars: [ex(1), ex(2), ex(3)],
      },
    ]);
    // exemplars=0 leaves them out.
    expect((await rangeJson('{ resource.service.name = "alpha" } | count_over_time()', { exemplars: 0 })).series[0]).not.toHaveProperty('exemplars');
  });

  it('exemplars of a value function: the span with the largest value, in seconds', async () => {
    const r = await rangeJson('{ resource.service.name = "alpha" } | max_over_time(duration)');
    expect((r.series[0] as any).exemplars.map((e: any) => [e.labels[0].value.stringValue, e.value])).toEqual([
      [traceIdOf(1), 0.3],
      [traceIdOf(2), 3],
      [traceIdOf(3), 0.05],
    ]);
  });

  it('a span on an interval boundary belongs to the interval it closes; spans after end are left out', async () => {
    expect(await seriesOf('{ resource.service.name = "beta" } | count_over_time() by (span:name)')).toEqual({
      '{name="GET /a"}': [[TS[0], 0], [TS[1], 3], [TS[2], 2], [TS[3], 0]],
    });
  });

  it('count_over_time by name for one service', async () => {
    expect(await seriesOf('{ resource.service.name = "alpha" } | count_over_time() by (name)')).toEqual({
      '{name="GET /a"}': [[TS[0], 0], [TS[1], 2], [TS[2], 1], [TS[3], 0]],
      '{name="POST /b"}': [[TS[0], 0], [TS[1], 0], [TS[2], 0], [TS[3], 1]],
    });
  });

  it('first stages only the evaluator runs (spanset &&, span:childCount, a pipeline): the same grid and values', async () => {
    // SQL cannot express these; the spans the TraceQL evaluator selects are counted instead.
    expect(await seriesOf('{ resource.service.name = "alpha" } && { name = "GET /a" } | count_over_time()')).toEqual({
      '{__name__="count_over_time"}': [[TS[0], 0], [TS[1], 2], [TS[2], 1], [TS[3], 0]],
    });
    expect(await seriesOf('{ span:childCount = 0 && resource.service.name = "alpha" } | count_over_time() by (name)')).toEqual({
      '{name="GET /a"}': [[TS[0], 0], [TS[1], 2], [TS[2], 1], [TS[3], 0]],
      '{name="POST /b"}': [[TS[0], 0], [TS[1], 0], [TS[2], 0], [TS[3], 1]],
    });
    expect(await seriesOf('{ resource.service.name = "beta" } | count() > 0 | max_over_time(duration)')).toEqual({
      '{__name__="max_over_time"}': [[TS[1], 0.01], [TS[2], 0.04]],
    });
  });

  it('min/max/avg/sum over time: seconds for durations, no sample where nothing was measured', async () => {
    const alpha = '{ resource.service.name = "alpha" }';
    expect(await seriesOf(`${alpha} | max_over_time(duration)`)).toEqual({ '{__name__="max_over_time"}': [[TS[1], 0.3], [TS[2], 3], [TS[3], 0.05]] });
    expect(await seriesOf(`${alpha} | min_over_time(duration)`)).toEqual({ '{__name__="min_over_time"}': [[TS[1], 0.1], [TS[2], 3], [TS[3], 0.05]] });
    const avg = (await seriesOf(`${alpha} | avg_over_time(duration)`))['{__name__="avg_over_time"}']!;
    expect(avg.map(([t]) => t)).toEqual([TS[1], TS[2], TS[3]]);
    expect(avg[0]![1]).toBeCloseTo(0.2, 12);
    expect(await seriesOf('{ } | sum_over_time(span.http.response.status_code) by (resource.service.name)')).toEqual({
      '{resource.service.name="alpha"}': [[TS[3], 500]],
    });
  });

  it('quantile_over_time(duration, .5, .9): log2 buckets in seconds, a `p` label each', async () => {
    const r = await rangeJson('{ } | quantile_over_time(duration, .5, .9)');
    expect(r.series.map((s) => s.labels)).toEqual([[{ key: 'p', value: { doubleValue: 0.5 } }], [{ key: 'p', value: { doubleValue: 0.9 } }]]);
    // (T0,T0+60]: 1, 2, 10, 100, 300 ms → buckets 2^20, 2^21, 2^24, 2^27, 2^29 ns; p50 = 3rd sample, p90 = 5th.
    // (T0+60,T0+120]: 20, 40, 3000 ms → 2^25, 2^26, 2^32 ns. (T0+120,T0+180]: 50 ms → 2^26 ns.
    expect(r.series.map((s) => s.samples.map((x) => x.value))).toEqual([
      [0, 2 ** 24 / 1e9, 2 ** 26 / 1e9, 2 ** 26 / 1e9],
      [0, 2 ** 29 / 1e9, 2 ** 32 / 1e9, 2 ** 26 / 1e9],
    ]);
  });

  it('histogram_over_time(duration) by service: one series per bucket with a `__bucket` label', async () => {
    const s = await seriesOf('{ resource.service.name = "beta" } | histogram_over_time(duration) by (resource.service.name)');
    const b = (n: number) => `{__bucket="${2 ** n / 1e9}", resource.service.name="beta"}`;
    expect(s).toEqual({
      [b(20)]: [[TS[0], 0], [TS[1], 1], [TS[2], 0], [TS[3], 0]],
      [b(21)]: [[TS[0], 0], [TS[1], 1], [TS[2], 0], [TS[3], 0]],
      [b(24)]: [[TS[0], 0], [TS[1], 1], [TS[2], 0], [TS[3], 0]],
      [b(25)]: [[TS[0], 0], [TS[1], 0], [TS[2], 1], [TS[3], 0]],
      [b(26)]: [[TS[0], 0], [TS[1], 0], [TS[2], 1], [TS[3], 0]],
    });
  });

  it('topk(1) per timestamp, then a value filter', async () => {
    expect(await seriesOf('{ } | rate() by (resource.service.name) | topk(1) > 0')).toEqual({
      '{resource.service.name="alpha"}': [[TS[3], 1 / 60]],
      '{resource.service.name="beta"}': [[TS[1], 3 / 60], [TS[2], 2 / 60]],
    });
    expect(await seriesOf('{ } | rate() by (resource.service.name) > 0.02')).toEqual({
      '{resource.service.name="alpha"}': [[TS[1], 2 / 60]],
      '{resource.service.name="beta"}': [[TS[1], 3 / 60], [TS[2], 2 / 60]],
    });
    expect(await seriesOf('{ } | count_over_time() by (resource.service.name) | bottomk(1) > 0')).toEqual({
      '{resource.service.name="alpha"}': [[TS[1], 2], [TS[2], 1]], // at TS[3] beta's 0 is the bottom, then filtered out
    });
  });

  it('status and a missing attribute as labels (nil kept as one label)', async () => {
    expect(await seriesOf('{ resource.service.name = "alpha" } | count_over_time() by (status)')).toEqual({
      '{status="error"}': [[TS[0], 0], [TS[1], 0], [TS[2], 1], [TS[3], 0]],
      '{status="unset"}': [[TS[0], 0], [TS[1], 2], [TS[2], 0], [TS[3], 1]],
    });
    const r = await rangeJson('{ resource.service.name = "alpha" } | count_over_time() by (span.http.response.status_code)');
    expect(r.series.map((s) => [s.labels, s.samples.map((x) => x.value)])).toEqual([
      [[{ key: 'span.http.response.status_code', value: { intValue: '500' } }], [0, 0, 0, 1]],
      [[{ key: 'span.http.response.status_code', value: {} }], [0, 2, 1, 0]],
    ]);
  });

  it('compare(): selection vs baseline counts per attribute value, and totals', async () => {
    const s = await seriesOf('{ resource.service.name = "alpha" } | compare({ status = error })');
    const pick = (keys: string[]) => Object.fromEntries(keys.map((k) => [k, s[k]]));
    const v = (vals: number[]) => TS.map((t, i) => [t, vals[i]]);
    expect(
      pick([
        '{__meta_type="baseline", name="GET /a"}',
        '{__meta_type="baseline", name="POST /b"}',
        '{__meta_type="baseline", span.http.response.status_code="500"}',
        '{__meta_type="baseline_total", name="<nil>"}',
        '{__meta_type="selection", name="GET /a"}',
        '{__meta_type="selection", status="error"}',
        '{__meta_type="selection", resource.service.name="alpha"}',
        '{__meta_type="selection_total", name="<nil>"}',
      ]),
    ).toEqual({
      '{__meta_type="baseline", name="GET /a"}': v([0, 2, 0, 0]),
      '{__meta_type="baseline", name="POST /b"}': v([0, 0, 0, 1]),
      '{__meta_type="baseline", span.http.response.status_code="500"}': v([0, 0, 0, 1]),
      '{__meta_type="baseline_total", name="<nil>"}': v([0, 2, 0, 1]),
      '{__meta_type="selection", name="GET /a"}': v([0, 0, 1, 0]),
      '{__meta_type="selection", status="error"}': v([0, 0, 1, 0]),
      '{__meta_type="selection", resource.service.name="alpha"}': v([0, 0, 1, 0]),
      '{__meta_type="selection_total", name="<nil>"}': v([0, 0, 1, 0]),
    });
    expect(s['{__meta_type="selection", status="unset"}']).toBeUndefined();
    // topN = 1: only the most frequent baseline name.
    const top1 = await seriesOf('{ resource.service.name = "alpha" } | compare({ status = error }, 1)');
    expect(Object.keys(top1).filter((k) => k.startsWith('{__meta_type="baseline", name='))).toEqual(['{__meta_type="baseline", name="GET /a"}']);
  });

  it('start/end as RFC 3339 and unix seconds give the same grid', async () => {
    const a = await seriesOf('{ } | count_over_time()', { start: new Date(T0).toISOString(), end: new Date(T0 + 180_000).toISOString() });
    expect(a).toEqual({ '{__name__="count_over_time"}': [[TS[0], 0], [TS[1], 5], [TS[2], 3], [TS[3], 1]] });
  });
});

describe('bad input → 400 with the reason', () => {
  const bad = async (params: Record<string, string | number>) => {
    const res = await fetch(`${hub.tempoUrl}/api/metrics/query_range?${qs(params)}`);
    return { status: res.status, text: await res.text() };
  };
  it.each([
    [{ q: '{ } | rates()', start: sec(T0), end: sec(T0 + 60_000) }, /rates/],
    [{ q: '{ status = }', start: sec(T0), end: sec(T0 + 60_000) }, /position/],
    [{ q: '{ }', start: sec(T0), end: sec(T0 + 60_000) }, /not a metrics query/],
    [{ q: '{ } | rate()', start: sec(T0), end: sec(T0 + 60_000), step: 'abc' }, /cannot parse "abc" to a valid duration/],
    [{ q: '{ } | rate()', start: sec(T0 + 60_000), end: sec(T0) }, /end must be greater than start/],
    [{ q: '{ } | rate()', start: sec(T0), end: sec(T0 + 3_600_000), step: '100ms' }, /maximum resolution of 11,000 points/],
    [{ q: '{ } | rate()', start: 'yesterday', end: sec(T0) }, /could not parse 'start'/],
    [{ q: '{ } | quantile_over_time(duration, 2)', start: sec(T0), end: sec(T0 + 60_000) }, /quantile between 0 and 1/],
    [{ start: sec(T0), end: sec(T0 + 60_000) }, /missing query/],
  ])('%j', async (params, message) => {
    const r = await bad(params as Record<string, string | number>);
    expect(r.status).toBe(400);
    expect(r.text).toMatch(message);
  });
});

describe('/api/v1/metrics/traceql', () => {
  it('ms times, step 60s: typed labels and [timestampMs, value] samples', async () => {
    const res = await fetch(`${hub.apiUrl}/api/v1/metrics/traceql?${qs({ q: '{ } | rate() by (resource.service.name)', start: T0, end: T0 + 180_000, step: '60s' })}`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as any;
    expect(body).toMatchObject({ start: T0, end: T0 + 180_000, stepMs: 60_000, instant: false });
    expect(body.series.map(({ exemplars, ...s }: any) => s)).toEqual([
      { labels: [{ name: 'resource.service.name', type: 'string', value: 'alpha' }], promLabels: '{resource.service.name="alpha"}', samples: [[TS[0], 0], [TS[1], 2 / 60], [TS[2], 1 / 60], [TS[3], 1 / 60]] },
      { labels: [{ name: 'resource.service.name', type: 'string', value: 'beta' }], promLabels: '{resource.service.name="beta"}', samples: [[TS[0], 0], [TS[1], 3 / 60], [TS[2], 2 / 60], [TS[3], 0]] },
    ]);
    // beta's latest span in (T0, T0+60] is DATASET[5] (at T0+60), in (T0+60, T0+120] DATASET[9] (T0+90).
    expect(body.series[1].exemplars).toEqual([
      { traceId: traceIdOf(5), spanId: spanIdOf(5), timestampMs: T0 + 60_000, value: null },
      { traceId: traceIdOf(9), spanId: spanIdOf(9), timestampMs: T0 + 90_000, value: null },
    ]);
  });
  it('instant=true: one value per series', async () => {
    const res = await fetch(`${hub.apiUrl}/api/v1/metrics/traceql?${qs({ q: '{ } | count_over_time() by (resource.service.name)', start: T0, end: T0 + 180_000, instant: 'true' })}`);
    const body = (await res.json()) as any;
    expect(body.series.map((s: any) => [s.promLabels, s.value])).toEqual([
      ['{resource.service.name="alpha"}', 4],
      ['{resource.service.name="beta"}', 5],
    ]);
  });
  it('errors use the API error shape', async () => {
    const r1 = await fetch(`${hub.apiUrl}/api/v1/metrics/traceql?${qs({ q: '{ } | rate()', start: T0, end: T0 + 3_600_000, step: '10ms' })}`);
    expect(r1.status).toBe(400);
    expect(await r1.json()).toMatchObject({ error: 'INVALID_PARAMETER', message: expect.stringMatching(/^step: exceeded maximum resolution/) });
    const r2 = await fetch(`${hub.apiUrl}/api/v1/metrics/traceql?${qs({ q: '{ } | rate( by' })}`);
    expect(r2.status).toBe(400);
    expect(((await r2.json()) as any).error).toBe('INVALID_TRACEQL');
    const r3 = await fetch(`${hub.apiUrl}/api/v1/metrics/traceql`);
    expect(await r3.json()).toMatchObject({ error: 'INVALID_PARAMETER', message: expect.stringMatching(/^q: required/) });
  });
});
