/**
 * Trace by id on one large synthetic trace (part of bench:ui's server figures):
 * time and bytes of GET /api/v1/traces/{id} in each wire format, alternating.
 *
 *   node bench/trace-by-id.mjs [--spans 100000] [--runs 5] [--data-dir DIR] [--formats json,compact]
 *
 * With --data-dir the filled store is kept and reused by the next run (the
 * trace id is kept in DIR/bench-trace-id), so before/after comparisons of the
 * read path do not pay for ingest again. Set NODE_OPTIONS=--cpu-prof to profile the hub.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { sendSyntheticTrace, waitForSpanCount } from './ui-traces.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values: opts } = parseArgs({
  options: {
    spans: { type: 'string', default: '100000' },
    runs: { type: 'string', default: '5' },
    'data-dir': { type: 'string' },
    formats: { type: 'string', default: 'json,compact' },
  },
});
const { startHub } = await import(path.join(root, 'scripts/lib/hub.mjs'));
const count = Number(opts.spans);
const dataDir = opts['data-dir'];
if (dataDir) mkdirSync(dataDir, { recursive: true });
const idFile = dataDir ? path.join(dataDir, 'bench-trace-id') : null;
const hub = await startHub({ dataDir, args: ['--max-queue', String(Math.max(400000, count + 10000))], timeoutMs: 120_000 });
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
try {
  let traceId = idFile && existsSync(idFile) ? readFileSync(idFile, 'utf8').trim() : '';
  if (!traceId) {
    const t = Date.now();
    traceId = await sendSyntheticTrace(hub.otlpHttpUrl, count);
    await waitForSpanCount(hub.apiUrl, traceId, count, 900_000);
    if (idFile) writeFileSync(idFile, traceId);
    console.error(`loaded ${count} spans in ${Date.now() - t} ms`);
  }
  const formats = opts.formats.split(',');
  const samples = Object.fromEntries(formats.map((f) => [f, []]));
  for (let r = 0; r < Number(opts.runs); r++) {
    for (const f of formats) {
      const t = performance.now();
      const res = await fetch(`${hub.apiUrl}/api/v1/traces/${traceId}?format=${f}`, { headers: { 'accept-encoding': 'identity' } });
      const body = await res.arrayBuffer();
      const ms = performance.now() - t;
      if (!res.ok) throw new Error(`${f}: ${res.status} ${Buffer.from(body).toString().slice(0, 200)}`);
      samples[f].push({ ms, bytes: body.byteLength });
    }
  }
  const out = {};
  for (const f of formats) {
    out[f] = { medianMs: Math.round(median(samples[f].map((s) => s.ms))), MB: +(samples[f][0].bytes / 1e6).toFixed(2), runs: samples[f].map((s) => Math.round(s.ms)) };
  }
  console.log(JSON.stringify({ spans: count, traceId, ...out }));
} finally {
  await hub.stop();
}
