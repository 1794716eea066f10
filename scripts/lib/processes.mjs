// Child processes for the launcher, tests and benchmark: prefixed output,
// readiness polling and a bounded, ordered shutdown.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

const COLORS = [36, 35, 33, 32, 34, 31];
let nextColor = 0;

/**
 * Spawns `command args`, echoing each output line as "name | line" (or to `onLine`).
 * @param {{ name: string, command: string, args: string[], env?: Record<string,string>, cwd?: string, onLine?: (line: string, stream: 'stdout'|'stderr') => void, quiet?: boolean }} opts
 */
export function startProcess({ name, command, args, env, cwd, onLine, quiet = false }) {
  const child = spawn(command, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const color = COLORS[nextColor++ % COLORS.length];
  const prefix = process.stdout.isTTY ? `\x1b[${color}m${name.padEnd(16)}|\x1b[0m ` : `${name.padEnd(16)}| `;
  const output = [];
  for (const stream of ['stdout', 'stderr']) {
    createInterface({ input: child[stream] }).on('line', (line) => {
      output.push(line);
      if (output.length > 2000) output.shift();
      onLine?.(line, stream);
      if (!quiet) process.stdout.write(`${prefix}${line}\n`);
    });
  }
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  return {
    name,
    child,
    output,
    exited,
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

/** Polls `url` until it answers 2xx; fails after `timeoutMs` or as soon as `proc` exits. */
export async function waitForReady(url, { timeoutMs = 30_000, proc } = {}) {
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  proc?.exited.then(() => (exited = true));
  let last = 'no answer';
  while (Date.now() < deadline) {
    if (exited) throw new Error(`${proc.name} exited before it was ready:\n${proc.output.slice(-20).join('\n')}`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
      if (res.ok) return;
      last = `HTTP ${res.status}`;
    } catch (err) {
      last = err?.cause?.code ?? err?.message ?? String(err);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} was not ready within ${timeoutMs} ms (${last})`);
}
