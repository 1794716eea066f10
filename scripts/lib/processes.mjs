// Child processes for the launcher, tests and benchmark: prefixed output,
// readiness polling and a bounded, ordered shutdown.
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { exitReason } from './log-format.mjs';

const COLORS = [36, 35, 33, 32, 34, 31];
let nextColor = 0;

/**
 * Spawns `command args`. Each output line is kept (the last 2000 in `output`), written to
 * `logFile` when given, passed to `onLine`, and echoed unless `quiet`: through `format`
 * when given (a line, or null to hide it), else as "name | line".
 * @param {{ name: string, command: string, args: string[], env?: Record<string,string>, cwd?: string,
 *   onLine?: (line: string, stream: 'stdout'|'stderr') => void, quiet?: boolean,
 *   format?: (line: string) => string | null, logFile?: string }} opts
 */
export function startProcess({ name, command, args, env, cwd, onLine, quiet = false, format, logFile }) {
  const child = spawn(command, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const color = COLORS[nextColor++ % COLORS.length];
  const prefix = process.stdout.isTTY ? `\x1b[${color}m${name.padEnd(16)}|\x1b[0m ` : `${name.padEnd(16)}| `;
  const echo = format ?? ((line) => `${prefix}${line}`);
  const file = logFile ? createWriteStream(logFile, { flags: 'w' }) : null;
  // A log file that cannot be written must not take the process down with it.
  file?.on('error', () => undefined);
  const output = [];
  for (const stream of ['stdout', 'stderr']) {
    createInterface({ input: child[stream] }).on('line', (line) => {
      output.push(line);
      if (output.length > 2000) output.shift();
      file?.write(`${line}\n`);
      onLine?.(line, stream);
      if (quiet) return;
      const shown = echo(line);
      if (shown !== null) process.stdout.write(`${shown}\n`);
    });
  }
  const exited = new Promise((resolve) => {
    // Resolved once the log file has every line: callers exit the process or point at the file right after.
    let ended = false;
    const done = (result) => {
      if (ended) return;
      ended = true;
      if (!file || file.closed) return resolve(result);
      file.once('close', () => resolve(result));
      file.end();
    };
    // 'close', not 'exit': the output pipes are read to their end first, so no last line is lost.
    child.once('close', (code, signal) => done({ code, signal }));
    // A command that cannot be spawned (no pid) ends like one that exits at once, saying why.
    child.on('error', (err) => {
      if (child.pid !== undefined) return;
      output.push(`${name} could not be started: ${err.message}`);
      done({ code: null, signal: null });
    });
  });
  return {
    name,
    child,
    output,
    exited,
    logFile,
    /** SIGTERM, then SIGKILL after `graceMs`; resolves when the process is gone. */
    async stop(graceMs = 5000) {
      if (child.exitCode !== null || child.signalCode !== null) return exited;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      const result = await exited;
      clearTimeout(timer);
      return result;
    },
  };
}

/** One line on why `proc` ended: exit code or signal, the last error it printed, where its full output is. */
export function describeExit(proc, { code, signal }, when = '') {
  const how = signal ? `signal ${signal}` : `code ${code}`;
  const reason = exitReason(proc.output);
  return `${proc.name} exited (${how})${when}${reason ? `: ${reason}` : ''}${proc.logFile ? ` (full output: ${proc.logFile})` : ''}`;
}

/**
 * Polls `url` until it answers 2xx; fails after `timeoutMs` or as soon as `proc` exits.
 * @param {string} url
 * @param {{ timeoutMs?: number, proc?: ReturnType<typeof startProcess> }} [opts]
 */
export async function waitForReady(url, { timeoutMs = 30_000, proc } = {}) {
  const deadline = Date.now() + timeoutMs;
  let exit;
  proc?.exited.then((e) => (exit = e));
  let last = 'no answer';
  while (Date.now() < deadline) {
    if (exit) throw new Error(describeExit(proc, exit, ' before it was ready'));
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
      if (res.ok) return;
      last = `HTTP ${res.status}`;
    } catch (err) {
      last = err?.cause?.code ?? err?.message ?? String(err);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${proc?.name ?? url} was not ready within ${timeoutMs / 1000} s (${url}: ${last})${proc?.logFile ? `; see ${proc.logFile}` : ''}`);
}
