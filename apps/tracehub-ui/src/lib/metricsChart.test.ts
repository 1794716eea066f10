import { describe, expect, test } from 'vitest';
import { chartFrame, exemplarPoint, formatValue, isMetricsQuery, linePath, nearestTimestamp, seriesName, valuesAt, type ChartSeries } from './metricsChart';

const a: ChartSeries = { labels: [{ name: 'resource.service.name', type: 'string', value: 'alpha' }], samples: [[0, 1], [10, 2], [30, 4]] };
const b: ChartSeries = { labels: [{ name: '__name__', type: 'string', value: 'rate' }], samples: [[10, 0]] };

describe('isMetricsQuery', () => {
  test('a metrics function after a top-level pipe', () => {
    expect(isMetricsQuery('{ } | rate()')).toBe(true);
    expect(isMetricsQuery('{ status = error } | quantile_over_time(duration, .9) by (name)')).toBe(true);
    expect(isMetricsQuery('{ } | count() > 2')).toBe(false);
    expect(isMetricsQuery('{ span.x = "| rate()" }')).toBe(false);
    expect(isMetricsQuery('{ a = 1 } || { b = 2 }')).toBe(false);
    expect(isMetricsQuery('')).toBe(false);
  });
});

describe('chart geometry', () => {
  const f = chartFrame([a, b], 300, 104, 0, 30);
  test('frame: time span as given, values from 0 to the largest', () => {
    expect(f).toEqual({ width: 300, height: 104, startMs: 0, endMs: 30, max: 4 });
  });
  test('the pen lifts over a missing step', () => {
    expect(linePath(f, a, 10)).toBe('M0.0,77.0L100.0,52.0M300.0,2.0');
  });
  test('hover: nearest timestamp, and the values there', () => {
    expect(nearestTimestamp([a, b], f, 95)).toBe(10);
    expect(nearestTimestamp([a, b], f, 290)).toBe(30);
    expect(valuesAt([a, b], 10)).toEqual([2, 0]);
    expect(valuesAt([a, b], 30)).toEqual([4, undefined]);
    expect(nearestTimestamp([], f, 10)).toBeNull();
  });
  test('legend names and values', () => {
    expect(seriesName(a)).toBe('resource.service.name="alpha"');
    expect(seriesName(b)).toBe('rate');
    expect(seriesName({ labels: [{ name: 'x', type: 'nil', value: null }, { name: 'p', type: 'double', value: 0.9 }], samples: [] })).toBe('x=<nil>, p=0.9');
    expect([0, 1 / 60, 1234.5678, 2e-5].map(formatValue)).toEqual(['0', '0.01667', '1235', '2.00e-5']);
  });
});

describe('exemplars', () => {
  test('drawn at the span start, at the height of the sample whose interval holds it', () => {
    const f = chartFrame([a], 300, 104, 0, 30);
    expect(exemplarPoint(f, a, { traceId: 't', spanId: 's', timestampMs: 5 })).toEqual({ x: 50, y: 52 });
    expect(exemplarPoint(f, a, { traceId: 't', spanId: 's', timestampMs: 31 })).toBeNull();
  });
});
