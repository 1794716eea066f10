import { describe, expect, it } from 'vitest';
import { BadParameterError } from '../../src/api/params.js';
import {
  buildSeries,
  chooseStepNs,
  faultIntervals,
  jaegerGrid,
  jaegerMetricFamily,
  parseMetricsRequest,
  redQueryFor,
  rfc3339,
  type JaegerMetricsRequest,
} from '../../src/analysis/metrics.js';
import { parseJaegerMetricsQuery } from '../../src/compat/jaeger-metrics.js';
import type { RedRow } from '../../src/store/types.js';

const S = 1_000_000_000n;
const NOW = 1_700_000_000_000n * 1_000_000n;

function row(over: Partial<RedRow>): RedRow {
  return {
    service: 'svc', operation: null, k: 0, calls: 1, errors: 0, quantilesNs: [1e6, 2e6, 3e6],
    slowest: { traceId: 't'.repeat(32), spanId: 's'.repeat(16), durationNs: 3e6 }, error: null, ...over,
  };
}

describe('chooseStepNs', () => {
  it('rounds window/60 up to a nice step', () => {
    expect(chooseStepNs(3600n * S)).toBe(60n * S);
    expect(chooseStepNs(15n * 60n * S)).toBe(30n * S);
    expect(chooseStepNs(6n * 3600n * S)).toBe(600n * S);
    expect(chooseStepNs(20n * S)).toBe(S);
    expect(chooseStepNs(61n * 60n * S)).toBe(300n * S);
    expect(chooseStepNs(7n * 24n * 3600n * S)).toBe(3n * 3600n * S);
  });
});

describe('parseMetricsRequest', () => {
  it('defaults: the last hour, server spans, ~60 points', () => {
    const r = parseMetricsRequest({}, NOW);
    expect(r).toMatchObject({ endNs: NOW, startNs: NOW - 3600n * S, stepNs: 60n * S, points: 60, kind: 'server' });
    expect(redQueryFor(r)).toMatchObject({ groupBy: 'service', kinds: [2], totals: true, untilNs: NOW });
  });
  it('service → per operation; kind any filters no kind', () => {
    const r = parseMetricsRequest({ service: 'a', operation: 'op', kind: 'any', start: '1000', end: '61000', step: '10s' }, NOW);
    expect(r).toMatchObject({ startNs: 1000n * 1_000_000n, stepNs: 10n * S, points: 6 });
    const q = redQueryFor(r);
    expect(q).toMatchObject({ groupBy: 'operation', services: ['a'], operation: 'op' });
    expect(q.kinds).toBeUndefined();
  });
  it.each([
    [{ step: 'soon' }, 'step'],
    [{ step: '0' }, 'step'],
    [{ step: '1s' }, 'step'], // 3600 points
    [{ start: '2000', end: '1000' }, 'start'],
    [{ start: '0', end: String(8 * 24 * 3600_000) }, 'start'],
    [{ start: 'yesterday' }, 'start'],
    [{ end: 'x' }, 'end'],
    [{ kind: 'SERVER' }, 'kind'],
    [{ operation: 'op' }, 'operation'],
  ])('%j → 400 naming %s', (q, param) => {
    try {
      parseMetricsRequest(q, NOW);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(BadParameterError);
      expect((e as BadParameterError).param).toBe(param);
    }
  });
});

describe('buildSeries', () => {
  const req = parseMetricsRequest({ start: '0', end: '25000', step: '10s' }, NOW); // 3 buckets, the last 5 s long
  it('zero-fills every bucket, rates per bucket length, totals from the whole-window row', () => {
    const rows = [
      row({ service: 'b', k: null, calls: 4, errors: 1 }),
      row({ service: 'b', k: 0, calls: 2, errors: 0 }),
      row({ service: 'b', k: 2, calls: 2, errors: 1, error: { traceId: 'e'.repeat(32), spanId: 'f'.repeat(16) } }),
      row({ service: 'a', k: null, calls: 1 }),
      row({ service: 'a', k: 1, calls: 1 }),
    ];
    const series = buildSeries(req, rows);
    expect(series.map((s) => s.service)).toEqual(['a', 'b']);
    const b = series[1]!;
    expect(b.operation).toBe('*');
    expect(b.points.map((p) => p.t)).toEqual(['0', String(10n * S), String(20n * S)]);
    expect(b.points.map((p) => p.calls)).toEqual([2, 0, 2]);
    expect(b.points[1]).toMatchObject({ calls: 0, errors: 0, ratePerSec: 0, errorRate: 0, p50Ms: null, p95Ms: null, p99Ms: null, exemplars: null });
    expect(b.points[0]!.ratePerSec).toBe(0.2);
    expect(b.points[2]!.ratePerSec).toBe(0.4); // 2 calls in the last 5 s
    expect(b.points[2]!.errorRate).toBe(0.5);
    expect(b.points[2]!.exemplars).toEqual({ slowest: { traceId: 't'.repeat(32), spanId: 's'.repeat(16), durationMs: 3 }, error: { traceId: 'e'.repeat(32), spanId: 'f'.repeat(16) } });
    expect(b.points[0]!.exemplars!.error).toBeUndefined();
    expect(b.totals).toEqual({ calls: 4, errors: 1, ratePerSec: 4 / 25, errorRate: 0.25, p50Ms: 1, p95Ms: 2, p99Ms: 3 });
  });
});

describe('faultIntervals', () => {
  const at = (k: number) => String(BigInt(k) * S);
  it('merges consecutive buckets with one value; no-fault spans end an interval; idle buckets bridge', () => {
    const buckets = [
      { k: 0, spans: 5, faults: [] },
      { k: 1, spans: 5, faults: ['payment.latency=300ms'] },
      { k: 2, spans: 5, faults: ['payment.latency=300ms'] },
      // k 3 idle
      { k: 4, spans: 2, faults: ['payment.latency=300ms'] },
      { k: 5, spans: 2, faults: [] },
      { k: 6, spans: 2, faults: ['payment.errorRate=50%'] },
      { k: 7, spans: 2, faults: ['payment.latency=300ms', 'payment.errorRate=50%'] },
    ];
    expect(faultIntervals(buckets, 0n, S, 8, 7n * S + S / 2n)).toEqual([
      { startTimeUnixNano: at(1), endTimeUnixNano: at(5), faults: 'payment.latency=300ms' },
      { startTimeUnixNano: at(6), endTimeUnixNano: at(7), faults: 'payment.errorRate=50%' },
      { startTimeUnixNano: at(7), endTimeUnixNano: String(7n * S + S / 2n), faults: 'payment.errorRate=50% | payment.latency=300ms' },
    ]);
  });
  it('none when no span carried lab.faults', () => {
    expect(faultIntervals([{ k: 0, spans: 3, faults: [] }], 0n, S, 2, 2n * S)).toEqual([]);
    expect(faultIntervals([], 0n, S, 2, 2n * S)).toEqual([]);
  });
});

describe('Jaeger shaping', () => {
  const r: JaegerMetricsRequest = { services: ['svc'], groupByOperation: false, kinds: [2], endMs: 600_000, lookbackMs: 180_000, stepMs: 60_000, ratePerMs: 120_000, quantile: 0.95 };
  it('the grid: points from endTs - lookback every step, windows ratePer long ending at each point', () => {
    const g = jaegerGrid(r);
    expect(g.timesMs).toEqual([420_000, 480_000, 540_000, 600_000]);
    expect(g.query).toEqual({ firstNs: 300_000n * 1_000_000n, stepNs: 60_000n * 1_000_000n, points: 4, windowNs: 120_000n * 1_000_000n });
  });
  it('calls per second over ratePer, error ratio and latency in ms; no latency or ratio where the window is empty', () => {
    const rows = [row({ k: 0, calls: 240, errors: 24, quantilesNs: [12.5e6] }), row({ k: 2, calls: 12, errors: 0, quantilesNs: [3e6] })];
    const calls = jaegerMetricFamily('calls', r, rows);
    expect(calls).toMatchObject({ name: 'service_call_rate', type: 'GAUGE', help: 'calls/sec, grouped by service' });
    expect(calls.metrics).toHaveLength(1);
    expect(calls.metrics[0]!.labels).toEqual([{ name: 'service_name', value: 'svc' }]);
    expect(calls.metrics[0]!.metricPoints).toEqual([
      { gaugeValue: { doubleValue: 2 }, timestamp: '1970-01-01T00:07:00Z' },
      { gaugeValue: { doubleValue: 0 }, timestamp: '1970-01-01T00:08:00Z' },
      { gaugeValue: { doubleValue: 0.1 }, timestamp: '1970-01-01T00:09:00Z' },
      { gaugeValue: { doubleValue: 0 }, timestamp: '1970-01-01T00:10:00Z' },
    ]);
    const errors = jaegerMetricFamily('errors', r, rows);
    expect(errors.name).toBe('service_error_rate');
    expect(errors.metrics[0]!.metricPoints.map((p) => p.gaugeValue.doubleValue)).toEqual([0.1, 0]);
    const lat = jaegerMetricFamily('latencies', r, rows);
    expect(lat).toMatchObject({ name: 'service_latencies', help: '0.95th quantile latency, grouped by service' });
    expect(lat.metrics[0]!.metricPoints).toEqual([
      { gaugeValue: { doubleValue: 12.5 }, timestamp: '1970-01-01T00:07:00Z' },
      { gaugeValue: { doubleValue: 3 }, timestamp: '1970-01-01T00:09:00Z' },
    ]);
  });
  it('groupByOperation: operation label and service_operation_ names', () => {
    const f = jaegerMetricFamily('calls', { ...r, groupByOperation: true }, [row({ operation: 'GET /a' }), row({ operation: 'GET /b' })]);
    expect(f.name).toBe('service_operation_call_rate');
    expect(f.help).toBe('calls/sec, grouped by service & operation');
    expect(f.metrics.map((m) => m.labels)).toEqual([
      [{ name: 'service_name', value: 'svc' }, { name: 'operation', value: 'GET /a' }],
      [{ name: 'service_name', value: 'svc' }, { name: 'operation', value: 'GET /b' }],
    ]);
  });
  it('rfc3339 keeps milliseconds only when there are any', () => {
    expect(rfc3339(1_000)).toBe('1970-01-01T00:00:01Z');
    expect(rfc3339(1_250)).toBe('1970-01-01T00:00:01.250Z');
  });
});

describe('parseJaegerMetricsQuery', () => {
  const ui = { service: 'order-service', quantile: '0.95', endTs: '1700000000000', lookback: '3600000', step: '60000', ratePer: '600000', spanKind: 'server' };
  it('reads what Jaeger UI sends', () => {
    expect(parseJaegerMetricsQuery(ui, 'latencies', 0)).toEqual({
      services: ['order-service'], groupByOperation: false, kinds: [2], endMs: 1_700_000_000_000, lookbackMs: 3_600_000, stepMs: 60_000, ratePerMs: 600_000, quantile: 0.95,
    });
    expect(parseJaegerMetricsQuery({ ...ui, groupByOperation: 'true', spanKind: ['SPAN_KIND_CLIENT', 'producer'] }, 'calls', 0)).toMatchObject({ groupByOperation: true, kinds: [3, 4] });
    expect(parseJaegerMetricsQuery({ service: ['a', 'b'] }, 'calls', 5_000_000)).toMatchObject({ services: ['a', 'b'], kinds: [2], endMs: 5_000_000, lookbackMs: 3_600_000, stepMs: 5_000, ratePerMs: 600_000 });
  });
  it.each([
    [{}, 'calls', "unable to parse param 'service'"],
    [{ ...ui, spanKind: 'sideways' }, 'calls', "unable to parse param 'spanKind': unsupported span kind: 'sideways'"],
    [{ ...ui, step: 'abc' }, 'calls', "unable to parse param 'step'"],
    [{ ...ui, step: '10' }, 'calls', "unable to parse param 'step'"],
    [{ ...ui, groupByOperation: 'yes' }, 'calls', "unable to parse param 'groupByOperation'"],
    [{ ...ui, quantile: undefined }, 'latencies', "unable to parse param 'quantile'"],
    [{ ...ui, quantile: '2' }, 'latencies', "unable to parse param 'quantile'"],
    [{ ...ui, lookback: '0' }, 'calls', "unable to parse param 'lookback'"],
  ] as const)('%j (%s) → %s', (q, metric, msg) => {
    expect(() => parseJaegerMetricsQuery(q as Record<string, string>, metric, 0)).toThrow(msg);
  });
});
