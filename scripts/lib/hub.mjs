/**
 * Runs the built tracehub CLI (apps/tracehub/dist/cli.js) as a real child process on
 * ephemeral ports with its own data directory. Plain Node so the benchmarks (bench/*.mjs)
 * run it as they are; tests import it typed, from @tracelab/test-support/hub.
 * The CLI is found by its path at run time: nothing here imports the app.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/** tracehub's compiled CLI (`npx tsc -b apps/tracehub` builds it). */
export function cliPath() {
  const cli = fileURLToPath(new URL('../../apps/tracehub/dist/cli.js', import.meta.url));
  if (!existsSync(cli)) throw new Error(`tracehub is not built (${cli} is missing): run \`npm run build\` (or \`npx tsc -b apps/tracehub\`) first`);
  return cli;
}

/**
 * Starts tracehub; resolves once it logs "tracehub started" with its endpoints.
 * @param {{ dataDir?: string, args?: string[], env?: Record<string, string>, timeoutMs?: number }} [opts]
 */
export async function startHub(opts = {}) {
  const dataDir = opts.dataDir ?? mkdtempSync(path.join(tmpdir(), 'tracehub-test-'));
  const args = [
    cliPath(),
    '--data-dir', dataDir,
    '--port', '0',
    '--otlp-http-port', '0',
    '--otlp-grpc-port', '0',
    '--tempo-port', '0',
    '--jaeger-port', '0',
    ...(opts.args ?? []),
  ];
  const child = spawn(process.execPath, args, {
    env: { ...process.env, TRACEHUB_LOG_LEVEL: 'info', ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  /** @type {string[]} */
  const logs = [];
  createInterface({ input: child.stderr }).on('line', (l) => logs.push(l));
  /** @type {Promise<number | null>} */
  const exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  const timeoutMs = opts.timeoutMs ?? 20000;

  /** @type {Record<string, string>} */
  const endpoints = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`tracehub did not start within ${timeoutMs} ms:\n${logs.join('\n')}`)), timeoutMs);
    createInterface({ input: child.stdout }).on('line', (line) => {
      logs.push(line);
      if (!line.includes('"tracehub started"')) return;
      clearTimeout(timer);
      resolve(JSON.parse(line).endpoints);
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`tracehub exited with ${code} before starting:\n${logs.join('\n')}`));
    });
  });

  return {
    apiUrl: endpoints.api,
    otlpHttpUrl: endpoints.otlpHttp,
    otlpGrpcUrl: endpoints.otlpGrpc,
    tempoUrl: endpoints.tempo,
    jaegerUrl: endpoints.jaeger,
    dataDir,
    process: child,
    logs,
    /** SIGTERM and wait for exit; the data dir is kept unless removeData. */
    async stop(/** @type {{ removeData?: boolean }} */ o = {}) {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const code = await exited;
      if (o.removeData) rmSync(dataDir, { recursive: true, force: true });
      return code;
    },
    /** SIGKILL and wait for exit. */
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}
