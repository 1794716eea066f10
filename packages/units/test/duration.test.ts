import { describe, expect, it } from 'vitest';
import {
  MAX_DURATION_NS,
  nsToMs,
  nsToSeconds,
  parseDuration,
  parseGoDuration,
  parsePromDuration,
  TRACEQL_DURATION,
  tryParseDuration,
  UnitsError,
  type DurationOptions,
} from '../src/index.js';

const US = 1_000n;
const MS = 1_000_000n;
const S = 1_000_000_000n;
const M = 60n * S;
const H = 3600n * S;
const MIN_NS = -(1n << 63n);

function reason(text: string, options?: DurationOptions): string {
  try {
    parseDuration(text, options);
  } catch (err) {
    expect(err).toBeInstanceOf(UnitsError);
    expect((err as UnitsError).input).toBe(text);
    return (err as UnitsError).reason;
  }
  throw new Error(`${JSON.stringify(text)} was read`);
}

describe("Go's time.ParseDuration (Go's own test table)", () => {
  it.each<[string, bigint]>([
    ['0', 0n],
    ['5s', 5n * S],
    ['30s', 30n * S],
    ['1478s', 1478n * S],
    ['-5s', -5n * S],
    ['+5s', 5n * S],
    ['-0', 0n],
    ['+0', 0n],
    ['5.0s', 5n * S],
    ['5.6s', 5n * S + 600n * MS],
    ['5.s', 5n * S],
    ['.5s', 500n * MS],
    ['1.004s', 1004n * MS],
    ['1.0040s', 1004n * MS],
    ['100.00100s', 100n * S + MS],
    ['10ns', 10n],
    ['11us', 11n * US],
    ['12µs', 12n * US], // U+00B5
    ['12μs', 12n * US], // U+03BC
    ['13ms', 13n * MS],
    ['15m', 15n * M],
    ['16h', 16n * H],
    ['3h30m', 3n * H + 30n * M],
    ['10.5s4m', 4n * M + 10n * S + 500n * MS],
    ['-2m3.4s', -(2n * M + 3n * S + 400n * MS)],
    ['1h2m3s4ms5us6ns', H + 2n * M + 3n * S + 4n * MS + 5n * US + 6n],
    ['39h9m14.425s', 39n * H + 9n * M + 14n * S + 425n * MS],
    ['52763797000ns', 52_763_797_000n],
    ['0.3333333333333333333h', 20n * M],
    ['9007199254740993ns', (1n << 53n) + 1n],
    ['9223372036854775807ns', MAX_DURATION_NS],
    ['9223372036854775.807us', MAX_DURATION_NS],
    ['9223372036s854ms775us807ns', MAX_DURATION_NS],
    ['-9223372036854775808ns', MIN_NS],
    ['-9223372036854775.808us', MIN_NS],
    ['-9223372036s854ms775us808ns', MIN_NS],
    ['-2562047h47m16.854775808s', MIN_NS],
    ['0.100000000000000000000h', 6n * M],
    ['0.830103483285477580700h', 49n * M + 48n * S + 372_539_827n], // float64 rounding, as Go's table has it,
    ['1.5ns', 1n], // sub-nanoseconds truncate
    ['1s1s', 2n * S], // units may repeat
  ])('%s', (text, ns) => expect(parseGoDuration(text)).toBe(ns));

  it.each<[string, string]>([
    ['', 'empty'],
    ['3', 'missing-unit'],
    ['-', 'syntax'],
    ['s', 'syntax'],
    ['.', 'syntax'],
    ['-.', 'syntax'],
    ['.s', 'syntax'],
    ['+.s', 'syntax'],
    ['1d', 'unknown-unit'],
    ['5 ms', 'unknown-unit'],
    ['1sec', 'unknown-unit'],
    ['\x85\x85', 'syntax'],
    ['1s garbage', 'unknown-unit'],
    ['1.2.3s', 'missing-unit'],
    ['9223372036854775808ns', 'range'],
    ['9223372036854775.808us', 'range'],
    ['9223372036854ms775us808ns', 'range'],
    ['-9223372036854775809ns', 'range'],
    ['99999999999999999999999h', 'range'],
    ['2562048h', 'range'],
  ])('rejects %j (%s)', (text, why) => expect(reason(text, { units: ['ns', 'us', 'µs', 'μs', 'ms', 's', 'm', 'h'], zero: true, negative: true })).toBe(why));

  it('says what is wrong, quoting the input', () => {
    expect(() => parseGoDuration('1x')).toThrow('unknown unit "x" in duration "1x" (units: ns, us, µs, μs, ms, s, m, h)');
    expect(() => parseGoDuration('100')).toThrow('missing unit in duration "100"');
    expect(() => parseGoDuration('1e400s')).toThrow('unknown unit "e" in duration "1e400s"');
    expect(() => parseGoDuration('fast')).toThrow('"fast" is not a duration (units: ns, us, µs, μs, ms, s, m, h)');
    expect(() => parseGoDuration('9999999999h')).toThrow('duration "9999999999h" is out of range (at most 292 years)');
    expect(() => parseGoDuration('9'.repeat(100) + 's')).toThrow(/^duration "9{64}…" is out of range/);
  });
});

describe("Prometheus' model.ParseDuration", () => {
  it.each<[string, bigint]>([
    ['0', 0n],
    ['1y', 31_536_000n * S],
    ['1w', 604_800n * S],
    ['1d', 86_400n * S],
    ['1d12h', 86_400n * S + 12n * H],
    ['90s', 90n * S],
    ['1h30m', 90n * M],
    ['1y2w3d4h5m6s7ms', 31_536_000n * S + 2n * 604_800n * S + 3n * 86_400n * S + 4n * H + 5n * M + 6n * S + 7n * MS],
    ['292y', 292n * 31_536_000n * S],
  ])('%s', (text, ns) => expect(parsePromDuration(text)).toBe(ns));

  it.each<[string, string]>([
    ['', 'empty'],
    ['30m1h', 'order'],
    ['1h1h', 'order'],
    ['1.5h', 'syntax'],
    ['-1h', 'negative'],
    ['+1h', 'syntax'],
    ['5', 'missing-unit'],
    ['1us', 'unknown-unit'],
    ['1ns', 'unknown-unit'],
    ['293y', 'range'],
  ])('rejects %j (%s)', (text, why) => expect(reason(text, { units: ['ms', 's', 'm', 'h', 'd', 'w', 'y'], zero: true, fractions: false, ordered: true })).toBe(why));
});

describe('TraceQL literals', () => {
  it.each<[string, bigint]>([
    ['1ns', 1n],
    ['5µs', 5n * US],
    ['1d', 86_400n * S],
    ['1.5d', 129_600n * S],
    ['1w', 604_800n * S],
    ['1y', 31_536_000n * S],
    ['30m1h', 90n * M],
    ['.5ms', 500n * US],
  ])('%s', (text, ns) => expect(parseDuration(text, TRACEQL_DURATION)).toBe(ns));
  it.each(['', '0', '5', '-5s', '5mb', '5 ms', '293y'])('rejects %j', (text) => expect(tryParseDuration(text, TRACEQL_DURATION)).toBeNull());
});

describe('a plain number of a unit (our flags and parameters)', () => {
  const ms: DurationOptions = { bareUnit: 'ms' };
  it('counts a plain number in bareUnit and keeps the units', () => {
    expect(parseDuration('42', ms)).toBe(42n * MS);
    expect(parseDuration('1.5', ms)).toBe(1_500_000n);
    expect(parseDuration('.25', ms)).toBe(250_000n);
    expect(parseDuration('0', ms)).toBe(0n);
    expect(parseDuration('1m30s', ms)).toBe(90n * S);
    expect(parseDuration('10', { bareUnit: 's' })).toBe(10n * S);
  });
  it('takes a plain number only as the whole text', () => {
    expect(reason('1m30', ms)).toBe('missing-unit');
    expect(reason('1.5.', ms)).toBe('missing-unit');
  });
  it('refuses signs unless negative is allowed', () => {
    expect(reason('-5', ms)).toBe('negative');
    expect(reason('+5', ms)).toBe('syntax');
    expect(parseDuration('-5', { ...ms, negative: true })).toBe(-5n * MS);
  });
  it('refuses units outside the allowed ones', () => {
    expect(reason('1h', { units: ['ms', 's', 'm'] })).toBe('unknown-unit');
    expect(parseDuration('2m', { units: ['ms', 's', 'm'] })).toBe(2n * M);
  });
  it('reads a number beyond int64 ns as out of range, not Infinity', () => {
    expect(reason('9'.repeat(400), ms)).toBe('range');
    expect(reason('9223372036855', ms)).toBe('range');
    expect(parseDuration('9223372036854', ms)).toBe(9_223_372_036_854n * MS);
  });
  it('saturates at int64 when asked, still checking the syntax', () => {
    const sat: DurationOptions = { units: ['h'], saturate: true };
    expect(parseDuration('99999999999h', sat)).toBe(MAX_DURATION_NS);
    expect(parseDuration('9'.repeat(10_000) + 'h', sat)).toBe(MAX_DURATION_NS);
    expect(parseDuration('-99999999999h', { ...sat, negative: true })).toBe(MIN_NS);
    expect(parseDuration('2562047h', sat)).toBe(2_562_047n * H);
    expect(reason('99999999999hx', sat)).toBe('unknown-unit');
    expect(reason('99999999999h')).toBe('range');
  });
  it('takes spaces before a unit when asked', () => {
    expect(parseDuration('1.5 s', { spaceBeforeUnit: true })).toBe(1500n * MS);
    expect(reason('1.5 s')).toBe('unknown-unit');
  });
  it('needs a unit without bareUnit, and 0 only with zero', () => {
    expect(reason('0')).toBe('missing-unit');
    expect(parseDuration('0', { zero: true })).toBe(0n);
  });
});

describe('conversions', () => {
  it('ns to ms and seconds', () => {
    expect(nsToMs(250_000n)).toBe(0.25);
    expect(nsToMs(90n * S)).toBe(90_000);
    expect(nsToSeconds(1500n * MS)).toBe(1.5);
  });
});
