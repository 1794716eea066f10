/**
 * Durations to int64 nanoseconds (bigint), with one scanner for every form
 * tracelab reads: Go's time.ParseDuration (Tempo and Jaeger parameters),
 * Prometheus durations (Tempo's `since`), TraceQL literals, and our own
 * "Go-style or a plain number of <unit>" flags and parameters. The forms
 * differ only in options; the scanning follows Go's algorithm (see
 * src/time/format.go ParseDuration), including how fractions are rounded.
 */
import { quote, UnitsError } from './errors.js';

export type DurationUnit = 'ns' | 'us' | 'µs' | 'μs' | 'ms' | 's' | 'm' | 'h' | 'd' | 'w' | 'y';

const SECOND = 1_000_000_000n;

/** Nanoseconds per unit. `µs` is U+00B5 (micro sign), `μs` U+03BC (Greek mu), as in Go. A year is 365 days (Prometheus). */
export const NS_PER_UNIT: Readonly<Record<DurationUnit, bigint>> = {
  ns: 1n,
  us: 1_000n,
  'µs': 1_000n,
  'μs': 1_000n,
  ms: 1_000_000n,
  s: SECOND,
  m: 60n * SECOND,
  h: 3_600n * SECOND,
  d: 86_400n * SECOND,
  w: 604_800n * SECOND,
  y: 31_536_000n * SECOND,
};

/** Go's time.ParseDuration units. */
export const GO_UNITS: readonly DurationUnit[] = ['ns', 'us', 'µs', 'μs', 'ms', 's', 'm', 'h'];
/** Prometheus' (model.ParseDuration) units. */
export const PROMETHEUS_UNITS: readonly DurationUnit[] = ['ms', 's', 'm', 'h', 'd', 'w', 'y'];
/** TraceQL duration literals: Tempo tries Prometheus' form, then Go's, so both sets. */
export const TRACEQL_UNITS: readonly DurationUnit[] = [...GO_UNITS, 'd', 'w', 'y'];

export interface DurationOptions {
  /** Units this form takes (default: Go's). */
  units?: readonly DurationUnit[];
  /** A plain number (the whole text, no unit) counts in this unit; without it a unit is required. */
  bareUnit?: DurationUnit;
  /** `0` alone is 0 without a unit, as Go and Prometheus allow (default false). */
  zero?: boolean;
  /** A leading `-` or `+`, as Go allows (default false: any sign is refused). */
  negative?: boolean;
  /** Decimal fractions (`1.5s`, `.5ms`; default true). Prometheus takes whole numbers only. */
  fractions?: boolean;
  /** Each unit at most once, largest first, as Prometheus requires (`1h30m`, not `30m1h`; default false). */
  ordered?: boolean;
  /** Spaces between a number and its unit (`1.5 s`; default false). */
  spaceBeforeUnit?: boolean;
  /**
   * Beyond int64 ns reads as the largest (or, negative, the smallest) int64
   * instead of a `range` error (default false). For comparisons such as
   * TraceQL's `duration > 99999999999h`, where the bound only has to be
   * larger than any value.
   */
  saturate?: boolean;
}

/** Go's time.ParseDuration exactly: signs, `0`, fractions, units in any order. */
export const GO_DURATION: DurationOptions = { units: GO_UNITS, zero: true, negative: true };
/** Prometheus' model.ParseDuration: whole numbers, ms to y, largest first, `0`. */
export const PROMETHEUS_DURATION: DurationOptions = { units: PROMETHEUS_UNITS, zero: true, fractions: false, ordered: true };
/** A TraceQL duration literal (the sign is the lexer's unary minus). */
export const TRACEQL_DURATION: DurationOptions = { units: TRACEQL_UNITS };

/** 2^63: the magnitude of the most negative int64. */
const LIMIT = 1n << 63n;
/** The largest int64 nanosecond value (about 292 years). */
export const MAX_DURATION_NS = LIMIT - 1n;

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';
const isSpace = (c: string | undefined): boolean => c !== undefined && /\s/.test(c);

function outOfRange(text: string): UnitsError {
  return new UnitsError('range', text, `duration ${quote(text)} is out of range (at most 292 years)`);
}

/**
 * Reads `text` (not trimmed) as a duration in the form the options describe,
 * in nanoseconds. Throws UnitsError naming the problem; never returns beyond
 * int64 nanoseconds.
 */
export function parseDuration(text: string, options: DurationOptions = {}): bigint {
  const units = options.units ?? GO_UNITS;
  const fractions = options.fractions ?? true;
  const unitList = units.join(', ');
  const syntax = () => new UnitsError('syntax', text, `${quote(text)} is not a duration (units: ${unitList})`);

  let s = text;
  let neg = false;
  if (s[0] === '-' || s[0] === '+') {
    if (!options.negative) {
      throw s[0] === '-' ? new UnitsError('negative', text, `${quote(text)}: a duration here cannot be negative`) : syntax();
    }
    neg = s[0] === '-';
    s = s.slice(1);
  }
  if (s === '0' && options.zero) return 0n;
  if (s === '') throw text === '' ? new UnitsError('empty', text, 'empty duration') : syntax();

  let total = 0n;
  // Past 2^63 the arithmetic stops (a long run of digits costs no bigint work); the syntax is still checked.
  let overflow = false;
  let lastUnitNs = LIMIT;
  let i = 0;
  while (i < s.length) {
    const start = i;
    if (!(s[i] === '.' || isDigit(s[i]))) throw syntax();
    let v = 0n;
    for (; isDigit(s[i]); i++) {
      if (overflow) continue;
      v = v * 10n + BigInt(s.charCodeAt(i) - 48);
      if (v > LIMIT) overflow = true;
    }
    const pre = i > start;
    // Go's leadingFraction: digits past int64 precision are read and ignored.
    let f = 0n;
    let scale = 1;
    let post = false;
    if (s[i] === '.') {
      if (!fractions) throw syntax();
      i++;
      const fracStart = i;
      let fracFull = false;
      for (; isDigit(s[i]); i++) {
        if (fracFull) continue;
        const y = f * 10n + BigInt(s.charCodeAt(i) - 48);
        if (f > MAX_DURATION_NS / 10n || y > LIMIT) {
          fracFull = true;
          continue;
        }
        f = y;
        scale *= 10;
      }
      post = i > fracStart;
    }
    if (!pre && !post) throw syntax();
    if (options.spaceBeforeUnit) while (isSpace(s[i])) i++;
    const unitStart = i;
    while (i < s.length && !(s[i] === '.' || isDigit(s[i]))) i++;
    const u = s.slice(unitStart, i);
    let unitNs: bigint;
    if (u === '') {
      if (options.bareUnit === undefined || start !== 0 || i !== s.length) {
        throw new UnitsError('missing-unit', text, `missing unit in duration ${quote(text)} (units: ${unitList})`);
      }
      unitNs = NS_PER_UNIT[options.bareUnit];
    } else {
      if (!(units as readonly string[]).includes(u)) {
        throw new UnitsError('unknown-unit', text, `unknown unit ${quote(u)} in duration ${quote(text)} (units: ${unitList})`);
      }
      unitNs = NS_PER_UNIT[u as DurationUnit];
    }
    if (options.ordered) {
      if (unitNs >= lastUnitNs) {
        throw new UnitsError('order', text, `${quote(text)}: units must go largest first, each at most once (e.g. 1h30m)`);
      }
      lastUnitNs = unitNs;
    }
    if (overflow) continue;
    v *= unitNs;
    if (f > 0n) {
      // As Go: float64 keeps fractions of an hour nanosecond-accurate; sub-nanoseconds truncate.
      v += BigInt(Math.trunc(Number(f) * (Number(unitNs) / scale)));
    }
    total += v;
    if (total > LIMIT) overflow = true;
  }
  if (overflow || (!neg && total > MAX_DURATION_NS)) {
    if (options.saturate) return neg ? -LIMIT : MAX_DURATION_NS;
    throw outOfRange(text);
  }
  return neg ? -total : total;
}

/** parseDuration, or null where it would throw. */
export function tryParseDuration(text: string, options?: DurationOptions): bigint | null {
  try {
    return parseDuration(text, options);
  } catch (err) {
    if (err instanceof UnitsError) return null;
    throw err;
  }
}

/** Go's time.ParseDuration. */
export const parseGoDuration = (text: string): bigint => parseDuration(text, GO_DURATION);
/** Prometheus' model.ParseDuration. */
export const parsePromDuration = (text: string): bigint => parseDuration(text, PROMETHEUS_DURATION);

/** Nanoseconds to (fractional) milliseconds. */
export const nsToMs = (ns: bigint): number => Number(ns) / 1e6;
/** Nanoseconds to (fractional) seconds. */
export const nsToSeconds = (ns: bigint): number => Number(ns) / 1e9;
