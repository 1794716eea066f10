#!/usr/bin/env node
/**
 * Before/after of bench:hub's two search rows on data dirs you keep (filled once
 * with bench/hub-fill.mjs): the service + operation + min duration search and the
 * attribute search (a random `order.id`, no time range). Each round starts the
 * "before" hub (another checkout's build, on its data dir) and then the "after"
 * hub (this checkout, on a copy of the same data that it may have migrated),
 * with bench:hub's query settings (hub unpinned, `--memory-limit` default,
 * sequential HTTP requests), and checks that both answer every query alike.
 *
 *   node bench/hub-search.mjs --before-root DIR --before-dir DIR --after-dir DIR [--rounds 2] [--out FILE]
 *
 * The data ages while it is kept, so queries also run with `end` set to the
 * newest span's time: the hub's windows (15 min, 2 h, 24 h back from `end`)
 * then open where they open right after a fill, as in bench:hub. Both kinds are
 * recorded ("atDataEnd" and "now"). A benchmark, not a test.
 */
import { spawn, execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { FILL_SERVICES } from './hub-fill.mjs';

const here = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: {
    'before-root': { type: 'string' },
    'before-dir': { type: 'string' },
    'after-dir': { type: 'string' },
    rounds: { type: 'string', default: '2' },
    spans: { type: 'string', default: '10000000' },
    out: { type: 'string', default: path.join(here, 'bench/results/hub-search-v5.json') },
  },
});
if (!values['before-root'] || !values['before-dir'] || !values['after-dir']) throw new Error('--before-root, --before-dir and --after-dir are required');
try {
  execFileSync('taskset', ['-a', '-p', '-c', '1', String(process.pid)], { stdio: 'ignore' });
} catch {
  /* no taskset */
}

async function startHub(root, dataDir) {
  const cli = path.join(root, 'apps/tracehub/dist/cli.js');
  const args = [cli, '--data-dir', dataDir, '--port', '0', '--otlp-http-port', '0', '--otlp-grpc-port', '0', '--tempo-port', 'off', '--jaeger-port', 'off', '--retention-age', 'off', '--retention-size', 'off'];
  const t = performance.now();
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  const endpoints = await new Promise((resolve, reject) => {
    createInterface({ input: child.stdout }).on('line', (l) => {
      if (l.includes('"tracehub started"')) resolve(JSON.parse(l).endpoints);
    });
    child.once('exit', (c) => reject(new Error(`hub exited ${c}`)));
  });
  return { child, endpoints, startMs: performance.now() - t };
}

const pct = (s, p) => s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
function summarize(ms) {
  const s = [...ms].sort((a, b) => a - b);
  return { n: s.length, p50: +pct(s, 50).toFixed(2), p95: +pct(s, 95).toFixed(2), p99: +pct(s, 99).toFixed(2) };
}

/** Times the requests one after another; returns the summary and each answer's trace ids. */
async function timeQueries(api, paths) {
  const ms = [];
  const answers = [];
  for (const p of paths) {
    const t = performance.now();
    const res = await fetch(api + p);
    const text = await res.text();
    ms.push(performance.now() - t);
    if (res.status !== 200) throw new Error(`${p} → ${res.status} ${text.slice(0, 200)}`);
    answers.push(JSON.parse(text).traces.map((x) => `${x.traceId}:${x.spanCount}`).join(','));
  }
  return { ...summarize(ms), answers };
}

const size = Number(values.spans);
const orderIds = Array.from({ length: 50 }, () => Math.floor(Math.random() * size));
const durationPaths = (end) =>
  Array.from({ length: 100 }, (_, i) => `/api/v1/traces?service=${FILL_SERVICES[i % 5]}&operation=${encodeURIComponent('GET /order')}&minDuration=${500 + (i % 5) * 50}ms&limit=20${end}`);
const attrPaths = (end) => orderIds.map((id) => `/api/v1/traces?attr.order.id=${id}&limit=20${end}`);

const runs = [];
const sides = [
  { label: 'before', root: path.resolve(values['before-root']), dir: path.resolve(values['before-dir']) },
  { label: 'after', root: here, dir: path.resolve(values['after-dir']) },
];
for (let round = 1; round <= Number(values.rounds); round++) {
  for (const side of sides) {
    const { child, endpoints, startMs } = await startHub(side.root, side.dir);
    try {
      const api = endpoints.api;
      const newest = (await (await fetch(`${api}/api/v1/traces?limit=1`)).json()).traces[0];
      const endMs = Number(BigInt(newest.startTimeUnixNano) / 1_000_000n) + 1_000;
      const atEnd = `&end=${endMs}`;
      // Warm-up, as bench:hub's: the first queries read the file into DuckDB's buffer pool.
      await timeQueries(api, [...durationPaths(atEnd).slice(0, 10), ...attrPaths(atEnd).slice(0, 5)]);
      const run = {
        round,
        side: side.label,
        hubStartMs: Math.round(startMs),
        atDataEnd: { searchServiceOperationMinDuration: await timeQueries(api, durationPaths(atEnd)), attributeSearch: await timeQueries(api, attrPaths(atEnd)) },
        now: { searchServiceOperationMinDuration: await timeQueries(api, durationPaths('')), attributeSearch: await timeQueries(api, attrPaths('')) },
      };
      runs.push(run);
      const brief = (k) => Object.fromEntries(Object.entries(run[k]).map(([q, v]) => [q, `p50 ${v.p50} p95 ${v.p95}`]));
      process.stderr.write(`${round} ${side.label}: ${JSON.stringify({ atDataEnd: brief('atDataEnd'), now: brief('now') })}\n`);
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
  }
}

// Same answers (trace ids and span counts) from both sides, query by query.
let compared = 0;
let differing = 0;
for (const r of runs.filter((x) => x.side === 'after')) {
  const b = runs.find((x) => x.side === 'before' && x.round === r.round);
  for (const mode of ['atDataEnd', 'now'])
    for (const q of ['searchServiceOperationMinDuration', 'attributeSearch'])
      r[mode][q].answers.forEach((a, i) => {
        compared++;
        if (a !== b[mode][q].answers[i]) differing++;
      });
}
for (const r of runs) for (const mode of ['atDataEnd', 'now']) for (const q of Object.values(r[mode])) delete q.answers;
const results = {
  date: new Date().toISOString(),
  storedSpans: size,
  loadAverage: (await import('node:os')).loadavg(),
  before: { root: sides[0].root, dir: sides[0].dir },
  after: { root: sides[1].root, dir: sides[1].dir },
  answersCompared: compared,
  answersDiffering: differing,
  runs,
};
mkdirSync(path.dirname(values.out), { recursive: true });
writeFileSync(values.out, `${JSON.stringify(results, null, 2)}\n`);
process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
