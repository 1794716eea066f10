// The TraceQL metrics series maths, with expected values worked out by hand
// from Tempo's rules (pkg/traceql/engine_metrics.go): right-closed intervals
// stamped with their end, rate = count / step seconds, log2 buckets and
// Log2Quantile's exponential interpolation, per-timestamp topk.
import { describe, expect, test } from 'vitest';
import type { Field } from '../../src/traceql/ast.js';
import type { MetricsStage } from '../../src/traceql/metrics-ast.js';
import {
  defaultStepNs,
  instantRange,
  intervalOf,
  metricsRange,
  MetricsRangeError,
  timestampMsOf,
} from '../../src/traceql/metrics-range.js';
import {
  filterValues,
  log2Bucketize,
  log2Quantile,
  promLabelsOf,
  secondStage,
  seriesFromCells,
  topK,
  validateStage,
  type LabelValue,
  type MetricsCell,
  type MetricsSeries,
} from '../../src/traceql/metrics.js';

const S = 1_000_000_000n;
const svc: Field = { type: 'attribute', scope: 'resource', name: 'service.name' };
const str = (value: string): LabelValue => ({ type: 'string', value });
const NIL: LabelValue = { type: 'nil' };
const cell = (group: LabelValue[], k: number, count: number, extra: Partial<MetricsCell> = {}): MetricsCell => ({
  group,
  k,
  count,
  sum: NaN,
  min: NaN,
  max: NaN,
  ...extra,
});
// start 1000 s, end 1060 s, step 30 s → aligned (960 s, 1080 s], 4 intervals.
const range = metricsRange(1000n * S, 1060n * S, 30n * S);

describe('time grid', () => {
  test('start rounds down, end up, one step is added in front; samples carry the interval end', () => {
    expect(range).toEqual({ startNs: 960n * S, endNs: 1080n * S, stepNs: 30n * S, intervals: 4, instant: false });
    expect([0, 1, 2, 3].map((i) => timestampMsOf(i, range))).toEqual([990_000, 1_020_000, 1_050_000, 1_080_000]);
  });
  test('intervals are right-closed: (start + i*step, start + (i+1)*step]', () => {
    expect(intervalOf(960n * S, range)).toBe(-1);
    expect(intervalOf(960n * S + 1n, range)).toBe(0);
    expect(intervalOf(990n * S, range)).toBe(0);
    expect(intervalOf(990n * S + 1n, range)).toBe(1);
    expect(intervalOf(1080n * S, range)).toBe(3);
    expect(intervalOf(1080n * S + 1n, range)).toBe(-1);
  });
  test('instant: one interval over (start, end], unaligned', () => {
    const r = instantRange(1001n * S, 1061n * S);
    expect(r).toEqual({ startNs: 1001n * S, endNs: 1061n * S, stepNs: 60n * S, intervals: 1, instant: true });
    expect(intervalOf(1001n * S, r)).toBe(-1);
    expect(intervalOf(1061n * S, r)).toBe(0);
  });
  test('refuses more than 11,000 points, an empty range and a zero step', () => {
    expect(() => metricsRange(S, 20_000n * S, S)).toThrow(/maximum resolution of 11,000 points/);
    expect(() => metricsRange(10n * S, 10n * S, S)).toThrow(MetricsRangeError);
    expect(() => metricsRange(10n * S, 5n * S, S)).toThrow('end must be greater than start');
    expect(() => metricsRange(10n * S, 50n * S, 0n)).toThrow('step required');
  });
  test("Tempo's default step: ~240 points, rounded down to 5 s, else 1 s, at least 1 s", () => {
    expect(defaultStepNs(0n, 3600n * S)).toBe(15n * S);
    expect(defaultStepNs(0n, 600n * S)).toBe(2n * S);
    expect(defaultStepNs(0n, 60n * S)).toBe(S);
    expect(defaultStepNs(0n, 24n * 3600n * S)).toBe(360n * S);
  });
});

describe('log2 buckets and quantiles', () => {
  test('Log2Bucketize: next power of two, nothing below 2', () => {
    expect([1, 2, 3, 4, 5, 1000, 1024, 1025].map(log2Bucketize)).toEqual([undefined, 2, 4, 4, 8, 1024, 1024, 2048]);
  });
  test('Log2Quantile: exact bucket bounds when the count lands on one, else exponential interpolation', () => {
    const b = [
      { max: 2, count: 1 },
      { max: 4, count: 1 },
      { max: 8, count: 2 },
    ];
    expect(log2Quantile(0.5, b)).toBe(4); // ceil(0.5*4)=2 samples: the 2nd bucket's bound
    expect(log2Quantile(0.9, b)).toBe(8); // ceil(3.6)=4
    expect(log2Quantile(0.6, b)).toBeCloseTo(2 ** 2.5, 12); // 3rd sample: halfway (1 of 2) from 4 to 8 in log2
    expect(log2Quantile(0, b)).toBe(2); // at least one sample
    // A single bucket interpolates from half its bound.
    expect(log2Quantile(0.5, [{ max: 8, count: 4 }])).toBeCloseTo(2 ** 2.5, 12);
    expect(log2Quantile(0.25, [{ max: 8, count: 4 }])).toBeCloseTo(2 ** 2.25, 12);
    expect(log2Quantile(0.5, [])).toBe(0);
    expect(log2Quantile(1.5, b)).toBe(0);
  });
});

describe('series from cells', () => {
  const by = (fn: MetricsStage['fn'], extra: Partial<MetricsStage> = {}): MetricsStage => ({ fn, by: [svc], ...extra });

  test('rate = count / step seconds, 0 where a group had no span; labels by Tempo name; nil group keeps one nil label', () => {
    const s = seriesFromCells(by('rate'), range, [cell([str('a')], 0, 3), cell([str('a')], 2, 6), cell([NIL], 1, 30)]);
    expect(s).toEqual([
      { labels: [{ name: 'resource.service.name', value: NIL }], promLabels: '{resource.service.name="<nil>"}', values: [0, 1, 0, 0] },
      { labels: [{ name: 'resource.service.name', value: str('a') }], promLabels: '{resource.service.name="a"}', values: [0.1, 0, 0.2, 0] },
    ]);
  });
  test('without by(): one series named after the function; count_over_time counts', () => {
    const s = seriesFromCells({ fn: 'count_over_time', by: [] }, range, [cell([], 1, 2), cell([], 1, 3), cell([], 3, 1)]);
    expect(s).toEqual([{ labels: [{ name: '__name__', value: str('count_over_time') }], promLabels: '{__name__="count_over_time"}', values: [0, 5, 0, 1] }]);
  });
  test('sum/min/max/avg over time: NaN (no sample) where nothing was measured', () => {
    const cells = [cell([str('a')], 0, 2, { sum: 3, min: 1, max: 2 }), cell([str('a')], 0, 1, { sum: 0.5, min: 0.5, max: 0.5 }), cell([str('a')], 3, 1, { sum: 4, min: 4, max: 4 })];
    const f: Field = { type: 'intrinsic', name: 'duration' };
    const v = (fn: MetricsStage['fn']) => seriesFromCells(by(fn, { field: f }), range, cells)[0]!.values;
    expect(v('sum_over_time')).toEqual([3.5, NaN, NaN, 4]);
    expect(v('min_over_time')).toEqual([0.5, NaN, NaN, 4]);
    expect(v('max_over_time')).toEqual([2, NaN, NaN, 4]);
    expect(v('avg_over_time')).toEqual([3.5 / 3, NaN, NaN, 4]);
  });
  test('quantile_over_time: per interval Log2Quantile, a `p` label per quantile, 0 for empty intervals', () => {
    const stage = by('quantile_over_time', { field: { type: 'intrinsic', name: 'duration' }, quantiles: [0.5, 0.9] });
    const cells = [cell([str('a')], 0, 1, { bucket: 2 }), cell([str('a')], 0, 1, { bucket: 4 }), cell([str('a')], 0, 2, { bucket: 8 }), cell([str('a')], 2, 4, { bucket: 8 })];
    const s = seriesFromCells(stage, range, cells);
    expect(s.map((x) => x.promLabels)).toEqual(['{p="0.5", resource.service.name="a"}', '{p="0.9", resource.service.name="a"}']);
    expect(s[0]!.labels).toEqual([
      { name: 'resource.service.name', value: str('a') },
      { name: 'p', value: { type: 'double', value: 0.5 } },
    ]);
    expect(s[0]!.values[0]).toBe(4);
    expect(s[0]!.values[2]).toBeCloseTo(2 ** 2.5, 12);
    expect([s[0]!.values[1], s[0]!.values[3]]).toEqual([0, 0]);
    expect(s[1]!.values).toEqual([8, 0, 8, 0]);
  });
  test('histogram_over_time: a series per log2 bucket (`__bucket`), counts per interval', () => {
    const stage: MetricsStage = { fn: 'histogram_over_time', by: [], field: { type: 'intrinsic', name: 'duration' } };
    const s = seriesFromCells(stage, range, [cell([], 0, 2, { bucket: 0.5 }), cell([], 1, 1, { bucket: 0.5 }), cell([], 1, 3, { bucket: 0.25 })]);
    expect(s).toEqual([
      { labels: [{ name: '__bucket', value: { type: 'double', value: 0.25 } }], promLabels: '{__bucket="0.25"}', values: [0, 3, 0, 0] },
      { labels: [{ name: '__bucket', value: { type: 'double', value: 0.5 } }], promLabels: '{__bucket="0.5"}', values: [2, 1, 0, 0] },
    ]);
  });
  test('prom labels: sorted by name, empty strings as <empty>', () => {
    expect(promLabelsOf([{ name: 'z', value: str('') }, { name: 'a', value: { type: 'int', value: 5 } }])).toBe('{a="5", z="<empty>"}');
  });
});

describe('second stage', () => {
  const mk = (name: string, values: number[]): MetricsSeries => ({ labels: [{ name: 'x', value: str(name) }], promLabels: `{x="${name}"}`, values });
  const input = [mk('a', [1, 5, NaN]), mk('b', [3, 1, 2]), mk('c', [2, 4, 1])];

  test('topk keeps, per timestamp, the k largest samples; a series never in the top is dropped', () => {
    expect(topK(input, 'topk', 1, 3)).toEqual([mk('a', [NaN, 5, NaN]), mk('b', [3, NaN, 2])]);
    expect(topK(input, 'topk', 2, 3).map((s) => s.values)).toEqual([
      [NaN, 5, NaN],
      [3, NaN, 2],
      [2, 4, 1],
    ]);
  });
  test('bottomk keeps the smallest', () => {
    expect(topK(input, 'bottomk', 1, 3)).toEqual([mk('a', [1, NaN, NaN]), mk('b', [NaN, 1, NaN]), mk('c', [NaN, NaN, 1])]);
  });
  test('a value filter turns failing samples into gaps and drops emptied series', () => {
    expect(filterValues(input, { op: '>', value: 2 })).toEqual([mk('a', [NaN, 5, NaN]), mk('b', [3, NaN, NaN]), mk('c', [NaN, 4, NaN])]);
    expect(filterValues(input, { op: '>=', value: 5 })).toEqual([mk('a', [NaN, 5, NaN])]);
  });
  test('topk then filter', () => {
    const stage: MetricsStage = { fn: 'rate', by: [], topk: { fn: 'topk', n: 1 }, filter: { op: '<', value: 4 } };
    expect(secondStage(stage, { ...range, intervals: 3 }, input)).toEqual([mk('b', [3, NaN, 2])]);
  });
  test('validation names the problem', () => {
    expect(validateStage({ fn: 'quantile_over_time', by: [], field: { type: 'intrinsic', name: 'duration' }, quantiles: [1.5] })).toBe('quantile must be between 0 and 1: 1.5');
    expect(validateStage({ fn: 'sum_over_time', by: [] })).toMatch(/needs a field/);
    expect(validateStage({ fn: 'rate', by: [], topk: { fn: 'topk', n: 0 } })).toBe('limit must be greater than 0');
    expect(validateStage({ fn: 'rate', by: [svc] })).toBeNull();
  });
});

describe('compare()', () => {
  test('topN values per attribute and side by total count, plus per-attribute totals with a nil value', async () => {
    const { compareSeries } = await import('../../src/traceql/metrics-compare.js');
    const r = metricsRange(1000n * S, 1060n * S, 30n * S);
    const c = (selection: boolean, attr: string, value: string, k: number, count: number) => ({ selection, attr, value: str(value), k, count });
    const s = compareSeries(1, r, [
      c(false, 'name', 'GET', 0, 2),
      c(false, 'name', 'POST', 1, 1),
      c(false, 'name', 'POST', 2, 2),
      c(true, 'name', 'GET', 3, 1),
      c(true, 'status', 'error', 3, 1),
    ]);
    expect(s.map((x) => [x.promLabels, x.values])).toEqual([
      ['{__meta_type="baseline", name="POST"}', [0, 1, 2, 0]], // 3 > 2: the top 1
      ['{__meta_type="baseline_total", name="<nil>"}', [2, 1, 2, 0]],
      ['{__meta_type="selection", name="GET"}', [0, 0, 0, 1]],
      ['{__meta_type="selection", status="error"}', [0, 0, 0, 1]],
      ['{__meta_type="selection_total", name="<nil>"}', [0, 0, 0, 1]],
      ['{__meta_type="selection_total", status="<nil>"}', [0, 0, 0, 1]],
    ]);
    expect(s[1]!.labels).toEqual([
      { name: '__meta_type', value: str('baseline_total') },
      { name: 'name', value: NIL },
    ]);
  });
});

describe('exemplars', () => {
  const ex = (k: number, value: number, id = `t${k}-${value}`) => ({ k, traceId: id, spanId: id, timestampMs: k * 1000 + value, value });
  test('quantile exemplars go to the smallest quantile whose overall value holds them', async () => {
    const stage: MetricsStage = { fn: 'quantile_over_time', by: [], field: { type: 'intrinsic', name: 'duration' }, quantiles: [0.5, 0.9] };
    // Overall buckets 2 (×3) and 8 (×1): p50 = 2, p90 = 8.
    const s = seriesFromCells(stage, range, [cell([], 0, 3, { bucket: 2, exemplar: ex(0, 1.5) }), cell([], 1, 1, { bucket: 8, exemplar: ex(1, 7) })]);
    expect(s.map((x) => x.exemplars?.map((e) => e.value))).toEqual([[1.5], [7]]);
  });
  test('limitExemplars: at most max in all, spread over series and time; none where the series has no sample', async () => {
    const { limitExemplars } = await import('../../src/traceql/metrics.js');
    const a: MetricsSeries = { labels: [], promLabels: '{a}', values: [1, 1, 1, 1], exemplars: [ex(0, 1), ex(1, 1), ex(2, 1), ex(3, 1)] };
    const b: MetricsSeries = { labels: [], promLabels: '{b}', values: [NaN, 1, 1, 1], exemplars: [ex(0, 2), ex(1, 2)] };
    expect(limitExemplars([a, b], 100).map((s) => s.exemplars?.map((e) => e.k))).toEqual([[0, 1, 2, 3], [1]]);
    expect(limitExemplars([a, b], 4).map((s) => s.exemplars?.map((e) => e.k))).toEqual([[0, 2], [1]]);
    expect(limitExemplars([a, b], 0).map((s) => s.exemplars)).toEqual([undefined, undefined]);
  });
});
