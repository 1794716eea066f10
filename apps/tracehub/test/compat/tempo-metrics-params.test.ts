// Tempo's metrics query parameters (pkg/api/http.go's rules).
import { describe, expect, test } from 'vitest';
import { parsePromDuration, parseTempoMetricsParams, parseTempoStep, parseTempoTimestamp } from '../../src/compat/tempo-metrics-params.js';

const S = 1_000_000_000n;

describe('Tempo metrics parameters', () => {
  test('timestamps: up to 10 digits are seconds, more are ns; fractions are seconds; RFC 3339', () => {
    expect(parseTempoTimestamp('1700000000', 'start')).toBe(1_700_000_000n * S);
    expect(parseTempoTimestamp('1700000000123456789', 'start')).toBe(1_700_000_000_123_456_789n);
    expect(parseTempoTimestamp('1700000000.5', 'start')).toBe(1_700_000_000_500_000_000n);
    expect(parseTempoTimestamp('2023-11-14T22:13:20.000000123Z', 'start')).toBe(1_700_000_000_000_000_123n);
    expect(() => parseTempoTimestamp('yesterday', 'end')).toThrow(`could not parse 'end' parameter`);
  });
  test('since (default 1h) counts back from end, or from now when end is in the future', () => {
    const now = 2_000_000_000n * S;
    expect(parseTempoMetricsParams({ q: '{} | rate()' }, now)).toEqual({ query: '{} | rate()', startNs: now - 3600n * S, endNs: now });
    expect(parseTempoMetricsParams({ q: 'x', since: '1d12h', end: '1900000000' }, now).startNs).toBe(1_900_000_000n * S - 36n * 3600n * S);
    expect(parseTempoMetricsParams({ query: 'x', since: '30m', end: '2100000000' }, now).startNs).toBe(now - 1800n * S);
    expect(() => parseTempoMetricsParams({ q: 'x', since: 'soon' }, now)).toThrow(`could not parse 'since'`);
    expect(() => parseTempoMetricsParams({}, now)).toThrow('missing query');
  });
  test('step: seconds or a Go duration; absent: about 240 points', () => {
    expect(parseTempoStep({ step: '30' }, 0n, 1n)).toBe(30n * S);
    expect(parseTempoStep({ step: '1.5' }, 0n, 1n)).toBe(1_500_000_000n);
    expect(parseTempoStep({ step: '1m0s' }, 0n, 1n)).toBe(60n * S);
    expect(parseTempoStep({}, 0n, 3600n * S)).toBe(15n * S);
    expect(() => parseTempoStep({ step: '1d' }, 0n, 1n)).toThrow('cannot parse "1d" to a valid duration');
    expect(() => parseTempoMetricsParams({ q: '{} | rate()', start: '1', end: '99999999999999999999' }, 0n)).toThrow("could not parse 'end' parameter: out of range");
    expect(() => parseTempoStep({ step: '1e400' }, 0n, 1n)).toThrow('cannot parse "1e400" to a valid duration: out of range');
    expect(() => parseTempoStep({ step: '1e10' }, 0n, 1n)).toThrow(/out of range/);
  });
  test('Prometheus durations', () => {
    expect(parsePromDuration('1w')).toBe(604_800n * S);
    expect(parsePromDuration('90s')).toBe(90n * S);
    expect(parsePromDuration('1h30m')).toBe(5400n * S);
    expect(parsePromDuration('30m1h')).toBeNull();
    expect(parsePromDuration('')).toBeNull();
  });
});
