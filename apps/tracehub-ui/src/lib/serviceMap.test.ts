import { describe, expect, it } from 'vitest';
import { buildServiceMap, layoutServiceMap, percentile } from './serviceMap';
import { span } from './testSpans';

// order-service GET /order → check-stock (same service, no edge)
//                          → call-payment-api → payment-service process-payment
function orderTrace(paymentMs: number, paymentError: boolean) {
  return [
    span('root', null, 0, 1000, { service: 'order-service' }),
    span('stock', 'root', 10, 100, { service: 'order-service' }),
    span('call', 'root', 200, paymentMs * 1000 + 100, { service: 'order-service', kind: 'client' }),
    span('pay', 'call', 210, paymentMs * 1000, {
      service: 'payment-service',
      kind: 'server',
      status: { code: paymentError ? 'error' : 'unset', message: '' },
    }),
    span('db', 'pay', 220, 50, { service: 'postgres' }),
  ];
}

describe('buildServiceMap', () => {
  it('counts cross-service calls with error rate and p95 per edge', () => {
    const traces = Array.from({ length: 20 }, (_, i) => orderTrace(i + 1, i % 4 === 0));
    const map = buildServiceMap(traces);
    expect(map.nodes.map((n) => n.name)).toEqual(['order-service', 'payment-service', 'postgres']);
    expect(map.nodes[1]).toEqual({ name: 'payment-service', spanCount: 20, errorCount: 5 });
    expect(map.edges).toHaveLength(2);
    const pay = map.edges.find((e) => e.to === 'payment-service')!;
    expect(pay).toMatchObject({ from: 'order-service', requests: 20, errors: 5, errorRate: 0.25, p95Ms: 19 });
    const db = map.edges.find((e) => e.to === 'postgres')!;
    expect(db).toMatchObject({ from: 'payment-service', requests: 20, errors: 0, errorRate: 0 });
  });

  it('ignores spans whose parent is missing', () => {
    const map = buildServiceMap([[span('a', 'missing', 0, 1, { service: 'x' })]]);
    expect(map.edges).toEqual([]);
    expect(map.nodes).toHaveLength(1);
  });

  it('counts a call as failed when only the caller client span is ERROR (a timeout)', () => {
    const map = buildServiceMap([
      [
        span('call', null, 0, 2000, { service: 'order-service', kind: 'client', status: { code: 'error', message: 'timeout' } }),
        span('pay', 'call', 1, 1999, { service: 'payment-service', kind: 'server' }),
      ],
      [
        span('root', null, 0, 10, { service: 'order-service', kind: 'server', status: { code: 'error', message: '' } }),
        span('pay2', 'root', 1, 5, { service: 'payment-service', kind: 'server' }),
      ],
    ]);
    // The second call's parent is a server span that failed for its own reasons: not counted.
    expect(map.edges[0]).toMatchObject({ requests: 2, errors: 1, errorRate: 0.5 });
  });
});

describe('percentile', () => {
  it('uses nearest rank', () => {
    expect(percentile([5, 1, 3, 2, 4], 0.95)).toBe(5);
    expect(percentile([1, 2, 3, 4], 0.5)).toBe(2);
    expect(percentile([], 0.95)).toBeNaN();
  });
});

describe('layoutServiceMap', () => {
  it('puts callers left of callees and survives cycles', () => {
    const map = buildServiceMap([orderTrace(1, false)]);
    const placed = layoutServiceMap(map);
    const layer = Object.fromEntries(placed.map((p) => [p.name, p.layer]));
    expect(layer).toEqual({ 'order-service': 0, 'payment-service': 1, postgres: 2 });
    const cyclic = buildServiceMap([
      [span('a', null, 0, 10, { service: 'A' }), span('b', 'a', 1, 5, { service: 'B' }), span('c', 'b', 2, 1, { service: 'A' })],
    ]);
    expect(layoutServiceMap(cyclic)).toHaveLength(2);
  });
});
