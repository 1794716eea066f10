// Measures how DuckDB plans the two candidate shapes of a span-attribute
// predicate (IN over a (trace_id, span_id) subquery vs a correlated EXISTS)
// on ~1M spans / ~5M attribute rows. Not a test: run by hand with
//   node apps/tracehub/test/traceql/attr-plan.measure.mjs
import { DuckDBInstance } from '@duckdb/node-api';
import { readFileSync } from 'node:fs';

const SPANS = Number(process.env.SPANS ?? 1_000_000);
const schema = readFileSync(new URL('../../src/store/schema.sql', import.meta.url), 'utf8');
const inst = await DuckDBInstance.create(':memory:');
const c = await inst.connect();
await c.run(schema);
await c.run(`
INSERT INTO spans SELECT
  printf('%032x', i // 10), printf('%016x', i), CASE WHEN i % 10 = 0 THEN '' ELSE printf('%016x', i - (i % 10)) END,
  '', 1, CASE i % 4 WHEN 0 THEN 'GET /order' WHEN 1 THEN 'check-stock' WHEN 2 THEN 'call-payment-api' ELSE 'save-order' END,
  CASE WHEN i % 10 = 0 THEN 2 ELSE 1 END, CASE WHEN i % 3 = 0 THEN 'order-service' ELSE 'payment-service' END,
  CASE WHEN i % 3 = 0 THEN 'r1' ELSE 'r2' END, 'scope', '1', '[]', 0, '',
  1700000000000000000 + i * 1000, 1700000000000000000 + i * 1000 + (i % 1000) * 1000000, (i % 1000) * 1000000,
  CASE WHEN i % 97 = 0 THEN 2 ELSE 0 END, '', '[]', 0, '[]', 0, '[]', 0, 1
FROM range(${SPANS}) t(i)`);
await c.run(`
INSERT INTO span_attrs SELECT s.trace_id, s.span_id, k.key,
  CASE WHEN k.key = 'http.response.status_code' THEN 'int' ELSE 'string' END,
  CASE k.key WHEN 'http.response.status_code' THEN CASE WHEN hash(s.span_id) % 50 = 0 THEN '500' ELSE '200' END
             WHEN 'productName' THEN CASE WHEN hash(s.span_id) % 1000 = 0 THEN 'Book' ELSE 'Pen' || (hash(s.span_id) % 100)::VARCHAR END
             ELSE k.key || '-' || (hash(s.span_id) % 20)::VARCHAR END,
  CASE WHEN k.key = 'http.response.status_code' THEN CASE WHEN hash(s.span_id) % 50 = 0 THEN 500 ELSE 200 END END,
  s.start_ns
FROM spans s, (VALUES ('http.request.method'), ('http.route'), ('http.response.status_code'), ('productName'), ('url.path')) k(key)`);
const count = (await c.runAndReadAll('SELECT count(*) FROM span_attrs')).getRows()[0][0];
console.log(`spans=${SPANS} span_attrs=${count}`);

const shapes = {
  in: `(s.trace_id, s.span_id) IN (SELECT trace_id, span_id FROM span_attrs WHERE key = ? AND vtype = 'string' AND str = ?)`,
  in_regex: `(s.trace_id, s.span_id) IN (SELECT trace_id, span_id FROM span_attrs WHERE key = ? AND vtype = 'string' AND regexp_full_match(str, ?))`,
  in_or_resource: `((s.trace_id, s.span_id) IN (SELECT trace_id, span_id FROM span_attrs WHERE key = ? AND vtype = 'string' AND str = ?) OR s.resource_id IN (SELECT resource_id FROM resource_attrs WHERE key = ? AND vtype = 'string' AND str = ?))`,
  exists: `EXISTS (SELECT 1 FROM span_attrs a WHERE a.trace_id = s.trace_id AND a.span_id = s.span_id AND a.key = ? AND a.vtype = 'string' AND a.str = ?)`,
};
const cases = [
  ['rare value', ['productName', 'Book']],
  ['common value', ['http.route', 'http.route-3']],
];
for (const [label, params] of cases) {
  for (const [shape, pred] of Object.entries(shapes)) {
    // Search-like query: distinct matching traces within a time window, plus a selective span filter.
    for (const [qname, sql] of [
      ['all', `SELECT count(*) FROM spans s WHERE ${pred}`],
      ['window+service', `SELECT count(DISTINCT s.trace_id) FROM spans s WHERE s.service = 'order-service' AND s.start_ns > 1700000000000000000 + ${SPANS / 2} * 1000 AND ${pred}`],
    ]) {
      const times = [];
      let n;
      for (let i = 0; i < 5; i++) {
        const t0 = performance.now();
        n = (await c.runAndReadAll(sql, shape === 'in_or_resource' ? [...params, ...params] : params)).getRows()[0][0];
        times.push(performance.now() - t0);
      }
      times.sort((a, b) => a - b);
      console.log(`${label.padEnd(13)} ${shape.padEnd(7)} ${qname.padEnd(15)} rows=${String(n).padEnd(8)} median=${times[2].toFixed(1)}ms min=${times[0].toFixed(1)}ms`);
    }
  }
}
