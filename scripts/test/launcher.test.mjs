// npm start's terminal, for real: the launcher (scripts/start.mjs) with every
// process it starts, on ports of its own so a developer's running `npm start`
// is never in the way. PostgreSQL: a fresh database on TEST_DATABASE_URL when
// set, else the embedded one.
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LAB_PORTS, portProblem } from '../lib/ports.mjs';
import { dropDatabase, ensureDatabase } from '../lib/postgres.mjs';
import { startProcess } from '../lib/processes.mjs';

const start = fileURLToPath(new URL('../start.mjs', import.meta.url));
const external = process.env.TEST_DATABASE_URL;
const temps = [];

function tempDir() {
  const dir = mkdtempSync(join(tmpdir(), 'tracelab-launcher-'));
  // Root runs PostgreSQL as the user "postgres", who must be able to enter the data dir's parent.
  chmodSync(dir, 0o755);
  temps.push(dir);
  return dir;
}

/**
 * A port free now, below Linux's ephemeral range (32768 and up): the launcher binds its ports seconds
 * after they are picked, and other test files binding port 0 meanwhile get ephemeral ports only.
 */
const picked = new Set();
async function launcherPort() {
  for (;;) {
    const port = 20000 + Math.floor(Math.random() * 12000);
    if (!picked.has(port) && (await portProblem(port)) === null) {
      picked.add(port);
      return port;
    }
  }
}

/** Every port the launcher binds, all free now. */
async function portEnv() {
  const env = {};
  for (const { env: key } of LAB_PORTS) env[key] = String(await launcherPort());
  return env;
}

/** A database of its own on the external server, or none (the launcher then starts the embedded one). */
async function databaseEnv() {
  if (!external) return {};
  const name = `tracelab_launcher_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  await ensureDatabase(external, name);
  const url = new URL(external);
  url.pathname = `/${name}`;
  databases.push(name);
  return { DATABASE_URL: url.toString() };
}
const databases = [];

/** Runs the launcher (variables not given are cleared); `lines`: its stdout and stderr, as the terminal would show them. */
function launch(env) {
  const cleared = Object.fromEntries(['DATABASE_URL', 'LOG_FORMAT', 'TRACELAB_DATA_DIR'].map((k) => [k, '']));
  const proc = startProcess({ name: 'launcher', command: process.execPath, args: [start], env: { ...cleared, ...env }, quiet: true });
  let exit;
  void proc.exited.then((e) => (exit = e));
  return {
    lines: proc.output,
    exited: proc.exited,
    /** Resolves with the first line matching `pattern`; fails when the launcher exits first or after `timeoutMs`. */
    async waitFor(pattern, timeoutMs = 90_000) {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        const found = proc.output.find((l) => pattern.test(l));
        if (found) return found;
        if (exit) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`no line matching ${pattern} (${exit ? 'the launcher exited' : 'timed out'}); output:\n${proc.output.join('\n')}`);
    },
    /** Ctrl-C. */
    async stop() {
      if (!exit) proc.child.kill('SIGINT');
      return proc.exited;
    },
  };
}

afterAll(async () => {
  for (const name of databases) await dropDatabase(external, name).catch(() => undefined);
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

describe('the terminal while running (LOG_FORMAT unset)', () => {
  let ports;
  let dataDir;
  let run;
  let order;
  let traceId;

  beforeAll(async () => {
    const database = await databaseEnv();
    // Free ports are picked before the launcher binds them; another test file may take one in between.
    // Then the launcher says so in one line, and this starts again on new ports.
    for (let attempt = 1; ; attempt++) {
      ports = await portEnv();
      dataDir = tempDir();
      run = launch({ ...ports, ...database, TRACELAB_DATA_DIR: dataDir });
      try {
        await run.waitFor(/^Requests \(time, service/);
        break;
      } catch (err) {
        await run.stop();
        if (attempt >= 3 || !run.lines.some((l) => /EADDRINUSE|already in use/.test(l))) throw err;
      }
    }
    const res = await fetch(`http://127.0.0.1:${ports.ORDER_PORT}/order?productName=Book&delay=100`);
    order = { status: res.status, body: await res.json(), traceresponse: res.headers.get('traceresponse') };
    traceId = order.body.traceId;
  }, 150_000);
  afterAll(async () => {
    await run?.stop();
  });

  it('prints the banner: URLs and the scenarios as curl commands', () => {
    const text = run.lines.join('\n');
    expect(text).toContain('tracelab is running.');
    expect(text).toContain(`tracehub UI       http://127.0.0.1:${ports.TRACEHUB_PORT}`);
    expect(text).toContain(`order-service     http://127.0.0.1:${ports.ORDER_PORT}`);
    expect(text).toContain(`curl -s 'http://127.0.0.1:${ports.ORDER_PORT}/order?productName=Book&delay=600'`);
    expect(text).toContain(`logs              ${join(dataDir, 'logs')}/<process>.log`);
  });

  it('prints one short line per request, with the trace link, and no raw JSON', async () => {
    expect(order.status).toBe(200);
    expect(order.traceresponse).toContain(traceId);
    const link = `http://127.0.0.1:${ports.TRACEHUB_PORT}/trace/${traceId}`;
    const orderLine = await run.waitFor(new RegExp(`order-service +GET /order\\?productName=Book&delay=100 → 200 \\d+ ms  ${link}$`));
    expect(orderLine).toMatch(/^\d\d:\d\d:\d\d order-service /);
    await run.waitFor(new RegExp(`^\\d\\d:\\d\\d:\\d\\d payment-service POST /payments → 200 \\d+ ms  ${link}$`));
    // Each request once: the pair of Fastify lines became one line.
    expect(run.lines.filter((l) => l.includes(link) && l.includes('order-service'))).toHaveLength(1);
    expect(run.lines.filter((l) => l.trimStart().startsWith('{') || l.includes('"level":'))).toEqual([]);
    // The launcher's readiness polls are not requests anyone made.
    expect(run.lines.filter((l) => l.includes('/ready'))).toEqual([]);
  });

  it('shows a real error as one readable line', async () => {
    const res = await fetch(`http://127.0.0.1:${ports.ORDER_PORT}/order?productName=Book&delay=100&fail=true`);
    const { traceId: failed } = await res.json();
    expect(res.status).toBe(502);
    const line = await run.waitFor(new RegExp(`order-service +ERROR .*Simulated payment failure \\(fail=true\\)\\..*/trace/${failed}$`));
    expect(line).not.toContain('stack');
    await run.waitFor(new RegExp(`order-service +GET /order\\?productName=Book&delay=100&fail=true → 502 \\d+ ms .*/trace/${failed}$`));
  });

  it('keeps the full JSON logs in <data dir>/logs and sends them to tracehub over OTLP', async () => {
    const records = (name) => readFileSync(join(dataDir, 'logs', `${name}.log`), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    await run.waitFor(new RegExp(`payment-service POST /payments → 200 .*${traceId}`));
    expect(records('order-service')).toContainEqual(expect.objectContaining({ msg: 'request completed', trace_id: traceId, res: { statusCode: 200 } }));
    expect(records('payment-service')).toContainEqual(expect.objectContaining({ msg: 'incoming request', trace_id: traceId }));
    expect(records('tracehub')).toContainEqual(expect.objectContaining({ msg: 'tracehub started' }));

    const deadline = Date.now() + 15_000;
    let logs = [];
    while (Date.now() < deadline) {
      const res = await fetch(`http://127.0.0.1:${ports.TRACEHUB_PORT}/api/v1/logs?traceId=${traceId}`);
      logs = (await res.json()).logs;
      if (logs.some((l) => l.service === 'payment-service') && logs.some((l) => l.service === 'order-service')) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(logs.map((l) => l.body.value)).toContain('request completed');
    expect(new Set(logs.map((l) => l.service))).toEqual(new Set(['order-service', 'payment-service']));
  });

  it('stops on Ctrl-C and exits 0', async () => {
    expect(await run.stop()).toEqual({ code: 0, signal: null });
    expect(run.lines.at(-1)).toBe('Stopped.');
  });
});

describe('LOG_FORMAT=json', () => {
  it('shows every process\'s raw JSON lines instead', async () => {
    const ports = await portEnv();
    const run = launch({ ...ports, ...(await databaseEnv()), TRACELAB_DATA_DIR: tempDir(), LOG_FORMAT: 'json' });
    try {
      await run.waitFor(/^Ctrl-C stops everything\./);
      const res = await fetch(`http://127.0.0.1:${ports.ORDER_PORT}/order?productName=Book&delay=0`);
      const { traceId } = await res.json();
      const line = await run.waitFor(new RegExp(`^order-service +\\| \\{.*"trace_id":"${traceId}".*"msg":"request completed"`));
      expect(JSON.parse(line.slice(line.indexOf('{')))).toMatchObject({ level: 30, res: { statusCode: 200 } });
      expect(run.lines.some((l) => /^tracehub +\| \{.*"msg":"tracehub started"/.test(l))).toBe(true);
    } finally {
      await run.stop();
    }
  }, 150_000);
});

describe('a start-up failure is one line and a non-zero exit', () => {
  /** The launcher's output without blank lines, after it exited by itself. */
  async function failedRun(env) {
    const run = launch(env);
    const exit = await run.exited;
    const lines = run.lines.filter((l) => l.trim());
    for (const l of lines) expect(l).not.toMatch(/^\s+at /); // no stack trace
    return { exit, lines };
  }

  it('a taken port: says which, what wanted it and how to move it, and starts nothing', async () => {
    const ports = await portEnv();
    const squatter = createServer();
    await new Promise((r) => squatter.listen(Number(ports.ORDER_PORT), '127.0.0.1', r));
    try {
      const { exit, lines } = await failedRun({ ...ports, TRACELAB_DATA_DIR: tempDir() });
      expect(exit.code).toBe(1);
      expect(lines).toEqual([
        `Start-up failed: Port ${ports.ORDER_PORT} (order-service; ORDER_PORT) is already in use. Is tracelab already running (npm start in another terminal)? Stop it, or set the variable to a free port, e.g. ORDER_PORT=${Number(ports.ORDER_PORT) + 10000 <= 65535 ? Number(ports.ORDER_PORT) + 10000 : Number(ports.ORDER_PORT) - 10000} npm start.`,
      ]);
    } finally {
      squatter.close();
    }
  });

  it('a data directory that cannot be written', async () => {
    const file = join(tempDir(), 'a-file');
    writeFileSync(file, '');
    const { exit, lines } = await failedRun({ ...(await portEnv()), TRACELAB_DATA_DIR: join(file, 'data') });
    expect(exit.code).toBe(1);
    expect(lines).toEqual([`Start-up failed: Cannot write the data directory ${join(file, 'data', 'logs')} (ENOTDIR): make it writable for this user, or set TRACELAB_DATA_DIR to a folder you can write.`]);
  });

  it('a bad LOG_FORMAT', async () => {
    const { exit, lines } = await failedRun({ ...(await portEnv()), TRACELAB_DATA_DIR: tempDir(), LOG_FORMAT: 'yaml' });
    expect(exit.code).toBe(1);
    expect(lines).toEqual(['Start-up failed: LOG_FORMAT="yaml" is not known: use pretty (the default: one line per request) or json (every log line as it is).']);
  });

  it('PostgreSQL that cannot start: says why and what to do', async () => {
    const dataDir = tempDir();
    // A data directory from a PostgreSQL that never was: PostgreSQL refuses it.
    mkdirSync(join(dataDir, 'postgres'), { mode: 0o700 });
    writeFileSync(join(dataDir, 'postgres', 'PG_VERSION'), '9\n');
    const { exit, lines: all } = await failedRun({ ...(await portEnv()), TRACELAB_DATA_DIR: dataDir });
    expect(exit.code).toBe(1);
    // Run as root from a folder the user "postgres" cannot enter, the launcher first says where it moved
    // PostgreSQL to (one more line, on purpose); the failure is the same.
    const lines = all.filter((l) => !/^PostgreSQL runs as the unprivileged user ".+", who cannot enter /.test(l));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^Starting embedded PostgreSQL on 127\.0\.0\.1:\d+\.\.\.$/);
    expect(lines[1]).toMatch(/^Start-up failed: PostgreSQL did not start \(data in .*postgres, port \d+\): .+\. If that data directory is damaged .*set DATABASE_URL .*\(full output: .*postgres\.log\)$/);
  });

  it('tracehub that fails: its own reason, where its full output is, and PostgreSQL stopped again', async () => {
    const dataDir = tempDir();
    const ports = await portEnv();
    const { exit, lines } = await failedRun({ ...ports, ...(await databaseEnv()), TRACELAB_DATA_DIR: dataDir, TRACEHUB_MAX_BODY: 'lots' });
    expect(exit.code).toBe(1);
    expect(lines.at(-1)).toBe(
      `Start-up failed: tracehub exited (code 2) before it was ready: tracehub: --max-body: "lots" is not a size (e.g. 16MiB, 2GB, or bytes) (full output: ${join(dataDir, 'logs', 'tracehub.log')})`,
    );
    expect(await portProblem(Number(ports.TRACELAB_PG_PORT))).toBeNull();
    expect(lines).toHaveLength(2); // "Starting embedded PostgreSQL..." or "Using the external PostgreSQL...", then the failure
    expect(readFileSync(join(dataDir, 'logs', 'tracehub.log'), 'utf8')).toContain('Usage: tracehub');
  });
});
