import type { SpanData } from './types';

export interface ServiceNode {
  name: string;
  spanCount: number;
  errorCount: number;
}

export interface ServiceEdge {
  from: string;
  to: string;
  /** Child spans whose parent is in the `from` service: one per call. */
  requests: number;
  errors: number;
  errorRate: number;
  /** 95th percentile (nearest rank) of the callee span durations, in ms. */
  p95Ms: number;
}

export interface ServiceMap {
  nodes: ServiceNode[];
  edges: ServiceEdge[];
  traceCount: number;
}

/**
 * Services and the calls between them, from the parent/child relations of
 * spans that cross a service boundary. A call is counted on the callee side
 * (the child span), whose duration says how long the call took; it failed
 * if the callee span or the caller's client span has status ERROR.
 */
export function buildServiceMap(traces: readonly (readonly SpanData[])[]): ServiceMap {
  const nodes = new Map<string, ServiceNode>();
  const edgeDurations = new Map<string, { from: string; to: string; durations: number[]; errors: number }>();
  for (const spans of traces) {
    const byId = new Map<string, SpanData>();
    for (const s of spans) if (!byId.has(s.spanId)) byId.set(s.spanId, s);
    for (const s of spans) {
      let node = nodes.get(s.service);
      if (!node) nodes.set(s.service, (node = { name: s.service, spanCount: 0, errorCount: 0 }));
      node.spanCount++;
      const isError = s.status.code === 'error';
      if (isError) node.errorCount++;
      const p = s.parentSpanId === null ? undefined : byId.get(s.parentSpanId);
      if (!p || p.service === s.service) continue;
      const key = `${p.service}\u0000${s.service}`;
      let e = edgeDurations.get(key);
      if (!e) edgeDurations.set(key, (e = { from: p.service, to: s.service, durations: [], errors: 0 }));
      e.durations.push(s.durationUs / 1000);
      // A call failed if the callee says so, or if the caller's client span
      // does (a timeout is often only visible on the caller's side).
      const callerFailed = (p.kind === 'client' || p.kind === 'producer') && p.status.code === 'error';
      if (isError || callerFailed) e.errors++;
    }
  }
  const edges: ServiceEdge[] = [...edgeDurations.values()].map((e) => ({
    from: e.from,
    to: e.to,
    requests: e.durations.length,
    errors: e.errors,
    errorRate: e.errors / e.durations.length,
    p95Ms: percentile(e.durations, 0.95),
  }));
  edges.sort((a, b) => (a.from + a.to < b.from + b.to ? -1 : 1));
  return {
    nodes: [...nodes.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
    edges,
    traceCount: traces.length,
  };
}

/** Nearest-rank percentile; q in (0, 1]. */
export function percentile(values: readonly number[], q: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil(q * sorted.length));
  return sorted[rank - 1]!;
}

export interface PlacedNode {
  name: string;
  layer: number;
  row: number;
}

/**
 * Layered layout: callers left of callees. A node's layer is its longest call
 * chain from a service nobody calls; cycles are cut by visiting each edge once.
 */
export function layoutServiceMap(map: ServiceMap): PlacedNode[] {
  const layer = new Map<string, number>();
  for (const n of map.nodes) layer.set(n.name, 0);
  // Bellman-Ford style relaxation bounded by the node count so cycles terminate.
  for (let round = 0; round < map.nodes.length; round++) {
    let changed = false;
    for (const e of map.edges) {
      if (e.from === e.to) continue;
      const want = (layer.get(e.from) ?? 0) + 1;
      if (want > (layer.get(e.to) ?? 0) && want < map.nodes.length) {
        layer.set(e.to, want);
        changed = true;
      }
    }
    if (!changed) break;
  }
  const rows = new Map<number, number>();
  return map.nodes.map((n) => {
    const l = layer.get(n.name) ?? 0;
    const r = rows.get(l) ?? 0;
    rows.set(l, r + 1);
    return { name: n.name, layer: l, row: r };
  });
}
