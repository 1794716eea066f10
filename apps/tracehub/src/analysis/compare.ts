/**
 * Compare a trace with another trace or with a baseline of similar traces
 * (GET /api/v1/compare). Pure: span paths, self times, folding of repeated
 * siblings, baseline medians, the per-path diff, its ranking and the sentence.
 *
 * A span path is the ancestry of (service, span name) from the root, e.g.
 * `order-service: GET /order > order-service: call-payment-api`. All spans of
 * a trace with the same path fold into one row (count, summed durations and
 * self times), so ten calls of a loop compare as one row "× 10".
 */
import { formatMs } from '@tracelab/trace-explain';
import { StatusCode } from '../model.js';
import type { SpanOutline } from '../store/types.js';

/** The parts of a span a comparison reads (a store outline without its trace id). */
export type CompareSpan = Omit<SpanOutline, 'traceId'>;

const NS_PER_MS = 1e6;
/** Span ids listed per row side. */
export const SPAN_IDS_PER_ROW = 5;

/** One trace's spans of one path, folded. */
export interface PathAggregate {
  path: string;
  depth: number;
  service: string;
  name: string;
  count: number;
  durationNs: number;
  selfNs: number;
  errorCount: number;
  /** The first spans of the path, by start time (at most SPAN_IDS_PER_ROW). */
  spanIds: string[];
}

export const segmentOf = (service: string, name: string): string => `${service}: ${name}`;
export const PATH_SEPARATOR = ' > ';

/**
 * Self time of every span: its duration minus the union of its children's
 * intervals clipped to the span (overlapping children count once).
 */
export function selfTimesNs(spans: readonly CompareSpan[]): Map<string, number> {
  const children = childrenOf(spans);
  const out = new Map<string, number>();
  for (const s of spans) {
    const dur = s.endNs > s.startNs ? s.endNs - s.startNs : 0n;
    const kids = children.get(s.spanId) ?? [];
    const intervals: [bigint, bigint][] = [];
    for (const k of kids) {
      const lo = k.startNs > s.startNs ? k.startNs : s.startNs;
      const hi = k.endNs < s.endNs ? k.endNs : s.endNs;
      if (hi > lo) intervals.push([lo, hi]);
    }
    intervals.sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0));
    let covered = 0n;
    let curLo = 0n;
    let curHi = -1n;
    for (const [lo, hi] of intervals) {
      if (curHi < curLo || lo > curHi) {
        if (curHi > curLo) covered += curHi - curLo;
        curLo = lo;
        curHi = hi;
      } else if (hi > curHi) {
        curHi = hi;
      }
    }
    if (curHi > curLo) covered += curHi - curLo;
    out.set(s.spanId, Number(dur - covered));
  }
  return out;
}

/** Children by parent span id; a span whose parent is itself is nobody's child. */
function childrenOf(spans: readonly CompareSpan[]): Map<string, CompareSpan[]> {
  const ids = new Set(spans.map((s) => s.spanId));
  const children = new Map<string, CompareSpan[]>();
  for (const s of spans) {
    if (s.parentSpanId === '' || s.parentSpanId === s.spanId || !ids.has(s.parentSpanId)) continue;
    const list = children.get(s.parentSpanId);
    if (list) list.push(s);
    else children.set(s.parentSpanId, [s]);
  }
  return children;
}

const byStart = (a: CompareSpan, b: CompareSpan) =>
  a.startNs < b.startNs ? -1 : a.startNs > b.startNs ? 1 : a.spanId < b.spanId ? -1 : a.spanId > b.spanId ? 1 : 0;

/**
 * The spans of one trace folded by path. Spans whose parent is missing
 * (orphans) start a path of their own; a parent cycle is cut where it closes.
 * Keyed by the path text; in order of first appearance (depth first, by start).
 */
export function pathAggregates(spans: readonly CompareSpan[]): Map<string, PathAggregate> {
  const sorted = [...spans].sort(byStart);
  const byId = new Map<string, CompareSpan>();
  for (const s of sorted) if (!byId.has(s.spanId)) byId.set(s.spanId, s);
  const self = selfTimesNs([...byId.values()]);
  const paths = new Map<string, { path: string; depth: number }>();
  const pathOf = (s: CompareSpan): { path: string; depth: number } => {
    const known = paths.get(s.spanId);
    if (known) return known;
    // Walk up to the first span whose path is known, or to a root / orphan.
    const chain: CompareSpan[] = [];
    const seen = new Set<string>();
    let cur: CompareSpan | undefined = s;
    let base: { path: string; depth: number } | undefined;
    while (cur && !seen.has(cur.spanId)) {
      const k = paths.get(cur.spanId);
      if (k) {
        base = k;
        break;
      }
      seen.add(cur.spanId);
      chain.push(cur);
      cur = cur.parentSpanId === '' ? undefined : byId.get(cur.parentSpanId);
    }
    for (let i = chain.length - 1; i >= 0; i--) {
      const c = chain[i]!;
      const seg = segmentOf(c.service, c.name);
      base = base ? { path: base.path + PATH_SEPARATOR + seg, depth: base.depth + 1 } : { path: seg, depth: 0 };
      paths.set(c.spanId, base);
    }
    return base!;
  };
  const out = new Map<string, PathAggregate>();
  for (const s of byId.values()) {
    const { path, depth } = pathOf(s);
    let agg = out.get(path);
    if (!agg) {
      agg = { path, depth, service: s.service, name: s.name, count: 0, durationNs: 0, selfNs: 0, errorCount: 0, spanIds: [] };
      out.set(path, agg);
    }
    agg.count++;
    agg.durationNs += Number(s.endNs > s.startNs ? s.endNs - s.startNs : 0n);
    agg.selfNs += self.get(s.spanId) ?? 0;
    if (s.statusCode === StatusCode.ERROR) agg.errorCount++;
    if (agg.spanIds.length < SPAN_IDS_PER_ROW) agg.spanIds.push(s.spanId);
  }
  return out;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const v = [...values].sort((a, b) => a - b);
  const mid = v.length >> 1;
  return v.length % 2 === 1 ? v[mid]! : (v[mid - 1]! + v[mid]!) / 2;
}

/** A baseline path: medians (per trace, over the traces that have the path) of a trace's aggregate, without span ids. */
export interface BaselineAggregate extends Omit<PathAggregate, 'spanIds'> {
  /** Share (0..1) of the baseline traces that have the path. */
  presence: number;
  /** How many baseline traces have the path. */
  traceCount: number;
}

export function aggregateBaseline(traces: readonly Map<string, PathAggregate>[]): Map<string, BaselineAggregate> {
  const groups = new Map<string, PathAggregate[]>();
  for (const t of traces) {
    for (const agg of t.values()) {
      const g = groups.get(agg.path);
      if (g) g.push(agg);
      else groups.set(agg.path, [agg]);
    }
  }
  const out = new Map<string, BaselineAggregate>();
  for (const [path, g] of groups) {
    const first = g[0]!;
    out.set(path, {
      path,
      depth: first.depth,
      service: first.service,
      name: first.name,
      count: median(g.map((x) => x.count)),
      durationNs: median(g.map((x) => x.durationNs)),
      selfNs: median(g.map((x) => x.selfNs)),
      errorCount: median(g.map((x) => x.errorCount)),
      presence: traces.length === 0 ? 0 : g.length / traces.length,
      traceCount: g.length,
    });
  }
  return out;
}

export interface RowSide {
  count: number;
  durationMs: number;
  selfMs: number;
  errorCount: number;
  spanIds?: string[];
  presence?: number;
}

export interface CompareRow {
  path: string;
  depth: number;
  service: string;
  name: string;
  in: 'both' | 'only-a' | 'only-b';
  a: (RowSide & { spanIds: string[] }) | null;
  b: RowSide | null;
  diffDurationMs: number;
  diffSelfMs: number;
  impact: number;
}

const ms = (ns: number) => ns / NS_PER_MS;

function sideOf(x: PathAggregate | BaselineAggregate): RowSide {
  const side: RowSide = { count: x.count, durationMs: ms(x.durationNs), selfMs: ms(x.selfNs), errorCount: x.errorCount };
  if ('spanIds' in x) side.spanIds = x.spanIds;
  if ('presence' in x) side.presence = x.presence;
  return side;
}

/**
 * The rows of a comparison: one per path in either side, diff = a − b
 * (a missing side counts as 0), impact = |diffSelfMs| plus, for a path on
 * one side only, its duration. Sorted by impact (largest first), then path.
 */
export function diffRows(a: Map<string, PathAggregate>, b: Map<string, PathAggregate | BaselineAggregate>): CompareRow[] {
  const rows: CompareRow[] = [];
  const paths = new Set([...a.keys(), ...b.keys()]);
  for (const path of paths) {
    const x = a.get(path);
    const y = b.get(path);
    const ref = (x ?? y)!;
    const sa = x ? (sideOf(x) as RowSide & { spanIds: string[] }) : null;
    const sb = y ? sideOf(y) : null;
    const inWhich = sa && sb ? 'both' : sa ? 'only-a' : 'only-b';
    const diffDurationMs = (sa?.durationMs ?? 0) - (sb?.durationMs ?? 0);
    const diffSelfMs = (sa?.selfMs ?? 0) - (sb?.selfMs ?? 0);
    const impact = Math.abs(diffSelfMs) + (inWhich === 'both' ? 0 : (sa ?? sb)!.durationMs);
    rows.push({ path, depth: ref.depth, service: ref.service, name: ref.name, in: inWhich, a: sa, b: sb, diffDurationMs, diffSelfMs, impact });
  }
  return rows.sort((p, q) => q.impact - p.impact || (p.path < q.path ? -1 : p.path > q.path ? 1 : 0));
}

/** What the other side is, for the sentence. */
export type Against = { kind: 'trace' } | { kind: 'baseline'; traceCount: number };

/** One sentence naming the biggest difference (the first row). */
export function summarize(rows: readonly CompareRow[], against: Against): string {
  const top = rows[0];
  const baseline = against.kind === 'baseline';
  const others = baseline ? `${against.traceCount} baseline trace${against.traceCount === 1 ? '' : 's'}` : '';
  if (!top || top.impact === 0) {
    return baseline
      ? `This trace has the same span paths as the ${others}, with no difference in time.`
      : 'Both traces have the same span paths, with no difference in time.';
  }
  const label = segmentOf(top.service, top.name);
  const times = (n: number) => (n > 1 ? ` × ${Math.round(n * 10) / 10}` : '');
  if (top.in === 'only-a') {
    const a = top.a!;
    const verb = a.errorCount > 0 ? 'failed' : 'ran';
    const where = baseline ? `none of the ${others} has it` : 'trace b does not have it';
    return `${label} ${verb} only in this trace (${formatMs(a.durationMs)}${times(a.count)}); ${where}.`;
  }
  if (top.in === 'only-b') {
    const b = top.b!;
    const verb = b.errorCount > 0 ? 'failed' : 'ran';
    if (baseline) {
      const share = Math.round((b.presence ?? 1) * 100);
      return `${label} ${verb} in ${share} % of the ${others} (median ${formatMs(b.durationMs)}${times(b.count)}) but not in this trace.`;
    }
    return `${label} ${verb} only in trace b (${formatMs(b.durationMs)}${times(b.count)}), not in this trace.`;
  }
  const a = top.a!;
  const b = top.b!;
  // Ranked by self time; say durations when they tell the same story, else self times.
  const useDuration = Math.sign(top.diffDurationMs) === Math.sign(top.diffSelfMs) && Math.abs(top.diffDurationMs) >= Math.abs(top.diffSelfMs);
  const diff = useDuration ? top.diffDurationMs : top.diffSelfMs;
  const [va, vb] = useDuration ? [a.durationMs, b.durationMs] : [a.selfMs, b.selfMs];
  const what = useDuration ? 'took' : 'spent';
  const more = useDuration ? (diff > 0 ? 'longer' : 'less') : diff > 0 ? 'more in itself' : 'less in itself';
  const vs = baseline ? `vs a median of ${formatMs(vb)} over ${others}` : `vs ${formatMs(vb)} in trace b`;
  const counts = a.count !== b.count ? `; ${fmtCount(a.count)} vs ${fmtCount(b.count)} spans` : '';
  return `${label} ${what} ${formatMs(Math.abs(diff))} ${more} in this trace (${formatMs(va)} ${vs}${counts}).`;
}

const fmtCount = (n: number) => String(Math.round(n * 10) / 10);

/** A trace as the answer's `a` / `b` names it. */
export interface TraceInfo {
  traceId: string;
  rootService: string;
  rootName: string;
  /** Start of the root span (the earliest span without a parent), else of the earliest span. */
  rootStartNs: bigint;
  durationMs: number;
  spanCount: number;
  error: boolean;
}

export function traceInfo(traceId: string, spans: readonly CompareSpan[]): TraceInfo {
  let root: CompareSpan | undefined;
  let min: bigint | undefined;
  let max: bigint | undefined;
  let error = false;
  for (const s of spans) {
    if (s.parentSpanId === '' && (!root || byStart(s, root) < 0)) root = s;
    if (min === undefined || s.startNs < min) min = s.startNs;
    if (max === undefined || s.endNs > max) max = s.endNs;
    if (s.statusCode === StatusCode.ERROR) error = true;
  }
  return {
    traceId,
    rootService: root?.service ?? '',
    rootName: root?.name ?? '',
    rootStartNs: root?.startNs ?? min ?? 0n,
    durationMs: min === undefined || max === undefined ? 0 : Number(max - min) / NS_PER_MS,
    spanCount: spans.length,
    error,
  };
}

export function traceInfoJson(t: TraceInfo) {
  return { traceId: t.traceId, rootService: t.rootService, rootName: t.rootName, durationMs: t.durationMs, spanCount: t.spanCount, error: t.error };
}

/** a against another trace. */
export function compareTraces(a: readonly CompareSpan[], b: readonly CompareSpan[]) {
  const rows = diffRows(pathAggregates(a), pathAggregates(b));
  return { rows, summary: summarize(rows, { kind: 'trace' }) };
}

/** a against the baseline traces' medians. */
export function compareWithBaseline(a: readonly CompareSpan[], baseline: readonly (readonly CompareSpan[])[]) {
  const rows = diffRows(pathAggregates(a), aggregateBaseline(baseline.map((t) => pathAggregates(t))));
  return { rows, summary: summarize(rows, { kind: 'baseline', traceCount: baseline.length }) };
}
