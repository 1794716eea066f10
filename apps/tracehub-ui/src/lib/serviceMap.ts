// The service map as the server computes it (/api/v1/dependencies), and its
// layout and labels (pure).
import { formatMs, formatRate } from './format';

export { formatRate };

export type MapNodeKind = 'service' | 'database' | 'peer' | 'browser';
export type MapEdgeKind = 'call' | 'database' | 'peer';

export interface MapNode {
  /** Services: the service name; databases `db:…`; other peers `peer:…`. */
  id: string;
  name: string;
  kind: MapNodeKind;
  /** Services: requests handled; peers: calls received. */
  calls: number;
  errors: number;
  spans?: number;
  /** Databases: db.system.name. */
  system?: string;
}

export interface MapEdge {
  source: string;
  target: string;
  kind: MapEdgeKind;
  calls: number;
  errors: number;
  callsPerSec: number;
  errorRate: number;
  p50Ms?: number;
  /** Of the caller side's duration (the CLIENT span, else the callee's span). */
  p95Ms: number;
  exemplarTraceId?: string;
}

export interface ServiceMap {
  nodes: MapNode[];
  edges: MapEdge[];
}

export interface PlacedNode {
  id: string;
  layer: number;
  row: number;
}

/**
 * Layered layout: callers left of callees. A node's layer is its longest call
 * chain from a node nobody calls; cycles are cut by bounding the relaxation
 * rounds by the node count.
 */
export function layoutServiceMap(map: ServiceMap): PlacedNode[] {
  const layer = new Map<string, number>();
  for (const n of map.nodes) layer.set(n.id, 0);
  for (let round = 0; round < map.nodes.length; round++) {
    let changed = false;
    for (const e of map.edges) {
      if (e.source === e.target || !layer.has(e.source) || !layer.has(e.target)) continue;
      const want = layer.get(e.source)! + 1;
      if (want > layer.get(e.target)! && want < map.nodes.length) {
        layer.set(e.target, want);
        changed = true;
      }
    }
    if (!changed) break;
  }
  const rows = new Map<number, number>();
  return map.nodes.map((n) => {
    const l = layer.get(n.id) ?? 0;
    const r = rows.get(l) ?? 0;
    rows.set(l, r + 1);
    return { id: n.id, layer: l, row: r };
  });
}


export function formatErrorRate(rate: number): string {
  return `${(rate * 100).toFixed(rate > 0 && rate < 0.001 ? 2 : 1)}%`;
}

/** An edge's label on the map: rate, error rate, p95. */
export function edgeLabel(e: MapEdge): string {
  return `${formatRate(e.callsPerSec)} · ${formatErrorRate(e.errorRate)} err · p95 ${formatMs(e.p95Ms)}`;
}

/** A node's second line: what it handled. */
export function nodeStats(n: MapNode): string {
  const errors = n.errors ? ` · ${n.errors} failed` : '';
  if (n.kind === 'database') return `${n.system && n.system !== n.name ? n.system : 'database'} · ${n.calls} ${n.calls === 1 ? 'query' : 'queries'}${errors}`;
  if (n.kind === 'peer') return `not instrumented · ${n.calls} calls${errors}`;
  if (n.kind === 'browser') return `browser · ${n.spans ?? 0} spans${errors}`;
  return `${n.calls} requests${errors}`;
}
