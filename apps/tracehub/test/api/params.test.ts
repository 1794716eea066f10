import { describe, expect, it } from 'vitest';
import { BadParameterError, parseDurationNs, parseTimeNs } from '../../src/api/params.js';

describe('parseDurationNs', () => {
  it('reads Go-style durations and plain milliseconds', () => {
    expect(parseDurationNs('100ms', 'd')).toBe(100_000_000n);
    expect(parseDurationNs('1m30s', 'd')).toBe(90_000_000_000n);
    expect(parseDurationNs('1.5', 'd')).toBe(1_500_000n);
  });

  it('refuses what does not fit the store (int64 ns) with a 400-type error naming the parameter', () => {
    for (const raw of ['99999999999999999999', '9'.repeat(400), '999999999h', '1'.repeat(330) + 'ms']) {
      expect(() => parseDurationNs(raw, 'minDuration'), raw).toThrow(BadParameterError);
      expect(() => parseDurationNs(raw, 'minDuration'), raw).toThrow(/^minDuration: .*out of range/);
    }
    expect(parseDurationNs('106751d'.replace('d', 'h'), 'd')).toBe(106751n * 3_600_000_000_000n);
  });
});

describe('parseTimeNs', () => {
  it('reads unix ms and RFC 3339', () => {
    expect(parseTimeNs('1700000000000', 't')).toBe(1_700_000_000_000_000_000n);
    expect(parseTimeNs('2026-01-01T00:00:00Z', 't')).toBe(BigInt(Date.UTC(2026, 0, 1)) * 1_000_000n);
  });

  it('refuses times beyond int64 ns and before 1970', () => {
    expect(() => parseTimeNs('99999999999999999999', 'start')).toThrow(/^start: .*out of range/);
    expect(() => parseTimeNs('-1', 'end')).toThrow(/^end: "-1" is not a time/);
    expect(() => parseTimeNs('May 5', 'end')).toThrow(/is not a time/);
    expect(() => parseTimeNs('1969-12-31T00:00:00Z', 'end')).toThrow(/before 1970/);
    expect(parseTimeNs('9223372036854', 't')).toBe(9_223_372_036_854_000_000n);
    expect(() => parseTimeNs('9223372036855', 't')).toThrow(/out of range/);
  });
});
