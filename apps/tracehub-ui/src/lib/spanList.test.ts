import { describe, expect, it } from 'vitest';
import { selfTimes, spanListRows } from './spanList';
import { buildSpanTree } from './spanTree';
import { span } from './testSpans';

//  root [0 ................ 100]  web GET /cart
//    a [10 .. 30]   api load
//    b [40 ........ 90]  db SELECT (error)
//      c [50 . 60]  db fetch
const tree = buildSpanTree([
  span('root', null, 0, 100, { service: 'web', name: 'GET /cart', kind: 'server' }),
  span('a', 'root', 10, 20, { service: 'api', name: 'load', kind: 'client' }),
  span('b', 'root', 40, 50, { service: 'db', name: 'SELECT', kind: 'client', status: { code: 'error', message: 'deadlock' } }),
  span('c', 'b', 50, 10, { service: 'db', name: 'fetch', kind: 'internal', attributes: [{ key: 'rows', value: { type: 'int', value: '12' } }] }),
]);
const self = selfTimes(tree);
const ids = (rows: number[]) => rows.map((i) => tree.spans[i]!.spanId);

describe('span list', () => {
  it('has the self time of every span', () => {
    expect(ids([0, 1, 2, 3])).toEqual(['root', 'a', 'b', 'c']);
    expect([...self]).toEqual([30, 20, 40, 10]);
  });

  it('sorts by each column both ways', () => {
    expect(ids(spanListRows(tree, self, '', 'start', 'asc'))).toEqual(['root', 'a', 'b', 'c']);
    expect(ids(spanListRows(tree, self, '', 'duration', 'desc'))).toEqual(['root', 'b', 'a', 'c']);
    expect(ids(spanListRows(tree, self, '', 'self', 'desc'))).toEqual(['b', 'root', 'a', 'c']);
    expect(ids(spanListRows(tree, self, '', 'service', 'asc'))).toEqual(['a', 'b', 'c', 'root']);
    expect(ids(spanListRows(tree, self, '', 'name', 'desc'))).toEqual(['b', 'a', 'root', 'c']);
    expect(ids(spanListRows(tree, self, '', 'status', 'asc'))).toEqual(['b', 'root', 'a', 'c']);
    expect(ids(spanListRows(tree, self, '', 'kind', 'asc'))).toEqual(['a', 'b', 'c', 'root']);
  });

  it('filters by text in names, services, status messages and attributes', () => {
    expect(ids(spanListRows(tree, self, 'db', 'start', 'asc'))).toEqual(['b', 'c']);
    expect(ids(spanListRows(tree, self, 'DEADLOCK', 'start', 'asc'))).toEqual(['b']);
    expect(ids(spanListRows(tree, self, 'rows', 'start', 'asc'))).toEqual(['c']);
    expect(ids(spanListRows(tree, self, 'nothing like it', 'start', 'asc'))).toEqual([]);
  });
});
