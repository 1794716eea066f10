/**
 * compare() series (pure), as Tempo's MetricsCompare lays them out
 * (pkg/traceql/engine_metrics_compare.go): per attribute, its topN values by
 * total count in the baseline and in the selection, labelled
 * {__meta_type="baseline"|"selection", <attr>=<value>}, and per attribute the
 * count of spans carrying it, {__meta_type="baseline_total"|"selection_total",
 * <attr>=nil}. Counts per interval, 0 where none.
 */
import type { MetricsRange } from './metrics-range.js';
import { NIL, promLabelsOf, type Label, type LabelValue, type MetricsSeries } from './metrics.js';

export interface CompareCell {
  selection: boolean;
  /** Tempo's attribute name: `span.x`, `resource.x`, `name`, `status`, `kind`. */
  attr: string;
  value: LabelValue;
  k: number;
  count: number;
}

const valueKey = (v: LabelValue) => (v.type === 'nil' ? 'nil' : `${v.type}:${String(v.value)}`);

export function compareSeries(topN: number, range: MetricsRange, cells: Iterable<CompareCell>): MetricsSeries[] {
  const n = range.intervals;
  type Values = Map<string, { value: LabelValue; counts: number[] }>;
  const sets = { baseline: new Map<string, Values>(), selection: new Map<string, Values>() };
  const totals = { baseline: new Map<string, number[]>(), selection: new Map<string, number[]>() };
  for (const c of cells) {
    if (c.k < 0 || c.k >= n) continue;
    const side = c.selection ? 'selection' : 'baseline';
    let values = sets[side].get(c.attr);
    if (!values) sets[side].set(c.attr, (values = new Map()));
    const key = valueKey(c.value);
    let v = values.get(key);
    if (!v) values.set(key, (v = { value: c.value, counts: new Array<number>(n).fill(0) }));
    v.counts[c.k]! += c.count;
    let t = totals[side].get(c.attr);
    if (!t) totals[side].set(c.attr, (t = new Array<number>(n).fill(0)));
    t[c.k]! += c.count;
  }
  const out: MetricsSeries[] = [];
  const add = (labels: Label[], values: number[]) => out.push({ labels, promLabels: promLabelsOf(labels), values });
  const meta = (t: string): Label => ({ name: '__meta_type', value: { type: 'string', value: t } });
  for (const side of ['baseline', 'selection'] as const) {
    for (const [attr, values] of sets[side]) {
      const ranked = [...values.entries()]
        .map(([key, v]) => ({ key, v, total: v.counts.reduce((a, b) => a + b, 0) }))
        .sort((a, b) => b.total - a.total || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
        .slice(0, topN);
      for (const { v } of ranked) add([meta(side), { name: attr, value: v.value }], v.counts);
    }
    for (const [attr, counts] of totals[side]) add([meta(`${side}_total`), { name: attr, value: NIL }], counts);
  }
  return out.sort((a, b) => (a.promLabels < b.promLabels ? -1 : a.promLabels > b.promLabels ? 1 : 0));
}
