import { describe, expect, it } from 'vitest';
import { buildSpanTree } from './spanTree';
import { span } from './testSpans';
import { sortStats, traceStats } from './traceStats';
import type { SpanData } from './types';

const text = (sql: string): Partial<SpanData> => ({
  kind: 'client',
  service: 'order-service',
  name: 'pg.query',
  attributes: [
    { key: 'db.system.name', value: { type: 'string', value: 'postgresql' } },
    { key: 'db.query.text', value: { type: 'string', value: sql } },
  ],
});

//  root  [0 ............................................ 1000]   order-service GET /order
//    handler [10 ........................................ 900]  order-service handler
//      30 × SELECT * FROM stock WHERE id = <k>, 20 µs each, every 25 µs from 20
//      charge [800 ... 880] payment-service (error)
//    audit [950 ... 1100] (outlives the root: only 950-1000 counts against the root's self time)
function nPlusOneTrace() {
  const spans = [
    span('root', null, 0, 1000, { service: 'order-service', name: 'GET /order' }),
    span('handler', 'root', 10, 890, { service: 'order-service', name: 'handler' }),
  ];
  for (let k = 0; k < 30; k++) spans.push(span(`q${k}`, 'handler', 20 + 25 * k, 20 + (k === 29 ? 10 : 0), text(`SELECT * FROM stock WHERE id = ${k * 7}`)));
  spans.push(span('charge', 'handler', 800, 80, { service: 'payment-service', name: 'charge', status: { code: 'error', message: 'declined' } }));
  spans.push(span('audit', 'root', 950, 150, { service: 'order-service', name: 'audit' }));
  return buildSpanTree(spans);
}

describe('traceStats', () => {
  it('groups an N+1 of 30 statements with different literals into one row with its count and total', () => {
    const rows = traceStats(nPlusOneTrace());
    const q = rows.find((r) => r.statement)!;
    expect(q).toMatchObject({
      service: 'order-service',
      name: 'SELECT * FROM stock WHERE id = ?',
      count: 30,
      totalUs: 30 * 20 + 10,
      selfUs: 610,
      maxUs: 30,
      errorCount: 0,
    });
    expect(q.avgUs).toBeCloseTo(610 / 30);
    expect(q.spans).toHaveLength(30);
    expect(rows.filter((r) => r.statement)).toHaveLength(1);
  });

  it('has per service + operation count, total, self, avg, max and errors, largest total first', () => {
    const rows = traceStats(nPlusOneTrace());
    expect(rows.map((r) => [r.service, r.name, r.count, r.totalUs, r.selfUs, r.maxUs, r.errorCount])).toEqual([
      ['order-service', 'GET /order', 1, 1000, 1000 - 890 - 50, 1000, 0],
      ['order-service', 'handler', 1, 890, 890 - 610 - 80, 890, 0],
      ['order-service', 'SELECT * FROM stock WHERE id = ?', 30, 610, 610, 30, 0],
      ['order-service', 'audit', 1, 150, 150, 150, 0],
      ['payment-service', 'charge', 1, 80, 80, 80, 1],
    ]);
  });

  it('groups same-named spans of one service and keeps other services apart', () => {
    const tree = buildSpanTree([
      span('a', null, 0, 100, { service: 'web', name: 'GET' }),
      span('b', 'a', 0, 10, { service: 'web', name: 'render' }),
      span('c', 'a', 20, 30, { service: 'web', name: 'render' }),
      span('d', 'a', 60, 5, { service: 'api', name: 'render' }),
    ]);
    const rows = traceStats(tree);
    expect(rows.map((r) => [r.service, r.name, r.count, r.totalUs, r.avgUs])).toEqual([
      ['web', 'GET', 1, 100, 100],
      ['web', 'render', 2, 40, 20],
      ['api', 'render', 1, 5, 5],
    ]);
    expect(rows[1]!.spans.map((i) => tree.spans[i]!.spanId)).toEqual(['b', 'c']);
  });
});

describe('sortStats', () => {
  const rows = traceStats(nPlusOneTrace());
  it('sorts by each column both ways', () => {
    expect(sortStats(rows, 'count', 'desc').map((r) => r.count)).toEqual([30, 1, 1, 1, 1]);
    expect(sortStats(rows, 'errorCount', 'desc')[0]!.name).toBe('charge');
    expect(sortStats(rows, 'selfUs', 'asc').map((r) => r.selfUs)).toEqual([60, 80, 150, 200, 610]);
    expect(sortStats(rows, 'maxUs', 'asc').map((r) => r.maxUs)).toEqual([30, 80, 150, 890, 1000]);
    expect(sortStats(rows, 'avgUs', 'desc').map((r) => r.name)).toEqual(['GET /order', 'handler', 'audit', 'charge', 'SELECT * FROM stock WHERE id = ?']);
    expect(sortStats(rows, 'service', 'desc')[0]!.service).toBe('payment-service');
    expect(sortStats(rows, 'name', 'asc').map((r) => r.name)).toEqual(['audit', 'charge', 'GET /order', 'handler', 'SELECT * FROM stock WHERE id = ?']);
  });
});
