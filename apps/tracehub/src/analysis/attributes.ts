/**
 * "What is different": ranks attribute keys by how differently their values
 * are spread over a selection of traces and over the rest of the window
 * (the baseline), like Honeycomb's BubbleUp. Pure: works on the counts the
 * store aggregates (Store.attributeAnalysis).
 *
 * For each value, two shares per set: by traces (share of the set's traces
 * with at least one span carrying key=value) and by time (share of the set's
 * total span self time spent in spans carrying key=value). A value's score is
 * the larger of |share_sel − share_base| by traces and by time; a key's score
 * is its best value's, and `by` says which measure gave it.
 */
import type { AttributeAnalysisData, AttributeValueCounts } from '../store/types.js';

export type AttributeScope = AttributeValueCounts['scope'];

export interface Shares {
  traces: number;
  time: number;
}

export interface ValueShares {
  value: string;
  selection: Shares;
  baseline: Shares;
}

export interface RankedAttribute {
  key: string;
  scope: AttributeScope;
  score: number;
  by: 'traces' | 'time';
  values: ValueShares[];
}

export interface SkippedAttribute {
  key: string;
  scope: AttributeScope;
  distinctValues: number;
}

export interface AttributeRanking {
  attributes: RankedAttribute[];
  /** Keys whose values are ids (mostly one span each): left out of the ranking. */
  skipped: SkippedAttribute[];
  summary: string;
}

/** A key with more than this many distinct values... */
export const ID_LIKE_MIN_DISTINCT = 50;
/** ...more than this share of them on one span only holds ids, not categories. */
export const ID_LIKE_SINGLETON_SHARE = 0.5;
export const TOP_VALUES = 10;

export function isIdLike(distinctValues: number, singletonValues: number): boolean {
  return distinctValues > ID_LIKE_MIN_DISTINCT && singletonValues / distinctValues > ID_LIKE_SINGLETON_SHARE;
}

const ratio = (n: number, d: number) => (d > 0 ? n / d : 0);
const round = (x: number) => Math.round(x * 10_000) / 10_000;
const SCOPE_ORDER: Record<AttributeScope, number> = { span: 0, resource: 1, intrinsic: 2 };

/** A value's score and the measure that gave it (traces on a tie). */
export function valueScore(v: ValueShares): { score: number; by: 'traces' | 'time' } {
  // Rounded so that float noise never decides a tie.
  const dTraces = Math.round(Math.abs(v.selection.traces - v.baseline.traces) * 1e9) / 1e9;
  const dTime = Math.round(Math.abs(v.selection.time - v.baseline.time) * 1e9) / 1e9;
  return dTime > dTraces ? { score: dTime, by: 'time' } : { score: dTraces, by: 'traces' };
}

const signed = (v: ValueShares, by: 'traces' | 'time') => v.selection[by] - v.baseline[by];

export function rankAttributes(data: AttributeAnalysisData, topValues = TOP_VALUES): AttributeRanking {
  const { selection, baseline } = data;
  const groups = new Map<string, AttributeValueCounts[]>();
  for (const v of data.values) {
    const id = `${v.scope}\u0000${v.key}`;
    const g = groups.get(id);
    if (g) g.push(v);
    else groups.set(id, [v]);
  }
  const attributes: RankedAttribute[] = [];
  const skipped: SkippedAttribute[] = [];
  /** The best value's difference in the other measure: breaks ties between keys. */
  const secondary = new Map<string, number>();
  for (const rows of groups.values()) {
    const { key, scope, keyDistinctValues, keySingletonValues } = rows[0]!;
    if (isIdLike(keyDistinctValues, keySingletonValues)) {
      skipped.push({ key, scope, distinctValues: keyDistinctValues });
      continue;
    }
    const scored = rows.map((r) => {
      const shares: ValueShares = {
        value: r.value,
        selection: { traces: ratio(r.selTraces, selection.traceCount), time: ratio(r.selTimeNs, selection.timeNs) },
        baseline: { traces: ratio(r.baseTraces, baseline.traceCount), time: ratio(r.baseTimeNs, baseline.timeNs) },
      };
      return { shares, ...valueScore(shares) };
    });
    scored.sort(
      (a, b) =>
        b.score - a.score ||
        // On a tie, the value more common in the selection than in the baseline first.
        signed(b.shares, b.by) - signed(a.shares, a.by) ||
        b.shares.selection.traces - a.shares.selection.traces ||
        (a.shares.value < b.shares.value ? -1 : a.shares.value > b.shares.value ? 1 : 0),
    );
    const best = scored[0]!;
    const other = best.by === 'traces' ? 'time' : 'traces';
    secondary.set(`${scope}\u0000${key}`, Math.abs(signed(best.shares, other)));
    attributes.push({
      key,
      scope,
      score: round(best.score),
      by: best.by,
      values: scored.slice(0, topValues).map(({ shares: s }) => ({
        value: s.value,
        selection: { traces: round(s.selection.traces), time: round(s.selection.time) },
        baseline: { traces: round(s.baseline.traces), time: round(s.baseline.time) },
      })),
    });
  }
  attributes.sort(
    (a, b) =>
      b.score - a.score ||
      (a.by === b.by ? 0 : a.by === 'traces' ? -1 : 1) ||
      secondary.get(`${b.scope}\u0000${b.key}`)! - secondary.get(`${a.scope}\u0000${a.key}`)! ||
      SCOPE_ORDER[a.scope] - SCOPE_ORDER[b.scope] ||
      (a.key < b.key ? -1 : a.key > b.key ? 1 : 0),
  );
  skipped.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : SCOPE_ORDER[a.scope] - SCOPE_ORDER[b.scope]));
  return { attributes, skipped, summary: summarize(data, attributes) };
}

/** A share as a whole percentage; "<1%" for a share that rounds to 0 but is not. */
export function percent(share: number): string {
  if (share > 0 && share < 0.005) return '<1%';
  if (share < 1 && share > 0.995) return '>99%';
  return `${Math.round(share * 100)}%`;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** One sentence naming the key=value that sets the selection apart most. */
export function summarize(data: AttributeAnalysisData, ranked: readonly RankedAttribute[]): string {
  const { selection, baseline } = data;
  if (selection.totalTraceCount === 0) return 'No traces in the window match the selection.';
  if (baseline.totalTraceCount === 0) {
    return `All ${plural(selection.totalTraceCount, 'trace')} in the window match the selection; there are no others to compare them with.`;
  }
  const top = ranked[0];
  if (!top || top.score === 0) {
    return `No attribute value sets the ${plural(selection.traceCount, 'selected trace')} apart from the others.`;
  }
  const v = top.values[0]!;
  const name = `${top.key} = ${v.value}`;
  if (top.by === 'time') {
    return `${name} takes ${percent(v.selection.time)} of the selected traces' span time and ${percent(v.baseline.time)} of the others'.`;
  }
  return `${name} is on ${percent(v.selection.traces)} of the selected traces and ${percent(v.baseline.traces)} of the others.`;
}
