/**
 * Fills a tracehub data dir to N spans with SQL inside DuckDB, for the query
 * half of bench:hub: loading 10M spans over OTLP at the measured ingest rate
 * would take most of an hour, and the query figures only need the data.
 *
 * The rows mirror what the ingest path writes (apps/tracehub/src/store/rows.ts)
 * for the bench's own workload (makeBatch in hub.mjs): ~10-span traces over 5
 * services, 10 attributes per span, an event on every tenth span, 2% errors,
 * start times increasing with arrival as in a live system.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { Store } = await import(path.join(root, 'apps/tracehub/dist/store/store.js'));
const { DuckDBInstance } = await import('@duckdb/node-api');

export const FILL_SERVICES = ['frontend', 'order-service', 'payment-service', 'inventory', 'shipping'];
const FILL_KEYS = ['http.request.method', 'url.path', 'http.route', 'http.response.status_code', 'server.address', 'server.port', 'db.system.name', 'db.query.text', 'user_agent.original', 'order.id'];
export const FILL_ROUTES = ['/order', '/orders', '/cart', '/checkout', '/products/{id}'];

/** The trace id of the t-th generated trace (for trace-by-id queries). */
export const fillTraceIdSql = (t) => `md5('t${t}')`;

const list = (xs) => `[${xs.map((x) => `'${x}'`).join(', ')}]`;

const SPAN_KEY_STRIDE = 2 ** 20;
const keyOf = (i) => Math.floor(i / 512) * SPAN_KEY_STRIDE + (i % 512);

/** Appends spans [from, to) in one transaction. */
async function fillRange(c, from, to, spanWindowNs, baseNs) {
  const svc = `(${list(FILL_SERVICES)})[((i // 10) % 5) + 1]`;
  const route = `(${list(FILL_ROUTES)})[(i % 5) + 1]`;
  const status = `CASE WHEN hash(i) % 50 = 0 THEN 500 ELSE 200 END`;
  const dur = `(1000000 + hash(i * 7) % 900000000)::BIGINT`;
  const start = `(${baseNs}::BIGINT + i * ${spanWindowNs}::BIGINT)`;
  // As the store numbers rows: batch (512 spans here) * 2^20 + position in the batch.
  const spanKey = `((i // 512) * ${SPAN_KEY_STRIDE} + i % 512)`;
  await c.run('BEGIN TRANSACTION');
  await c.run(`
    INSERT INTO spans
    SELECT md5('t' || (i // 10)), substr(md5('s' || i), 1, 16),
      CASE WHEN i % 10 = 0 THEN '' ELSE substr(md5('s' || (i - i % 10)), 1, 16) END,
      '', 1,
      CASE WHEN i % 10 = 0 THEN 'GET ' || ${route} WHEN i % 10 % 3 = 0 THEN 'SELECT orders' ELSE 'step-' || (i % 10) END,
      CASE WHEN i % 10 = 0 THEN 2 WHEN i % 10 % 3 = 0 THEN 3 ELSE 1 END,
      ${svc}, 'res-' || ${svc},
      ${start}, ${start} + ${dur}, ${dur},
      CASE WHEN ${status} = 500 THEN 2 ELSE 0 END,
      CASE WHEN ${status} = 500 THEN 'Internal Server Error' ELSE '' END,
      0,
      CASE WHEN i % 10 = 9 THEN '[{"timeUnixNano":"' || (${start} + 1000) || '","name":"exception","attributes":[{"key":"exception.message","value":{"type":"string","value":"boom"}}],"droppedAttributesCount":0}]' ELSE '[]' END,
      0, '[]', 0, i // 512, ${spanKey}, 0
    FROM range(${from}, ${to}) r(i)`);
  await c.run(`
    INSERT INTO span_attr_rows
    SELECT ${spanKey}, k.n, k.n, k.vtype,
      CASE k.n
        WHEN 0 THEN 'GET' WHEN 1 THEN replace(${route}, '{id}', i::VARCHAR) WHEN 2 THEN ${route}
        WHEN 3 THEN (${status})::VARCHAR WHEN 4 THEN '127.0.0.1' WHEN 5 THEN '8080' WHEN 6 THEN 'postgresql'
        WHEN 7 THEN 'SELECT id, stock FROM products WHERE name = $1' WHEN 8 THEN 'Mozilla/5.0 (X11; Linux x86_64) bench'
        ELSE i::VARCHAR END,
      CASE k.n WHEN 3 THEN ${status} WHEN 5 THEN 8080 WHEN 9 THEN i ELSE NULL END,
      ${start}
    FROM range(${from}, ${to}) r(i),
      (VALUES (0, 'http.request.method', 'string'), (1, 'url.path', 'string'), (2, 'http.route', 'string'),
              (3, 'http.response.status_code', 'int'), (4, 'server.address', 'string'), (5, 'server.port', 'int'),
              (6, 'db.system.name', 'string'), (7, 'db.query.text', 'string'), (8, 'user_agent.original', 'string'),
              (9, 'order.id', 'int')) k(n, key, vtype)`);
  await c.run(`
    INSERT INTO trace_parts
    SELECT trace_id, min(start_ns), max(end_ns), count(*), count(*) FILTER (WHERE status_code = 2),
      arg_min(service, start_ns) FILTER (WHERE parent_span_id = ''), arg_min(name, start_ns) FILTER (WHERE parent_span_id = ''),
      min(start_ns) FILTER (WHERE parent_span_id = ''),
      '{"' || any_value(service) || '":[' || count(*) || ',' || count(*) FILTER (WHERE status_code = 2) || ']}',
      ingest_seq
    FROM spans WHERE ingest_seq BETWEEN ${from} // 512 AND (${to} - 1) // 512 AND span_key BETWEEN ${keyOf(from)} AND ${keyOf(to - 1)}
    GROUP BY trace_id, ingest_seq`);
  await c.run(`INSERT INTO batches SELECT DISTINCT i // 512, ${baseNs}::BIGINT + i * ${spanWindowNs}::BIGINT FROM range(${from}, ${to}, 512) r(i)`);
  await c.run('COMMIT');
}

/**
 * Fills a new store in dataDir with `spans` generated spans over the last 24 h.
 */
export async function fillStore(dataDir, spans, log = () => {}) {
  // Let tracehub create (or check) the schema, then write with a plain connection.
  await (await Store.open({ dataDir })).close();
  const db = await DuckDBInstance.create(path.join(dataDir, 'tracehub.duckdb'));
  const c = await db.connect();
  try {
    const have = Number((await c.runAndReadAll('SELECT count(*) FROM spans')).getRows()[0][0]);
    const res = await c.runAndReadAll('SELECT count(*) FROM resources');
    if (Number(res.getRows()[0][0]) === 0) {
      for (const s of FILL_SERVICES) {
        await c.run(`INSERT INTO resources VALUES ('res-${s}', '${s}', '[{"key":"service.name","value":{"type":"string","value":"${s}"}}]', 0, '', 0)`);
        await c.run(`INSERT INTO resource_attrs VALUES ('res-${s}', 'service.name', 'string', '${s}', NULL)`);
      }
    }
    // The one instrumentation scope, number 0 on every span.
    if (Number((await c.runAndReadAll('SELECT count(*) FROM scopes')).getRows()[0][0]) === 0) {
      await c.run("INSERT INTO scopes VALUES (0, '@opentelemetry/instrumentation-http', '0.223.0', '[]', 0, '')");
    }
    // The workload's ten attribute keys, numbered as fillRange's k.n.
    if (Number((await c.runAndReadAll('SELECT count(*) FROM attr_keys')).getRows()[0][0]) === 0) {
      await c.run(`INSERT INTO attr_keys VALUES ${FILL_KEYS.map((k, n) => `(${n}, '${k}')`).join(', ')}`);
    }
    // One day of data: the spans spread evenly over the last 24 h, in arrival order.
    const windowNs = Math.floor(86_400e9 / spans);
    const baseNs = BigInt(Date.now()) * 1_000_000n - 86_400_000_000_000n;
    const STEP = 500_000; // whole traces: a multiple of 10
    for (let from = have; from < spans; from += STEP) {
      const to = Math.min(spans, from + STEP);
      await fillRange(c, from, to, windowNs, baseNs);
      log(to);
    }
    await c.run('CHECKPOINT');
  } finally {
    c.closeSync();
    db.closeSync();
  }
  // The attribute index, as a running hub builds it at its checkpoints (the rows above bypassed the store).
  await (await Store.open({ dataDir })).close();
}
