/**
 * The time grid of a TraceQL metrics query, as Tempo (pkg/traceql/engine_metrics.go)
 * lays it out. Pure.
 *
 * Range query: start is rounded down and end up to a multiple of step, then one
 * more step is put in front (AlignRequest). Interval i is right-closed,
 * (start + i*step, start + (i+1)*step], and its sample carries the interval's
 * END as its timestamp. Instant query (end - start = step): one interval,
 * (start, end], unaligned.
 */

/** Tempo (and Prometheus) refuse more points than this per series. */
export const MAX_POINTS = 11_000;

export interface MetricsRange {
  /** Aligned bounds, ns: intervals cover (startNs, endNs]. */
  startNs: bigint;
  endNs: bigint;
  stepNs: bigint;
  intervals: number;
  instant: boolean;
}

export class MetricsRangeError extends Error {}

/** Aggregated cells (groups × intervals × buckets) a query may produce before it is refused. */
export const MAX_CELLS = 500_000;
/** Series in one answer, as Tempo's query-frontend max_response_series; beyond it the answer is partial. */
export const MAX_SERIES = 1000;

/** A query whose groups would not fit: a 400 naming the way out. */
export class MetricsTooLargeError extends MetricsRangeError {}

export function metricsRange(startNs: bigint, endNs: bigint, stepNs: bigint): MetricsRange {
  if (startNs <= 0n) throw new MetricsRangeError('start required');
  if (endNs <= 0n) throw new MetricsRangeError('end required');
  if (endNs <= startNs) throw new MetricsRangeError('end must be greater than start');
  if (stepNs <= 0n) throw new MetricsRangeError('step required');
  if (endNs - startNs === stepNs) return { startNs, endNs, stepNs, intervals: 1, instant: true };
  let start = startNs - (startNs % stepNs);
  const mod = endNs % stepNs;
  const end = mod === 0n ? endNs : endNs + (stepNs - mod);
  if (start > stepNs) start -= stepNs;
  const intervals = (end - start) / stepNs;
  if (intervals > BigInt(MAX_POINTS)) {
    throw new MetricsRangeError(
      `exceeded maximum resolution of ${MAX_POINTS.toLocaleString('en-US')} points per timeseries (${intervals} asked). Try a larger step`,
    );
  }
  return { startNs: start, endNs: end, stepNs, intervals: Number(intervals), instant: false };
}

/** An instant query over [startNs, endNs]: one step as wide as the range. */
export function instantRange(startNs: bigint, endNs: bigint): MetricsRange {
  return metricsRange(startNs, endNs, endNs - startNs);
}

/** The interval a span starting at tsNs falls in, or -1 outside the range. */
export function intervalOf(tsNs: bigint, r: MetricsRange): number {
  if (tsNs <= r.startNs || tsNs > r.endNs) return -1;
  return Number((tsNs - r.startNs - 1n) / r.stepNs);
}

/** Unix ms of interval i's sample: the interval's end. */
export function timestampMsOf(i: number, r: MetricsRange): number {
  return Number((r.startNs + BigInt(i + 1) * r.stepNs) / 1_000_000n);
}

/** Seconds per step, the divisor of rate(). */
export function stepSeconds(r: MetricsRange): number {
  return Number(r.stepNs) / 1e9;
}

/**
 * Tempo's default step when none is given: about 240 points, rounded down to
 * 5 s (or to 1 s below 5 s), at least 1 s.
 */
export function defaultStepNs(startNs: bigint, endNs: bigint): bigint {
  const baseline = (endNs - startNs) / 240n;
  let interval = (baseline / 5_000_000_000n) * 5_000_000_000n;
  if (interval < 5_000_000_000n) interval = (baseline / 1_000_000_000n) * 1_000_000_000n;
  return interval < 1_000_000_000n ? 1_000_000_000n : interval;
}
