/**
 * Tempo's metrics query parameters (pure), as grafana/tempo pkg/api/http.go
 * reads them: `q` (or `query`), `start`/`end` as unix seconds (10 digits or
 * fewer, or with a fraction), unix nanoseconds, or RFC 3339; `since` (default
 * 1h) when start is absent; `step` as seconds or a Go duration (`30s`),
 * defaulting to about 240 points.
 */
import { PROMETHEUS_DURATION, tryParseDuration } from '@tracelab/units';
import { defaultStepNs } from '../traceql/metrics-range.js';
import { parseGoDuration } from './go-duration.js';
import { badParam, one, type Query } from './query-params.js';

const SECOND = 1_000_000_000n;
const DEFAULT_SINCE_NS = 3600n * SECOND;

export function parseTempoTimestamp(value: string, name: string): bigint {
  if (value.includes('.')) {
    const f = Number(value);
    if (Number.isFinite(f)) return BigInt(Math.round(f * 1000)) * 1_000_000n;
  } else if (/^-?\d+$/.test(value)) {
    return value.replace('-', '').length <= 10 ? BigInt(value) * SECOND : BigInt(value);
  }
  const ms = /^\d{4}-\d\d-\d\dT/.test(value) ? Date.parse(value) : NaN;
  if (Number.isNaN(ms)) throw badParam(name, `could not parse '${name}' parameter: "${value}" is not unix seconds, unix nanoseconds or RFC 3339`);
  const frac = /\.(\d+)/.exec(value)?.[1] ?? '';
  return BigInt(ms) * 1_000_000n + BigInt((frac.slice(3, 9) || '0').padEnd(6, '0'));
}

/** Prometheus' duration (what Tempo reads `since` with): whole numbers of y, w, d, h, m, s, ms, largest first, e.g. `1d12h`, `30m`. */
export function parsePromDuration(text: string): bigint | null {
  return tryParseDuration(text, PROMETHEUS_DURATION);
}

export interface TempoMetricsParams {
  query: string;
  startNs: bigint;
  endNs: bigint;
}

const INT64_MAX = 2n ** 63n - 1n;

export function parseTempoMetricsParams(q: Query, nowNs: bigint): TempoMetricsParams {
  const query = one(q, 'q') ?? one(q, 'query');
  if (query === undefined) throw badParam('q', 'missing query: give the TraceQL metrics query as q');
  const sinceText = one(q, 'since');
  let since = DEFAULT_SINCE_NS;
  if (sinceText !== undefined) {
    const d = parsePromDuration(sinceText);
    if (d === null) throw badParam('since', `could not parse 'since' parameter: "${sinceText}" is not a duration like 1h or 30m`);
    since = d;
  }
  const endText = one(q, 'end');
  const endNs = endText === undefined ? nowNs : parseTempoTimestamp(endText, 'end');
  const startText = one(q, 'start');
  const startNs = startText === undefined ? (endNs > nowNs ? nowNs : endNs) - since : parseTempoTimestamp(startText, 'start');
  for (const [name, ns] of [['start', startNs], ['end', endNs]] as const) {
    // The store's times are int64 nanoseconds: 99999999999999999999 ns is no time it holds.
    if (ns < 0n || ns > INT64_MAX) throw badParam(name, `could not parse '${name}' parameter: out of range (before 1970 or after 2262)`);
  }
  return { query, startNs, endNs };
}

/** The `step` parameter: float seconds or a Go duration; absent → Tempo's default for the range. */
export function parseTempoStep(q: Query, startNs: bigint, endNs: bigint): bigint {
  const s = one(q, 'step');
  if (s === undefined) return defaultStepNs(startNs, endNs);
  if (/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(s)) {
    const ns = Number(s) * 1e9;
    // 1e400 seconds is Infinity: no BigInt of it (that threw a RangeError, a 500).
    if (!Number.isFinite(ns) || Math.abs(ns) > 9.2e18) throw badParam('step', `cannot parse "${s}" to a valid duration: out of range`);
    return BigInt(Math.round(ns));
  }
  // Go's ParseDuration takes a sign; a step of 0 or less is then refused as Tempo does ("step required").
  const d = parseGoDuration(s, { negative: true });
  if (d === null) throw badParam('step', `cannot parse "${s}" to a valid duration`);
  return d;
}
