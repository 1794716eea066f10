/**
 * tracehub in this process: every app built by buildTracehub over a store in a
 * temporary folder, nothing listening. Tests drive the apps with Fastify's
 * inject(): the same routes, hooks and error handlers as a running hub, with no
 * ports, no child process, and the source under test (not dist/).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { parseConfig } from '../src/config.js';
import { buildTracehub, closeTracehub, type TracehubParts } from '../src/server.js';

export interface InProcessHub extends TracehubParts {
  dataDir: string;
  /** POST an OTLP/JSON body to /v1/traces; throws unless it is stored (200). */
  postTraces(body: string): Promise<void>;
  close(): Promise<void>;
}

export async function openInProcessHub(args: string[] = []): Promise<InProcessHub> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'tracehub-inprocess-'));
  const config = parseConfig(['--data-dir', dataDir, '--log-level', 'silent', ...args], {});
  const parts = await buildTracehub(config, pino({ level: 'silent' }));
  await Promise.all([parts.api.ready(), parts.otlpHttp.ready(), parts.tempo?.ready(), parts.jaeger?.ready()]);
  parts.setReady(true);
  return {
    ...parts,
    dataDir,
    async postTraces(body) {
      const res = await parts.otlpHttp.inject({ method: 'POST', url: '/v1/traces', payload: body, headers: { 'content-type': 'application/json' } });
      if (res.statusCode !== 200) throw new Error(`OTLP export answered ${res.statusCode}: ${res.body}`);
    },
    async close() {
      await closeTracehub(parts);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
