import { describe, expect, it } from 'vitest';
import { buildServiceGraph, isPeerId, peerAttributesFor, peerOf } from '../../src/analysis/service-graph.js';
import type { PeerAttributes, PeerCallRow, ServiceCallRow, ServiceGraphRows } from '../../src/store/types.js';

const none: PeerAttributes = {
  dbSystemName: null,
  dbSystem: null,
  dbNamespace: null,
  dbName: null,
  peerService: null,
  serverAddress: null,
  serverPort: null,
};
const peer = (a: Partial<PeerAttributes>): PeerAttributes => ({ ...none, ...a });
const stats = (calls: number, errors: number, p95Ms: number, extra: Partial<ServiceCallRow> = {}) => ({
  calls,
  errors,
  p50Ns: (p95Ms / 2) * 1e6,
  p95Ns: p95Ms * 1e6,
  errorTraceId: errors > 0 ? `err-${calls}` : null,
  slowestTraceId: `slow-${calls}`,
  ...extra,
});
const MIN_NS = 60_000_000_000n;

describe('peerOf', () => {
  it('names a database by its namespace, else by its system; db.system.name before the legacy db.system', () => {
    expect(peerOf(peer({ dbSystemName: 'postgresql', dbNamespace: 'shop' }))).toEqual({ id: 'db:postgresql/shop', name: 'shop', kind: 'database', system: 'postgresql' });
    expect(peerOf(peer({ dbSystem: 'postgresql', dbName: 'legacy' }))).toMatchObject({ name: 'legacy', kind: 'database', system: 'postgresql' });
    expect(peerOf(peer({ dbSystem: 'redis' }))).toEqual({ id: 'db:redis', name: 'redis', kind: 'database', system: 'redis' });
    expect(peerOf(peer({ dbSystemName: 'mysql', dbSystem: 'other', dbNamespace: 'a', dbName: 'b' }))).toMatchObject({ name: 'a', system: 'mysql' });
    // A database wins over the address it was reached at.
    expect(peerOf(peer({ dbSystemName: 'postgresql', serverAddress: 'db.local', serverPort: '5432' }))?.kind).toBe('database');
  });

  it('names other peers by peer.service, else server.address with the port', () => {
    expect(peerOf(peer({ peerService: 'stripe', serverAddress: 'api.stripe.com' }))).toEqual({ id: 'peer:stripe', name: 'stripe', kind: 'peer' });
    expect(peerOf(peer({ serverAddress: 'api.example.com', serverPort: '443' }))).toEqual({ id: 'peer:api.example.com:443', name: 'api.example.com:443', kind: 'peer' });
    expect(peerOf(peer({ serverAddress: 'api.example.com' }))?.name).toBe('api.example.com');
  });

  it('skips spans it cannot name (empty strings count as absent)', () => {
    expect(peerOf(none)).toBeNull();
    expect(peerOf(peer({ serverPort: '80', dbSystem: '' }))).toBeNull();
  });

  it('tells peer ids from service names', () => {
    expect(isPeerId('db:postgresql')).toBe(true);
    expect(isPeerId('peer:x:1')).toBe(true);
    expect(isPeerId('order-service')).toBe(false);
  });
});

describe('buildServiceGraph', () => {
  const rows: ServiceGraphRows = {
    services: [
      { service: 'storefront-web', spans: 4, calls: 2, errors: 0, browser: true },
      { service: 'order-service', spans: 40, calls: 10, errors: 2, browser: false },
      { service: 'payment-service', spans: 9, calls: 9, errors: 1, browser: false },
    ],
    serviceCalls: [
      { source: 'order-service', target: 'payment-service', ...stats(9, 3, 500) },
      { source: 'storefront-web', target: 'order-service', ...stats(2, 0, 80) },
    ],
    peerCalls: [
      { source: 'order-service', peer: peer({ dbSystemName: 'postgresql', dbNamespace: 'shop', serverAddress: 'a' }), ...stats(20, 1, 4) },
      { source: 'order-service', peer: peer({ dbSystemName: 'postgresql', dbNamespace: 'shop', serverAddress: 'b' }), ...stats(10, 0, 6) },
      { source: 'payment-service', peer: peer({ serverAddress: 'bank.example', serverPort: '443' }), ...stats(3, 0, 30) },
      { source: 'payment-service', peer: none, ...stats(5, 0, 1) },
    ],
  };
  const graph = buildServiceGraph(rows, 0n, 15n * MIN_NS);

  it('has service, browser, database and peer nodes; unnamed peers left out', () => {
    expect(graph.nodes.map((n) => [n.id, n.kind])).toEqual([
      ['db:postgresql/shop', 'database'],
      ['order-service', 'service'],
      ['payment-service', 'service'],
      ['peer:bank.example:443', 'peer'],
      ['storefront-web', 'browser'],
    ]);
    expect(graph.nodes.find((n) => n.id === 'order-service')).toEqual({ id: 'order-service', name: 'order-service', kind: 'service', calls: 10, errors: 2, spans: 40 });
    // A peer's calls and errors are those it received.
    expect(graph.nodes[0]).toEqual({ id: 'db:postgresql/shop', name: 'shop', kind: 'database', system: 'postgresql', calls: 30, errors: 1 });
  });

  it('gives each edge its kind, rates per second of the window, error rate, p50/p95 in ms and an exemplar', () => {
    const pay = graph.edges.find((e) => e.target === 'payment-service')!;
    expect(pay).toEqual({
      source: 'order-service',
      target: 'payment-service',
      kind: 'call',
      calls: 9,
      errors: 3,
      callsPerSec: 9 / 900,
      errorRate: 3 / 9,
      p50Ms: 250,
      p95Ms: 500,
      exemplar: { traceId: 'err-9' },
    });
    const browser = graph.edges.find((e) => e.source === 'storefront-web')!;
    expect(browser).toMatchObject({ target: 'order-service', kind: 'call', errorRate: 0, exemplar: { traceId: 'slow-2' } });
    expect(graph.edges.find((e) => e.target === 'peer:bank.example:443')).toMatchObject({ source: 'payment-service', kind: 'peer', calls: 3 });
    expect(graph.edges.map((e) => `${e.source}>${e.target}`)).toEqual([
      'order-service>db:postgresql/shop',
      'order-service>payment-service',
      'payment-service>peer:bank.example:443',
      'storefront-web>order-service',
    ]);
  });

  it('merges attribute combinations that name one peer: counts add up, p95 is the largest', () => {
    const db = graph.edges.find((e) => e.kind === 'database')!;
    expect(db).toMatchObject({ calls: 30, errors: 1, errorRate: 1 / 30, p95Ms: 6, p50Ms: 3, exemplar: { traceId: 'err-20' } });
    expect(db.callsPerSec).toBeCloseTo(30 / 900);
  });

  it('adds services only seen at the far end of a call, and is empty for an empty window', () => {
    const g = buildServiceGraph({ services: [], serviceCalls: [{ source: 'a', target: 'b', ...stats(1, 0, 1) }], peerCalls: [] }, 0n, MIN_NS);
    expect(g.nodes.map((n) => n.id)).toEqual(['a', 'b']);
    expect(g.edges[0]!.callsPerSec).toBeCloseTo(1 / 60);
    expect(buildServiceGraph({ services: [], serviceCalls: [], peerCalls: [] }, 0n, 0n)).toEqual({ nodes: [], edges: [] });
  });

  it('finds the attribute combinations behind a peer id, for one caller', () => {
    const found = peerAttributesFor(rows.peerCalls as PeerCallRow[], 'order-service', 'db:postgresql/shop');
    expect(found.map((p) => p.serverAddress)).toEqual(['a', 'b']);
    expect(peerAttributesFor(rows.peerCalls, 'payment-service', 'db:postgresql/shop')).toEqual([]);
    expect(peerAttributesFor(rows.peerCalls, 'order-service', 'peer:nowhere')).toEqual([]);
  });
});
