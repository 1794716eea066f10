import { describe, expect, it } from 'vitest';
import { edgeLabel, formatErrorRate, formatRate, layoutServiceMap, nodeStats, type MapEdge, type MapNode, type ServiceMap } from './serviceMap';

const node = (id: string, kind: MapNode['kind'] = 'service', extra: Partial<MapNode> = {}): MapNode => ({ id, name: id, kind, calls: 1, errors: 0, ...extra });
const edge = (source: string, target: string, extra: Partial<MapEdge> = {}): MapEdge => ({
  source,
  target,
  kind: 'call',
  calls: 1,
  errors: 0,
  callsPerSec: 1,
  errorRate: 0,
  p95Ms: 1,
  ...extra,
});

describe('layoutServiceMap', () => {
  it('puts callers left of callees, databases after the services calling them', () => {
    const map: ServiceMap = {
      nodes: [node('db:postgresql', 'database'), node('order-service'), node('payment-service'), node('web', 'browser')],
      edges: [edge('web', 'order-service'), edge('order-service', 'payment-service'), edge('order-service', 'db:postgresql', { kind: 'database' })],
    };
    const layer = Object.fromEntries(layoutServiceMap(map).map((p) => [p.id, p.layer]));
    expect(layer).toEqual({ web: 0, 'order-service': 1, 'payment-service': 2, 'db:postgresql': 2 });
    const rows = layoutServiceMap(map).filter((p) => p.layer === 2).map((p) => p.row);
    expect(rows.sort()).toEqual([0, 1]);
  });

  it('survives cycles and edges to unknown nodes', () => {
    const placed = layoutServiceMap({ nodes: [node('A'), node('B')], edges: [edge('A', 'B'), edge('B', 'A'), edge('A', 'gone')] });
    expect(placed).toHaveLength(2);
    expect(Math.max(...placed.map((p) => p.layer))).toBeLessThan(2);
  });
});

describe('labels', () => {
  it('formats rates from a trickle to a flood', () => {
    expect(formatRate(0)).toBe('0/s');
    expect(formatRate(250)).toBe('250/s');
    expect(formatRate(2.345)).toBe('2.3/s');
    expect(formatRate(0.05)).toBe('0.05/s');
    expect(formatRate(1 / 600)).toBe('0.10/min');
    expect(formatErrorRate(0.25)).toBe('25.0%');
    expect(formatErrorRate(0.0004)).toBe('0.04%');
  });

  it('says rate, error rate and p95 on an edge, and what a node is', () => {
    expect(edgeLabel(edge('a', 'b', { callsPerSec: 2, errorRate: 0.5, p95Ms: 12 }))).toMatch(/^2\.0\/s · 50\.0% err · p95 12/);
    expect(nodeStats(node('db:pg/shop', 'database', { name: 'shop', system: 'postgresql', calls: 7 }))).toBe('postgresql · 7 queries');
    expect(nodeStats(node('postgresql', 'database', { system: 'postgresql', calls: 1 }))).toBe('database · 1 query');
    expect(nodeStats(node('peer:x', 'peer', { calls: 2, errors: 1 }))).toBe('not instrumented · 2 calls · 1 failed');
    expect(nodeStats(node('web', 'browser', { spans: 4 }))).toBe('browser · 4 spans');
    expect(nodeStats(node('svc', 'service', { calls: 3 }))).toBe('3 requests');
  });
});
