// A small DuckDB store, created from the real schema.sql, holding traces like
// the seed's: order-service `GET /order` → check-stock, call-payment-api →
// payment-service process-payment, save-order.
//
//   trace-a  ok         GET /order(a1, server) ─┬─ check-stock(a2)
//            ~155 ms                            ├─ call-payment-api(a3, client) ── process-payment(a4, server, payment-service)
//                                               └─ save-order(a5)
//   trace-b  out of     GET /order(b1, server, ERROR, 500) ── check-stock(b2, ERROR "Out of stock: OutOfStockItem")
//            stock 20ms
//   trace-c  payment    GET /order(c1, server, ERROR, 504) ─┬─ check-stock(c2)
//            timeout                                        └─ call-payment-api(c3, client, ERROR "timeout of 500ms exceeded")
//            ~606 ms                                              └─ process-payment(c4, server, payment-service, delay=600)
//   trace-d  root span not received yet: process-payment(d1, payment-service) only
import { DuckDBInstance, type DuckDBConnection, type DuckDBValue } from '@duckdb/node-api';
import { readFileSync } from 'node:fs';

const MS = 1_000_000n;
const T0 = 1_760_000_000_000_000_000n;

type Attr = [key: string, value: string | number | boolean, type?: 'int' | 'double'];

interface SpanFixture {
  trace: string;
  id: string;
  parent: string;
  name: string;
  kind: number; // 1 internal 2 server 3 client
  resource: 'r-order' | 'r-payment';
  startMs: number;
  durationMs: number;
  status?: number; // 0 unset 1 ok 2 error
  message?: string;
  attrs?: Attr[];
}

export const RESOURCES: Record<'r-order' | 'r-payment', { service: string; attrs: Attr[] }> = {
  'r-order': {
    service: 'order-service',
    attrs: [['service.name', 'order-service'], ['service.version', '1.0.0'], ['deployment.environment', 'dev']],
  },
  'r-payment': {
    service: 'payment-service',
    attrs: [['service.name', 'payment-service'], ['deployment.environment', 'dev'], ['host.cores', 4, 'int']],
  },
};

export const SPANS: SpanFixture[] = [
  { trace: 'trace-a', id: 'a1', parent: '', name: 'GET /order', kind: 2, resource: 'r-order', startMs: 0, durationMs: 155,
    attrs: [['http.request.method', 'GET'], ['http.response.status_code', 200, 'int'], ['productName', 'Book']] },
  { trace: 'trace-a', id: 'a2', parent: 'a1', name: 'check-stock', kind: 1, resource: 'r-order', startMs: 1, durationMs: 5,
    attrs: [['productName', 'Book']] },
  { trace: 'trace-a', id: 'a3', parent: 'a1', name: 'call-payment-api', kind: 3, resource: 'r-order', startMs: 7, durationMs: 110,
    attrs: [['http.response.status_code', 200, 'int'], ['peer.service', 'payment-service']] },
  { trace: 'trace-a', id: 'a4', parent: 'a3', name: 'process-payment', kind: 2, resource: 'r-payment', startMs: 8, durationMs: 105, status: 1,
    attrs: [['delay', 100, 'int'], ['payment.amount', 12.5, 'double']] },
  { trace: 'trace-a', id: 'a5', parent: 'a1', name: 'save-order', kind: 1, resource: 'r-order', startMs: 120, durationMs: 30,
    attrs: [['db.system', 'postgresql'], ['order.express', true]] },

  { trace: 'trace-b', id: 'b1', parent: '', name: 'GET /order', kind: 2, resource: 'r-order', startMs: 1000, durationMs: 20, status: 2,
    attrs: [['http.request.method', 'GET'], ['http.response.status_code', 500, 'int'], ['productName', 'OutOfStockItem']] },
  { trace: 'trace-b', id: 'b2', parent: 'b1', name: 'check-stock', kind: 1, resource: 'r-order', startMs: 1001, durationMs: 3, status: 2,
    message: 'Out of stock: OutOfStockItem', attrs: [['productName', 'OutOfStockItem'], ['order.express', false]] },

  { trace: 'trace-c', id: 'c1', parent: '', name: 'GET /order', kind: 2, resource: 'r-order', startMs: 2000, durationMs: 510, status: 2,
    attrs: [['http.request.method', 'GET'], ['http.response.status_code', 504, 'int'], ['productName', 'Book']] },
  { trace: 'trace-c', id: 'c2', parent: 'c1', name: 'check-stock', kind: 1, resource: 'r-order', startMs: 2001, durationMs: 4,
    attrs: [['productName', 'Book']] },
  { trace: 'trace-c', id: 'c3', parent: 'c1', name: 'call-payment-api', kind: 3, resource: 'r-order', startMs: 2006, durationMs: 500, status: 2,
    message: 'timeout of 500ms exceeded', attrs: [['peer.service', 'payment-service']] },
  { trace: 'trace-c', id: 'c4', parent: 'c3', name: 'process-payment', kind: 2, resource: 'r-payment', startMs: 2006, durationMs: 600,
    attrs: [['delay', 600, 'int'], ['payment.amount', 8, 'double']] },

  { trace: 'trace-d', id: 'd1', parent: 'missing-parent', name: 'process-payment', kind: 2, resource: 'r-payment', startMs: 3000, durationMs: 50,
    attrs: [['delay', 50, 'int']] },
];

export const ALL_SPAN_IDS = SPANS.map((s) => s.id).sort();

/** Fills columns the fixture does not care about (and columns added to the schema later) with neutral values. */
async function insertRow(conn: DuckDBConnection, table: string, values: Record<string, DuckDBValue>): Promise<void> {
  const reader = await conn.runAndReadAll(
    'SELECT column_name, data_type, is_nullable FROM information_schema.columns WHERE table_name = ? ORDER BY ordinal_position',
    [table],
  );
  const columns = reader.getRowObjects() as { column_name: string; data_type: string; is_nullable: string }[];
  const unknown = Object.keys(values).filter((k) => !columns.some((c) => c.column_name === k));
  if (unknown.length > 0) throw new Error(`fixture: ${table} has no column(s) ${unknown.join(', ')}`);
  const row: DuckDBValue[] = columns.map((c) => {
    if (Object.hasOwn(values, c.column_name)) return values[c.column_name];
    if (c.is_nullable === 'YES') return null;
    if (/CHAR|TEXT|STRING/.test(c.data_type)) return /attrs|events|links/.test(c.column_name) ? '[]' : '';
    return 0;
  });
  await conn.run(`INSERT INTO ${table} VALUES (${columns.map(() => '?').join(', ')})`, row);
}

/** The number of an attribute key in attr_keys, added when new. */
async function keyId(conn: DuckDBConnection, key: string): Promise<number> {
  const found = (await conn.runAndReadAll('SELECT key_id FROM attr_keys WHERE key = ?', [key])).getRows()[0];
  if (found) return Number(found[0]);
  const next = Number((await conn.runAndReadAll('SELECT count(*) FROM attr_keys')).getRows()[0]![0]);
  await conn.run('INSERT INTO attr_keys VALUES (?, ?)', [next, key]);
  return next;
}

function attrRow(key: string, value: Attr[1], type?: Attr[2]): Record<string, DuckDBValue> {
  if (typeof value === 'boolean') return { key, vtype: 'bool', str: String(value), num: null };
  if (typeof value === 'number') return { key, vtype: type ?? 'double', str: String(value), num: value };
  return { key, vtype: 'string', str: value, num: null };
}

export async function createSeedStore(): Promise<{ conn: DuckDBConnection; close: () => void }> {
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  await conn.run(readFileSync(new URL('../../src/store/schema.sql', import.meta.url), 'utf8'));

  // Every span's scope (scope_id 0): the empty one.
  await insertRow(conn, 'scopes', { scope_id: 0 });
  for (const [id, r] of Object.entries(RESOURCES)) {
    await insertRow(conn, 'resources', { resource_id: id, service: r.service, attrs: '[]' });
    for (const [k, v, t] of r.attrs) await insertRow(conn, 'resource_attrs', { resource_id: id, ...attrRow(k, v, t) });
  }
  for (const [index, s] of SPANS.entries()) {
    const spanKey = BigInt(index + 1);
    const start = T0 + BigInt(s.startMs) * MS;
    const duration = BigInt(s.durationMs) * MS;
    await insertRow(conn, 'spans', {
      trace_id: s.trace, span_id: s.id, parent_span_id: s.parent, name: s.name, kind: s.kind,
      service: RESOURCES[s.resource].service, resource_id: s.resource,
      start_ns: start, end_ns: start + duration, duration_ns: duration,
      status_code: s.status ?? 0, status_message: s.message ?? '', span_key: spanKey,
    });
    for (const [k, v, t] of s.attrs ?? []) {
      const { key, ...row } = attrRow(k, v, t);
      await insertRow(conn, 'span_attr_rows', { span_key: spanKey, start_ns: start, key_id: await keyId(conn, key as string), ...row });
    }
  }
  for (const trace of new Set(SPANS.map((s) => s.trace))) {
    const spans = SPANS.filter((s) => s.trace === trace);
    const root = spans.find((s) => s.parent === '');
    const start = Math.min(...spans.map((s) => s.startMs));
    const end = Math.max(...spans.map((s) => s.startMs + s.durationMs));
    await insertRow(conn, 'trace_parts', {
      trace_id: trace,
      start_ns: T0 + BigInt(start) * MS,
      end_ns: T0 + BigInt(end) * MS,
      span_count: spans.length,
      error_count: spans.filter((s) => s.status === 2).length,
      root_service: root ? RESOURCES[root.resource].service : null,
      root_name: root ? root.name : null,
      root_start_ns: root ? T0 + BigInt(root.startMs) * MS : null,
      ingest_seq: 1,
    });
  }
  return { conn, close: () => { conn.closeSync(); instance.closeSync(); } };
}
