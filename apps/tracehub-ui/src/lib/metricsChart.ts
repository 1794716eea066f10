// TraceQL metrics in the search box (pure): telling a metrics query from a
// search, and the line chart's geometry (one path per series, the hovered
// timestamp's values). Reuses the sparkline's Frame/xOf/yOf.
import { xOf, yOf, type Frame } from './sparkline';

export interface ChartLabel {
  name: string;
  type: 'string' | 'int' | 'double' | 'bool' | 'nil';
  value: string | number | boolean | null;
}

export interface ChartExemplar {
  traceId: string;
  spanId: string;
  timestampMs: number;
}

export interface ChartSeries {
  labels: ChartLabel[];
  /** [timestampMs, value], sorted by time. */
  samples: [number, number][];
  /** Spans behind the samples (one per interval at most). */
  exemplars?: ChartExemplar[];
}

const METRICS_FUNCTIONS = /^\s*(rate|count_over_time|sum_over_time|min_over_time|max_over_time|avg_over_time|quantile_over_time|histogram_over_time|compare)\s*\(/;

/** True when the query ends in a metrics function (`{ } | rate() by (...)`): a `|` outside strings and braces followed by one. */
export function isMetricsQuery(q: string): boolean {
  let depth = 0;
  let quote: string | null = null;
  for (let i = 0; i < q.length; i++) {
    const c = q[i]!;
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = null;
    } else if (c === '"' || c === '`') quote = c;
    else if (c === '{' || c === '(') depth++;
    else if (c === '}' || c === ')') depth--;
    else if (c === '|' && depth === 0) {
      if (q[i + 1] === '|') i++;
      else if (METRICS_FUNCTIONS.test(q.slice(i + 1))) return true;
    }
  }
  return false;
}

/** A series' legend text: `name="GET /a", status="error"`; the function name alone without by(). */
export function seriesName(s: ChartSeries): string {
  if (s.labels.length === 1 && s.labels[0]!.name === '__name__') return String(s.labels[0]!.value);
  return s.labels.map((l) => `${l.name}=${l.type === 'nil' ? '<nil>' : l.type === 'string' ? JSON.stringify(l.value) : String(l.value)}`).join(', ') || '{}';
}

/** The frame that holds every sample: time from the first to the last timestamp, values from 0 to the largest. */
export function chartFrame(series: ChartSeries[], width: number, height: number, startMs: number, endMs: number): Frame {
  let max = 0;
  for (const s of series) for (const [, v] of s.samples) if (v > max) max = v;
  return { width, height, startMs, endMs, max: max > 0 ? max : 1 };
}

/**
 * The path through a series' samples. A missing timestamp (no sample at
 * t where the previous was t - step) lifts the pen.
 */
export function linePath(f: Frame, s: ChartSeries, stepMs: number): string {
  let d = '';
  let prev: number | null = null;
  for (const [t, v] of s.samples) {
    const connected = prev !== null && t - prev <= stepMs * 1.0001;
    d += `${connected ? 'L' : 'M'}${xOf(f, t).toFixed(1)},${yOf(f, v).toFixed(1)}`;
    prev = t;
  }
  return d;
}

/** The sample timestamp nearest to an x position, or null without samples. */
export function nearestTimestamp(series: ChartSeries[], f: Frame, x: number): number | null {
  let best: number | null = null;
  let dist = Infinity;
  for (const s of series) {
    for (const [t] of s.samples) {
      const d = Math.abs(xOf(f, t) - x);
      if (d < dist) {
        dist = d;
        best = t;
      }
    }
  }
  return best;
}

/** Each series' value at a timestamp (undefined: no sample there). */
export function valuesAt(series: ChartSeries[], t: number): (number | undefined)[] {
  return series.map((s) => s.samples.find(([ts]) => ts === t)?.[1]);
}

/** A value as the legend shows it: up to 4 significant digits. */
export function formatValue(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e6 || a < 1e-3) return v.toExponential(2);
  return String(Number(v.toPrecision(4)));
}

/** Query parameters for GET /api/v1/metrics/traceql from the search box and its time range (step: the server's default). */
export function metricsApiParams(q: string, window: { startMs?: number; endMs?: number }, nowMs: number): URLSearchParams {
  const end = window.endMs ?? nowMs;
  const p = new URLSearchParams({ q: q.trim(), end: String(Math.ceil(end)) });
  if (window.startMs !== undefined) p.set('start', String(Math.floor(window.startMs)));
  return p;
}

/** Where an exemplar is drawn: at its span's start, on the line (the value of the sample whose interval holds it). */
export function exemplarPoint(f: Frame, s: ChartSeries, e: ChartExemplar): { x: number; y: number } | null {
  const sample = s.samples.find(([t]) => t >= e.timestampMs);
  if (!sample) return null;
  return { x: xOf(f, e.timestampMs), y: yOf(f, sample[1]) };
}
