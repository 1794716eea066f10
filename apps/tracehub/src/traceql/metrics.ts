/**
 * TraceQL metrics series maths (pure), following Tempo 2.9's engine
 * (pkg/traceql/engine_metrics*.go): aggregated cells (one per group, interval
 * and, for quantile/histogram, log2 bucket) become labelled series, then
 * topk/bottomk and a value filter apply. Both executors (SQL pushdown in
 * store/metrics-sql.ts and the in-memory one in metrics-spans.ts) produce cells.
 */
import type { Field } from './ast.js';
import { formatField } from './ast.js';
import type { MetricsStage } from './metrics-ast.js';
import { VALUE_FUNCTIONS } from './metrics-ast.js';
import { stepSeconds, type MetricsRange } from './metrics-range.js';

/** A typed label value (Tempo's Static, as far as labels go). */
export type LabelValue =
  | { type: 'string'; value: string }
  | { type: 'int'; value: number }
  | { type: 'double'; value: number }
  | { type: 'bool'; value: boolean }
  | { type: 'nil' };

export interface Label {
  name: string;
  value: LabelValue;
}

export const NIL: LabelValue = { type: 'nil' };

/** The aggregate of the spans of one group in one interval (and log2 bucket). */
export interface MetricsCell {
  /** One value per by() field, in order (nil when the span lacks it). */
  group: LabelValue[];
  k: number;
  /** quantile_over_time / histogram_over_time: the log2 bucket's upper bound. */
  bucket?: number;
  /** One span of the cell, for Grafana's exemplars: the one with the largest value (or any). */
  exemplar?: Exemplar;
  /** Spans observed (for value functions: spans that had a value). */
  count: number;
  /** Of the measured values (value functions only). */
  sum: number;
  min: number;
  max: number;
}

/** A span behind a sample (Tempo's exemplar): value NaN for counts. */
export interface Exemplar {
  /** The interval its span starts in. */
  k: number;
  traceId: string;
  spanId: string;
  timestampMs: number;
  value: number;
}

export interface MetricsSeries {
  labels: Label[];
  /** Prometheus-style text of the labels, sorted by name: `{a="x", b="y"}`. */
  promLabels: string;
  /** One per interval; NaN = no sample. */
  values: number[];
  exemplars?: Exemplar[];
}

/** Tempo's label name for a by() field: `resource.service.name`, `span.x`, `.x`, `name`, `status`. */
export function labelName(f: Field): string {
  return formatField(f);
}

/** Log2Bucketize: the next power of two at or above v; values below 2 have no bucket. */
export function log2Bucketize(v: number): number | undefined {
  if (!(v >= 2)) return undefined;
  return 2 ** Math.ceil(Math.log2(v));
}

export interface HistogramBucket {
  max: number;
  count: number;
}

/**
 * Tempo's Log2Quantile: walk the sorted buckets to the one holding the
 * ceil(p * total)-th sample, then interpolate exponentially between the
 * previous bucket's bound (or half this one's) and this one's.
 */
export function log2Quantile(p: number, buckets: HistogramBucket[]): number {
  if (Number.isNaN(p) || p < 0 || p > 1 || buckets.length === 0) return 0;
  const total = buckets.reduce((a, b) => a + b.count, 0);
  if (total === 0) return 0;
  const maxSamples = Math.max(1, Math.ceil(p * total));
  let seen = 0;
  let bucket = 0;
  for (let i = 0; i < buckets.length; i++) {
    bucket = i;
    const b = buckets[i]!;
    if (seen + b.count > maxSamples) break;
    seen += b.count;
    if (seen === maxSamples) return b.max;
  }
  const interp = (maxSamples - seen) / buckets[bucket]!.count;
  const maxV = Math.log2(buckets[bucket]!.max);
  const minV = bucket > 0 ? Math.log2(buckets[bucket - 1]!.max) : maxV - 1;
  return 2 ** (minV + (maxV - minV) * interp);
}

function valueText(v: LabelValue): string {
  switch (v.type) {
    case 'nil':
      return '<nil>';
    case 'string':
      return v.value === '' ? '<empty>' : v.value === 'nil' ? '<nil>' : v.value;
    default:
      return String(v.value);
  }
}

/** Prometheus' labels.String(): sorted by name, values quoted. */
export function promLabelsOf(labels: Label[]): string {
  const byName = new Map<string, string>();
  for (const l of labels) byName.set(l.name, valueText(l.value));
  const parts = [...byName.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, v]) => `${k}=${JSON.stringify(v)}`);
  return `{${parts.join(', ')}}`;
}

function keyOf(vals: LabelValue[]): string {
  return JSON.stringify(vals.map((v) => (v.type === 'nil' ? null : [v.type, v.value])));
}

/**
 * Group labels as Tempo's GroupingAggregator names them: nils dropped; with no
 * label left, the first by() field with a nil value (`{x="<nil>"}`); without
 * by(), `__name__` = the function.
 */
function groupLabels(stage: MetricsStage, group: LabelValue[], forceOne: boolean): Label[] {
  if (stage.by.length === 0) return forceOne ? [{ name: '__name__', value: { type: 'string', value: stage.fn } }] : [];
  const labels: Label[] = [];
  stage.by.forEach((f, i) => {
    const v = group[i] ?? NIL;
    if (v.type !== 'nil') labels.push({ name: labelName(f), value: v });
  });
  if (labels.length === 0 && forceOne) labels.push({ name: labelName(stage.by[0]!), value: NIL });
  return labels;
}

function series(labels: Label[], values: number[], exemplars?: Exemplar[]): MetricsSeries {
  const s: MetricsSeries = { labels, promLabels: promLabelsOf(labels), values };
  if (exemplars && exemplars.length > 0) s.exemplars = [...exemplars].sort((a, b) => a.timestampMs - b.timestampMs);
  return s;
}

/**
 * At most `max` exemplars in all (Tempo's `exemplars` parameter), spread over
 * the series and over time; none on intervals without a sample.
 */
export function limitExemplars(input: MetricsSeries[], max: number): MetricsSeries[] {
  const live = input.map((s) => (s.exemplars ?? []).filter((e) => !Number.isNaN(s.values[e.k] ?? NaN)));
  const total = live.reduce((a, e) => a + e.length, 0);
  const per = total <= max ? Infinity : Math.floor(max / Math.max(1, live.filter((e) => e.length > 0).length));
  return input.map((s, i) => {
    const { exemplars: _, ...rest } = s;
    const mine = live[i]!;
    const kept = mine.length <= per ? mine : Array.from({ length: per }, (_, j) => mine[Math.floor((j * mine.length) / per)]!);
    return kept.length > 0 ? { ...rest, exemplars: kept } : rest;
  });
}

/** The first stage's series (before topk/bottomk and the value filter), sorted by promLabels. */
export function seriesFromCells(stage: MetricsStage, range: MetricsRange, cells: Iterable<MetricsCell>): MetricsSeries[] {
  const n = range.intervals;
  const out: MetricsSeries[] = [];
  if (stage.fn === 'compare') throw new Error('compare() is evaluated by compareSeries');

  if (stage.fn === 'quantile_over_time' || stage.fn === 'histogram_over_time') {
    const groups = new Map<string, { group: LabelValue[]; hist: Map<number, number>[]; exemplars: Map<number, Exemplar[]> }>();
    for (const c of cells) {
      if (c.bucket === undefined || c.k < 0 || c.k >= n) continue;
      const key = keyOf(c.group);
      let g = groups.get(key);
      if (!g) groups.set(key, (g = { group: c.group, hist: Array.from({ length: n }, () => new Map()), exemplars: new Map() }));
      const h = g.hist[c.k]!;
      h.set(c.bucket, (h.get(c.bucket) ?? 0) + c.count);
      if (c.exemplar) g.exemplars.set(c.bucket, [...(g.exemplars.get(c.bucket) ?? []), c.exemplar]);
    }
    // Quantile exemplars go to the smallest quantile whose value over all the data holds them (Tempo's rule).
    const all = new Map<number, number>();
    for (const g of groups.values()) for (const h of g.hist) for (const [b, c] of h) all.set(b, (all.get(b) ?? 0) + c);
    const overall = [...all.entries()].sort(([a], [b]) => a - b).map(([max, count]) => ({ max, count }));
    const thresholds = (stage.quantiles ?? []).map((q) => log2Quantile(q, overall));
    const quantileOf = (v: number) => {
      const i = thresholds.findIndex((t) => v <= t);
      return i < 0 ? thresholds.length - 1 : i;
    };
    for (const g of groups.values()) {
      const labels = groupLabels(stage, g.group, false);
      if (stage.fn === 'histogram_over_time') {
        const bucketSet = new Set<number>();
        for (const h of g.hist) for (const b of h.keys()) bucketSet.add(b);
        for (const b of [...bucketSet].sort((x, y) => x - y)) {
          out.push(series([...labels, { name: '__bucket', value: { type: 'double', value: b } }], g.hist.map((h) => h.get(b) ?? 0), g.exemplars.get(b)));
        }
      } else {
        const sorted = g.hist.map((h) => [...h.entries()].sort(([a], [b]) => a - b).map(([max, count]) => ({ max, count })));
        const exemplars = [...g.exemplars.values()].flat();
        (stage.quantiles ?? []).forEach((q, qi) => {
          const mine = exemplars.filter((e) => quantileOf(e.value) === qi);
          out.push(series([...labels, { name: 'p', value: { type: 'double', value: q } }], sorted.map((b) => (b.length === 0 ? 0 : log2Quantile(q, b))), mine));
        });
      }
    }
    return sortSeries(out);
  }

  const perStep = 1 / stepSeconds(range);
  const zeroFilled = stage.fn === 'rate' || stage.fn === 'count_over_time';
  const groups = new Map<string, { group: LabelValue[]; values: number[]; counts: number[]; exemplars: Exemplar[] }>();
  for (const c of cells) {
    if (c.k < 0 || c.k >= n) continue;
    const key = keyOf(c.group);
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { group: c.group, values: new Array<number>(n).fill(zeroFilled ? 0 : NaN), counts: new Array<number>(n).fill(0), exemplars: [] }));
    if (c.exemplar) g.exemplars.push(c.exemplar);
    const cur = g.values[c.k]!;
    g.counts[c.k]! += c.count;
    switch (stage.fn) {
      case 'rate':
        g.values[c.k] = cur + c.count * perStep;
        break;
      case 'count_over_time':
        g.values[c.k] = cur + c.count;
        break;
      case 'sum_over_time':
      case 'avg_over_time':
        g.values[c.k] = Number.isNaN(cur) ? c.sum : cur + c.sum;
        break;
      case 'min_over_time':
        g.values[c.k] = Number.isNaN(cur) || c.min < cur ? c.min : cur;
        break;
      case 'max_over_time':
        g.values[c.k] = Number.isNaN(cur) || c.max > cur ? c.max : cur;
        break;
    }
  }
  for (const g of groups.values()) {
    const values = stage.fn === 'avg_over_time' ? g.values.map((s, i) => (g.counts[i] === 0 ? NaN : s / g.counts[i]!)) : g.values;
    out.push(series(groupLabels(stage, g.group, true), values, g.exemplars));
  }
  return sortSeries(out);
}

function sortSeries(s: MetricsSeries[]): MetricsSeries[] {
  return s.sort((a, b) => (a.promLabels < b.promLabels ? -1 : a.promLabels > b.promLabels ? 1 : 0));
}

/**
 * topk(n) / bottomk(n), per interval as Tempo's processTopK: at each
 * timestamp the n largest (smallest) values keep their sample; a series keeps
 * the timestamps where it made the cut and is left out if it never did.
 */
export function topK(input: MetricsSeries[], fn: 'topk' | 'bottomk', n: number, intervals: number): MetricsSeries[] {
  const kept = new Map<number, number[]>();
  for (let i = 0; i < intervals; i++) {
    const candidates = input
      .map((s, idx) => ({ idx, v: s.values[i]! }))
      .filter((c) => !Number.isNaN(c.v))
      .sort((a, b) => (fn === 'topk' ? b.v - a.v : a.v - b.v) || a.idx - b.idx)
      .slice(0, n);
    for (const c of candidates) {
      let vals = kept.get(c.idx);
      if (!vals) kept.set(c.idx, (vals = new Array<number>(intervals).fill(NaN)));
      vals[i] = c.v;
    }
  }
  return [...kept.entries()].sort(([a], [b]) => a - b).map(([idx, values]) => ({ ...input[idx]!, values }));
}

const FILTERS: Record<NonNullable<MetricsStage['filter']>['op'], (a: number, b: number) => boolean> = {
  '=': (a, b) => a === b,
  '!=': (a, b) => a !== b,
  '>': (a, b) => a > b,
  '>=': (a, b) => a >= b,
  '<': (a, b) => a < b,
  '<=': (a, b) => a <= b,
};

/** `| ... > 10`: samples that fail become gaps; series left empty are dropped. */
export function filterValues(input: MetricsSeries[], filter: NonNullable<MetricsStage['filter']>): MetricsSeries[] {
  const test = FILTERS[filter.op];
  return input
    .map((s) => ({ ...s, values: s.values.map((v) => (!Number.isNaN(v) && test(v, filter.value) ? v : NaN)) }))
    .filter((s) => s.values.some((v) => !Number.isNaN(v)));
}

/** What follows the function: topk/bottomk, then the value filter. Series with no sample left are dropped. */
export function secondStage(stage: MetricsStage, range: MetricsRange, input: MetricsSeries[]): MetricsSeries[] {
  let out = input;
  if (stage.topk) out = topK(out, stage.topk.fn, stage.topk.n, range.intervals);
  if (stage.filter) out = filterValues(out, stage.filter);
  return out.filter((s) => s.values.some((v) => !Number.isNaN(v)));
}

/** How many group-by values the executors take (beyond: UnsupportedTraceQLError). */
export function maxGroupBy(stage: MetricsStage): number {
  return stage.fn === 'quantile_over_time' || stage.fn === 'histogram_over_time' ? 4 : 5;
}

/** Checks what the executors rely on (all but maxGroupBy); the message names the problem (a 400). */
export function validateStage(stage: MetricsStage): string | null {
  if (VALUE_FUNCTIONS.has(stage.fn) && !stage.field) return `${stage.fn}() needs a field, e.g. ${stage.fn}(duration)`;
  if (stage.fn === 'quantile_over_time') {
    if (!stage.quantiles || stage.quantiles.length === 0) return 'quantile_over_time() needs at least one quantile, e.g. quantile_over_time(duration, .99)';
    for (const q of stage.quantiles) if (!(q >= 0 && q <= 1)) return `quantile must be between 0 and 1: ${q}`;
  }
  if (stage.topk && !(Number.isInteger(stage.topk.n) && stage.topk.n > 0)) return 'limit must be greater than 0';
  if (stage.compare && !(stage.compare.topN > 0)) return 'compare() top number of values must be integer greater than 0';
  return null;
}
