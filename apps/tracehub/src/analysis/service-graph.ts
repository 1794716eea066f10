/**
 * The service map (pure): the store's rows → nodes and edges with rates.
 *
 * - Service nodes: every service with spans in the window; kind `browser`
 *   when its resource says `telemetry.sdk.language = webjs` (the OpenTelemetry
 *   web SDK). Their `calls` are the requests they handled (SERVER/CONSUMER
 *   spans and root spans).
 * - Call edges: a span whose child span is in another service.
 * - Peer nodes and edges: a CLIENT or PRODUCER span with no child span in
 *   another service called something uninstrumented. It is named by
 *   {@link peerOf}; spans it cannot name are left out.
 * - Edge durations are the caller side's: the CLIENT span when the caller has
 *   one, else the callee's span (e.g. a SERVER span under an INTERNAL one).
 *   A call failed when the caller's CLIENT/PRODUCER span has status ERROR,
 *   or the callee's part of it does: the callee span or a span the callee
 *   service ran under it (before calling another service), not counting the
 *   callee's own failed CLIENT/PRODUCER calls (they count on their edges).
 *   A timeout often shows only there: the SERVER span answered, its handler
 *   was aborted.
 *   A service node's `errors` are the handled requests that failed so.
 */
import { EDGE_KINDS, NODE_KINDS } from '@tracelab/api-contract';
import type { GraphCallStats, PeerAttributes, PeerCallRow, ServiceGraphRows } from '../store/types.js';

export { EDGE_KINDS, NODE_KINDS };
export type NodeKind = (typeof NODE_KINDS)[number];
export type EdgeKind = (typeof EDGE_KINDS)[number];

export interface GraphNode {
  /** Service nodes: the service name. Databases: `db:<system>` or `db:<system>/<namespace>`. Other peers: `peer:<name>`. */
  id: string;
  name: string;
  kind: NodeKind;
  /** Services: requests handled; peers: calls received. */
  calls: number;
  errors: number;
  /** Services: spans in the window. */
  spans?: number;
  /** Databases: db.system.name (or db.system). */
  system?: string;
}

export interface GraphEdge {
  source: string;
  target: string;
  kind: EdgeKind;
  calls: number;
  errors: number;
  callsPerSec: number;
  errorRate: number;
  p50Ms: number;
  p95Ms: number;
  /** A trace of a failed call when there is one, else of the slowest call. */
  exemplar?: { traceId: string };
}

export interface ServiceGraph {
  nodes: GraphNode[];
  edges: GraphEdge[];
}

export interface PeerNode {
  id: string;
  name: string;
  kind: 'database' | 'peer';
  system?: string;
}

const present = (v: string | null): v is string => v !== null && v !== '';

/**
 * What an uninstrumented callee is, from its caller span's attributes:
 * with `db.system.name` (or the older `db.system`) a database, named by
 * `db.namespace` (or `db.name`) when set, else by the system; otherwise a peer
 * named by `peer.service`, else by `server.address` (with `:server.port`);
 * otherwise null (not shown).
 */
export function peerOf(a: PeerAttributes): PeerNode | null {
  const system = [a.dbSystemName, a.dbSystem].find(present);
  if (system) {
    const ns = [a.dbNamespace, a.dbName].find(present);
    return ns ? { id: `db:${system}/${ns}`, name: ns, kind: 'database', system } : { id: `db:${system}`, name: system, kind: 'database', system };
  }
  if (present(a.peerService)) return { id: `peer:${a.peerService}`, name: a.peerService, kind: 'peer' };
  if (present(a.serverAddress)) {
    const name = present(a.serverPort) ? `${a.serverAddress}:${a.serverPort}` : a.serverAddress;
    return { id: `peer:${name}`, name, kind: 'peer' };
  }
  return null;
}

/** True for the ids peerOf gives (services are named as they are). */
export function isPeerId(id: string): boolean {
  return id.startsWith('db:') || id.startsWith('peer:');
}

/** The peer attribute combinations of `source`'s calls that name the peer `targetId`. */
export function peerAttributesFor(rows: readonly PeerCallRow[], source: string, targetId: string): PeerAttributes[] {
  return rows.filter((r) => r.source === source && peerOf(r.peer)?.id === targetId).map((r) => r.peer);
}

/** An edge being summed up: the store's call statistics of it, and which edge it is. */
interface Acc extends GraphCallStats {
  source: string;
  target: string;
  kind: EdgeKind;
}

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Nodes and edges for the window [startNs, endNs]. When several attribute
 * combinations name the same peer (e.g. one database reached at two
 * addresses), their calls and errors add up and p50/p95 are the largest of
 * theirs (an upper bound; exact in the usual case of one combination).
 */
export function buildServiceGraph(rows: ServiceGraphRows, startNs: bigint, endNs: bigint): ServiceGraph {
  const seconds = Math.max(Number(endNs - startNs) / 1e9, 1e-9);
  const nodes = new Map<string, GraphNode>();
  for (const r of rows.services) {
    nodes.set(r.service, { id: r.service, name: r.service, kind: r.browser ? 'browser' : 'service', calls: r.calls, errors: r.errors, spans: r.spans });
  }
  const serviceNode = (name: string) => {
    if (!nodes.has(name)) nodes.set(name, { id: name, name, kind: 'service', calls: 0, errors: 0, spans: 0 });
  };

  const edges = new Map<string, Acc>();
  const add = (source: string, target: string, kind: EdgeKind, r: Omit<Acc, 'source' | 'target' | 'kind'>) => {
    const key = `${source}\u0000${target}`;
    const e = edges.get(key);
    if (!e) {
      edges.set(key, { source, target, kind, calls: r.calls, errors: r.errors, p50Ns: r.p50Ns, p95Ns: r.p95Ns, errorTraceId: r.errorTraceId, slowestTraceId: r.slowestTraceId });
      return;
    }
    e.calls += r.calls;
    e.errors += r.errors;
    e.p50Ns = Math.max(e.p50Ns, r.p50Ns);
    if (r.p95Ns > e.p95Ns) {
      e.p95Ns = r.p95Ns;
      e.slowestTraceId = r.slowestTraceId ?? e.slowestTraceId;
    }
    e.errorTraceId ??= r.errorTraceId;
  };

  for (const r of rows.serviceCalls) {
    serviceNode(r.source);
    serviceNode(r.target);
    add(r.source, r.target, 'call', r);
  }
  for (const r of rows.peerCalls) {
    const peer = peerOf(r.peer);
    if (!peer) continue;
    serviceNode(r.source);
    let node = nodes.get(peer.id);
    if (!node) {
      node = { id: peer.id, name: peer.name, kind: peer.kind, calls: 0, errors: 0, ...(peer.system ? { system: peer.system } : {}) };
      nodes.set(peer.id, node);
    }
    node.calls += r.calls;
    node.errors += r.errors;
    add(r.source, peer.id, peer.kind === 'database' ? 'database' : 'peer', r);
  }

  return {
    nodes: [...nodes.values()].sort((a, b) => byText(a.id, b.id)),
    edges: [...edges.values()]
      .sort((a, b) => byText(a.source, b.source) || byText(a.target, b.target))
      .map((e) => {
        const traceId = e.errorTraceId ?? e.slowestTraceId;
        return {
          source: e.source,
          target: e.target,
          kind: e.kind,
          calls: e.calls,
          errors: e.errors,
          callsPerSec: e.calls / seconds,
          errorRate: e.calls > 0 ? e.errors / e.calls : 0,
          p50Ms: e.p50Ns / 1e6,
          p95Ms: e.p95Ns / 1e6,
          ...(traceId ? { exemplar: { traceId } } : {}),
        };
      }),
  };
}
