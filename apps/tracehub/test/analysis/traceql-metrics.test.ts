// runMetricsQuery's routing: SQL pushdown through the reader, the generic
// path through an evaluated-span source, and a 400 when neither can run it.
import { describe, expect, test } from 'vitest';
import { capSeries, runMetricsQuery } from '../../src/analysis/traceql-metrics.js';
import { queryRangeJson } from '../../src/compat/tempo-metrics-encode.js';
import { MAX_CELLS, MAX_SERIES, MetricsTooLargeError } from '../../src/traceql/metrics-range.js';
import type { MetricsCellQuery } from '../../src/store/types.js';
import type { Field } from '../../src/traceql/ast.js';
import { UnsupportedTraceQLError } from '../../src/traceql/errors.js';
import { metricsRange } from '../../src/traceql/metrics-range.js';
import type { EvaluatedSpan, FieldValue } from '../../src/traceql/metrics-spans.js';
import type { MetricsCell } from '../../src/traceql/metrics.js';

const S = 1_000_000_000n;
const range = metricsRange(1000n * S, 1060n * S, 30n * S);

function fakeReader(cells: MetricsCell[] = []) {
  const calls: MetricsCellQuery[] = [];
  return {
    calls,
    metricsCells: async (q: MetricsCellQuery) => {
      calls.push(q);
      return cells;
    },
    compareCells: async () => [],
  };
}

describe('runMetricsQuery', () => {
  test('one filter: aggregated by the reader (SQL), the compiled predicate passed on', async () => {
    const r = fakeReader([{ group: [{ type: 'string', value: 'a' }], k: 1, count: 6, sum: NaN, min: NaN, max: NaN }]);
    const s = await runMetricsQuery(r, '{ resource.service.name = "a" } | rate() by (resource.service.name)', range);
    expect(r.calls).toHaveLength(1);
    expect(r.calls[0]!.predicate).toMatchObject({ sql: 's.service = ?', params: ['a'] });
    expect(s.map((x) => [x.promLabels, x.values])).toEqual([['{resource.service.name="a"}', [0, 0.2, 0, 0]]]);
  });

  test('a structural first stage goes to the generic source, which gets the pipeline and the range', async () => {
    const r = fakeReader();
    const seen: unknown[] = [];
    const span = (startS: bigint, name: string): EvaluatedSpan => ({
      startNs: startS * S,
      field: (f: Field): FieldValue => (f.type === 'intrinsic' && f.name === 'name' ? { type: 'string', value: name } : { type: 'nil' }),
    });
    const s = await runMetricsQuery(r, '{ name = "a" } >> { name = "b" } | count_over_time() by (name)', range, (pipeline, rg) => {
      seen.push(pipeline.stages[0]!.type, rg);
      return [span(1000n, 'b'), span(1001n, 'b'), span(1059n, 'c')];
    });
    expect(r.calls).toHaveLength(0);
    expect(seen).toEqual(['spanset', range]);
    expect(s.map((x) => [x.promLabels, x.values])).toEqual([
      ['{name="b"}', [0, 2, 0, 0]],
      ['{name="c"}', [0, 0, 0, 1]],
    ]);
  });

  test('without a generic source such queries are unsupported (a 400)', async () => {
    await expect(runMetricsQuery(fakeReader(), '{ name = "a" } && { name = "b" } | rate()', range)).rejects.toThrow(UnsupportedTraceQLError);
  });
});

describe('bounds', () => {
  test('more cells than MAX_CELLS is refused with a way out; the store is asked for one more than the bound', async () => {
    const cell = (i: number): MetricsCell => ({ group: [{ type: 'string', value: `s${i}` }], k: 0, count: 1, sum: NaN, min: NaN, max: NaN });
    const r = fakeReader(Array.from({ length: MAX_CELLS + 1 }, (_, i) => cell(i)));
    await expect(runMetricsQuery(r, '{ } | rate() by (span:id)', range)).rejects.toThrow(MetricsTooLargeError);
    await expect(runMetricsQuery(r, '{ } | rate() by (span:id)', range)).rejects.toThrow(/too many series/);
    expect(r.calls[0]!.limit).toBe(MAX_CELLS + 1);
  });
  test('more than MAX_SERIES series: the first ones by labels, marked partial as Tempo does', () => {
    const series = Array.from({ length: MAX_SERIES + 5 }, (_, i) => ({ labels: [], promLabels: `{x="${i}"}`, values: [1, 1, 1, 1] }));
    const capped = capSeries(series);
    expect(capped.partial).toBe(true);
    expect(capped.series).toHaveLength(MAX_SERIES);
    expect(queryRangeJson(capped.series, range, { partial: true, message: 'm' })).toMatchObject({ status: 'PARTIAL', message: 'm' });
    expect(capSeries(series.slice(0, 3)).partial).toBe(false);
    expect(queryRangeJson([], range, { partial: false, message: 'm' })).not.toHaveProperty('status');
  });
});
