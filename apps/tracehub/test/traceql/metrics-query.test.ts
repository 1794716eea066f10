// The interim metrics-stage reader (the first stage goes through parser.ts)
// and the generic in-memory executor over SpanRecords.
import { describe, expect, test } from 'vitest';
import type { SpanRecord } from '../../src/model.js';
import { formatCondition } from '../../src/traceql/ast.js';
import { TraceQLError } from '../../src/traceql/errors.js';
import { isMetricsQuery, parseMetricsQuery } from '../../src/traceql/metrics-query.js';
import { metricsRange } from '../../src/traceql/metrics-range.js';
import { aggregateSpans, spanRecordField } from '../../src/traceql/metrics-spans.js';
import { seriesFromCells } from '../../src/traceql/metrics.js';

describe('parseMetricsQuery', () => {
  test('one filter (or a || of filters) with SQL fields is pushed down as one condition', () => {
    const q = parseMetricsQuery('{ resource.service.name = "a" } || { span.x = "|" } | rate() by (resource.service.name, span:name) | topk(3) > 10');
    expect(formatCondition(q.pushdown!)).toBe('(or (= resource.service.name "a") (= span.x "|"))');
    expect(q.stage).toEqual({
      fn: 'rate',
      by: [
        { type: 'attribute', scope: 'resource', name: 'service.name' },
        { type: 'intrinsic', name: 'name' },
      ],
      topk: { fn: 'topk', n: 3 },
      filter: { op: '>', value: 10 },
    });
  });
  test('quantile_over_time with several quantiles; unscoped attributes push down', () => {
    const q = parseMetricsQuery('{} | quantile_over_time(duration, .5, 0.99) by (.http.route)');
    expect(q.pushdown).toEqual({ type: 'const', value: true });
    expect(q.stage).toMatchObject({ fn: 'quantile_over_time', field: { type: 'intrinsic', name: 'duration' }, quantiles: [0.5, 0.99] });
  });
  test('structural first stages, spanset &&, and fields without SQL take the generic path', () => {
    expect(parseMetricsQuery('{ name = "a" } >> { name = "b" } | rate()').pushdown).toBeNull();
    expect(parseMetricsQuery('{ name = "a" } && { name = "b" } | rate()').pushdown).toBeNull();
    expect(parseMetricsQuery('{ } | rate() by (span:childCount)').pushdown).toBeNull();
    expect(parseMetricsQuery('{ } | compare({ span:childCount > 2 })').pushdown).toBeNull();
    expect(parseMetricsQuery('{ } | compare({ status = error })').pushdown).toEqual({ type: 'const', value: true });
  });
  test('invalid queries are TraceQLErrors; a search is not a metrics query', () => {
    expect(() => parseMetricsQuery('{} | rates()')).toThrow(TraceQLError);
    expect(() => parseMetricsQuery('{}')).toThrow(/not a metrics query/);
  });
  test('isMetricsQuery', () => {
    expect(isMetricsQuery('{} | rate()')).toBe(true);
    expect(isMetricsQuery('{ a = "|" } || { b = 1 }')).toBe(false);
    expect(isMetricsQuery('{ status = error }')).toBe(false);
  });
});

describe('aggregateSpans (generic path)', () => {
  const S = 1_000_000_000n;
  const span = (name: string, service: string, startS: number, durMs: number, attrs: Record<string, number> = {}): SpanRecord =>
    ({
      name,
      startTimeUnixNano: BigInt(startS) * S,
      endTimeUnixNano: BigInt(startS) * S + BigInt(durMs) * 1_000_000n,
      statusCode: 0,
      kind: 2,
      statusMessage: '',
      attributes: Object.entries(attrs).map(([key, v]) => ({ key, value: { type: 'int', value: String(v) } })),
      resource: { attributes: [{ key: 'service.name', value: { type: 'string', value: service } }], droppedAttributesCount: 0, schemaUrl: '', serviceName: service },
    }) as unknown as SpanRecord;
  const spans = [span('GET', 'a', 965, 100), span('GET', 'a', 970, 300), span('POST', 'b', 1000, 3000, { size: 5 }), span('GET', 'a', 1079, 1), span('GET', 'a', 2000, 1)];
  const range = metricsRange(1000n * S, 1060n * S, 30n * S);
  const access = { startNs: (s: SpanRecord) => s.startTimeUnixNano, matches: (s: SpanRecord) => s.name !== 'never', field: spanRecordField };

  test('count by service, with spans outside the range left out', async () => {
    const stage = { fn: 'count_over_time' as const, by: [{ type: 'attribute' as const, scope: 'resource' as const, name: 'service.name' }] };
    const s = seriesFromCells(stage, range, await aggregateSpans(spans, stage, range, access));
    expect(s.map((x) => [x.promLabels, x.values])).toEqual([
      ['{resource.service.name="a"}', [2, 0, 0, 1]],
      ['{resource.service.name="b"}', [0, 1, 0, 0]],
    ]);
  });
  test('max_over_time(duration) in seconds; sum_over_time(span.size) skips spans without it', async () => {
    const max = { fn: 'max_over_time' as const, by: [], field: { type: 'intrinsic' as const, name: 'duration' as const } };
    expect(seriesFromCells(max, range, await aggregateSpans(spans, max, range, access))[0]!.values).toEqual([0.3, 3, NaN, 0.001]);
    const sum = { fn: 'sum_over_time' as const, by: [], field: { type: 'attribute' as const, scope: 'span' as const, name: 'size' } };
    expect(seriesFromCells(sum, range, await aggregateSpans(spans, sum, range, access))[0]!.values).toEqual([NaN, 5, NaN, NaN]);
  });
  test('histogram buckets of durations in seconds (log2 of ns)', async () => {
    const h = { fn: 'histogram_over_time' as const, by: [], field: { type: 'intrinsic' as const, name: 'duration' as const } };
    const cells = await aggregateSpans(spans, h, range, access);
    expect(cells.map((c) => [c.k, c.bucket, c.count]).sort()).toEqual(
      [
        [0, 2 ** 27 / 1e9, 1], // 100 ms → 134.217728 ms
        [0, 2 ** 29 / 1e9, 1], // 300 ms → 536.870912 ms
        [1, 2 ** 32 / 1e9, 1], // 3 s → 4.294967296 s
        [3, 2 ** 20 / 1e9, 1], // 1 ms → 1.048576 ms
      ].sort(),
    );
  });
});
