#!/usr/bin/env node
/**
 * The store's write path alone, in process (npm run bench:store): bench:hub's 512-span
 * requests decoded once, then written with Store.write in groups as the ingest pipeline
 * groups them, with a checkpoint every --checkpoint-every spans (as maintenance runs them).
 * CPU per span counts every thread of this process (DuckDB's included); decode time is
 * measured apart. No HTTP, no client: what the store costs per span.
 *
 *   node bench/store-write.mjs [--spans 262144] [--group 4] [--checkpoint-every 65536] [--root DIR]
 *
 * --root runs another checkout's build (for before/after in one run). Writes bench/results/store-write.json.
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';

const here = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: {
    spans: { type: 'string', default: '262144' },
    group: { type: 'string', default: '4' },
    'checkpoint-every': { type: 'string', default: '65536' },
    root: { type: 'string', default: here },
    out: { type: 'string', default: path.join(here, 'bench/results/store-write.json') },
  },
});
const root = path.resolve(values.root);
const { makeBatch } = await import(path.join(here, 'bench/hub.mjs'));
const { decodeTracesProtobuf } = await import(path.join(root, 'apps/tracehub/dist/otlp/index.js'));
const { Store } = await import(path.join(root, 'apps/tracehub/dist/store/store.js'));

const total = Number(values.spans);
const group = Number(values.group);
const every = Number(values['checkpoint-every']);
const bodies = Array.from({ length: 16 }, (_, i) => makeBatch(i, 512));
const dir = mkdtempSync(path.join(tmpdir(), 'tracehub-store-bench-'));
const store = await Store.open({ dataDir: dir, memoryLimit: '384MiB' });
try {
  for (let i = 0; i < 8; i++) await store.write(decodeTracesProtobuf(bodies[i]).spans, []);
  let written = 0;
  let decodeMs = 0;
  let request = 0;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  while (written < total) {
    const t = performance.now();
    const spans = [];
    for (let g = 0; g < group; g++) spans.push(...decodeTracesProtobuf(bodies[request++ % bodies.length]).spans);
    decodeMs += performance.now() - t;
    await store.write(spans, []);
    written += spans.length;
    if (every > 0 && written % every < spans.length) await store.checkpoint();
  }
  await store.checkpoint();
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const result = {
    date: new Date().toISOString(),
    root,
    spans: written,
    spansPerRequest: 512,
    requestsPerCommit: group,
    checkpointEvery: every,
    wallSeconds: +(wallMs / 1000).toFixed(2),
    spansPerSecond: Math.round((written / wallMs) * 1000),
    cpuMicrosPerSpan: +((cpu.user + cpu.system) / written).toFixed(1),
    decodeMicrosPerSpan: +((decodeMs * 1000) / written).toFixed(1),
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
  mkdirSync(path.dirname(values.out), { recursive: true });
  writeFileSync(values.out, `${JSON.stringify(result, null, 2)}\n`);
} finally {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
}
