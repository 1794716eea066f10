#!/usr/bin/env node
// npm run db:reset: drops order-service's tables and applies the migrations
// again (seed stock, no orders). Uses DATABASE_URL, else the embedded
// PostgreSQL: the running one if `npm start` is up, otherwise it starts it briefly.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { readPort } from './lib/ports.mjs';
import { canConnect, DEFAULT_PG_PORT, startEmbeddedPostgres } from './lib/postgres.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
let embedded;
let pool;
try {
  const { resetDatabase } = await import(join(root, 'apps/order-service/dist/db/migrate.js'));
  const port = readPort(process.env, 'TRACELAB_PG_PORT', DEFAULT_PG_PORT);
  let url = process.env.DATABASE_URL;
  if (!url) {
    url = `postgres://postgres:postgres@127.0.0.1:${port}/tracelab`;
    if (!(await canConnect(url))) {
      const dataDir = join(process.env.TRACELAB_DATA_DIR || join(root, '.data'), 'postgres');
      embedded = await startEmbeddedPostgres({ dataDir, port, onNote: (note) => console.log(note) });
      url = embedded.url;
    }
  }
  pool = new pg.Pool({ connectionString: url, max: 1 });
  const applied = await resetDatabase(pool);
  const { rows } = await pool.query('SELECT name, stock FROM products ORDER BY id');
  console.log(`Database reset (${applied.join(', ')}). Stock: ${rows.map((r) => `${r.name}=${r.stock}`).join(', ')}; no orders.`);
} catch (err) {
  console.error(`Database reset failed: ${err?.message ?? err}`);
  process.exitCode = 1;
} finally {
  await pool?.end();
  await embedded?.stop();
}
