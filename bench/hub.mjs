#!/usr/bin/env node
/**
 * tracehub benchmark (npm run bench:hub): ingest throughput over OTLP/HTTP
 * protobuf with the hub pinned to one core and the client in another process
 * on the other core, then query latencies at 1M and 10M stored spans.
 *
 *   node bench/hub.mjs [--sizes 1000000,10000000] [--ingest-seconds 20] [--concurrency 4] [--out FILE]
 *
 * `--sizes none` measures ingest only. Writes bench/results/hub.json (or --out). A benchmark, not a test: figures vary by machine.
 */
import { spawn, execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir, cpus } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cli = path.join(root, 'apps/tracehub/dist/cli.js');
const { encodeTracesProtobuf } = await import(path.join(root, 'apps/tracehub/dist/otlp/index.js'));
const { fillStore, FILL_SERVICES } = await import('./hub-fill.mjs');

// ---------------------------------------------------------------- workload

const SERVICES = ['frontend', 'order-service', 'payment-service', 'inventory', 'shipping'];
const ROUTES = ['/order', '/orders', '/cart', '/checkout', '/products/{id}'];
const str = (value) => ({ type: 'string', value });
const int = (value) => ({ type: 'int', value: String(value) });

/** 512 spans: ~51 traces of 10 spans, ~10 attributes each, an event on every tenth span. */
export function makeBatch(seq, spansPerRequest = 512, recordIds, recordAll = false) {
  const spans = [];
  const nowNs = BigInt(Date.now()) * 1_000_000n;
  const resources = SERVICES.map((s) => ({
    attributes: [str(s), str('1.4.2'), str('lab'), str('node'), int(process.pid)].map((v, i) => ({
      key: ['service.name', 'service.version', 'deployment.environment.name', 'telemetry.sdk.language', 'process.pid'][i],
      value: v,
    })),
    droppedAttributesCount: 0,
    schemaUrl: '',
    serviceName: s,
  }));
  const scope = { name: '@opentelemetry/instrumentation-http', version: '0.223.0', attributes: [], droppedAttributesCount: 0, schemaUrl: '' };
  let traceId = '';
  let rootId = '';
  for (let i = 0; i < spansPerRequest; i++) {
    const pos = i % 10;
    if (pos === 0) {
      traceId = randomBytes(16).toString('hex');
      rootId = randomBytes(8).toString('hex');
      if (recordIds && (recordAll || Math.random() < 0.02)) recordIds.push(traceId);
    }
    const spanId = pos === 0 ? rootId : randomBytes(8).toString('hex');
    const route = ROUTES[(seq + i) % ROUTES.length];
    const status = (i * 7919 + seq) % 50 === 0 ? 500 : 200;
    const dur = BigInt(1_000_000 + ((i * 104729 + seq * 13) % 900_000_000));
    const start = nowNs - dur - BigInt(pos) * 1000n;
    spans.push({
      traceId,
      spanId,
      parentSpanId: pos === 0 ? '' : rootId,
      traceState: '',
      flags: 1,
      name: pos === 0 ? `GET ${route}` : pos % 3 === 0 ? 'SELECT orders' : `step-${pos}`,
      kind: pos === 0 ? 2 : pos % 3 === 0 ? 3 : 1,
      startTimeUnixNano: start,
      endTimeUnixNano: start + dur,
      attributes: [
        { key: 'http.request.method', value: str('GET') },
        { key: 'url.path', value: str(route.replace('{id}', String(i))) },
        { key: 'http.route', value: str(route) },
        { key: 'http.response.status_code', value: int(status) },
        { key: 'server.address', value: str('127.0.0.1') },
        { key: 'server.port', value: int(8080) },
        { key: 'db.system.name', value: str('postgresql') },
        { key: 'db.query.text', value: str('SELECT id, stock FROM products WHERE name = $1') },
        { key: 'user_agent.original', value: str('Mozilla/5.0 (X11; Linux x86_64) bench') },
        { key: 'order.id', value: int(seq * 1000 + i) },
      ],
      droppedAttributesCount: 0,
      events:
        i % 10 === 9
          ? [{ timeUnixNano: start + 1000n, name: 'exception', attributes: [{ key: 'exception.message', value: str('boom') }], droppedAttributesCount: 0 }]
          : [],
      droppedEventsCount: 0,
      links: [],
      droppedLinksCount: 0,
      statusCode: status === 500 ? 2 : 0,
      statusMessage: status === 500 ? 'Internal Server Error' : '',
      resource: resources[(seq + Math.floor(i / 10)) % resources.length],
      scope,
    });
  }
  return encodeTracesProtobuf(spans);
}

// ------------------------------------------------------------ load client

/**
 * A pool of encoded requests whose trace ids are rewritten per send: the
 * client stays cheap (a buffer copy and a few hundred 8-byte writes), so it
 * measures the hub, not the encoder.
 */
function makePool(size, spansPerRequest) {
  return Array.from({ length: size }, (_, i) => {
    const ids = [];
    const body = Buffer.from(makeBatch(i, spansPerRequest, ids, true));
    const traces = ids.map((hexId) => {
      const needle = Buffer.from(hexId, 'hex');
      const offsets = [];
      for (let at = body.indexOf(needle); at !== -1; at = body.indexOf(needle, at + 1)) offsets.push(at);
      return offsets;
    });
    return { body, traces };
  });
}

function freshRequest(template, recordIds) {
  const body = Buffer.from(template.body);
  for (const offsets of template.traces) {
    const id = randomBytes(16);
    for (const at of offsets) id.copy(body, at);
    if (recordIds && Math.random() < 0.02) recordIds.push(id.toString('hex'));
  }
  return body;
}

/** Client worker: keeps `concurrency` exports in flight until `spans` are acknowledged or the deadline passes. */
async function clientWorker({ url, concurrency, totalSpans, deadlineMs, spansPerRequest }) {
  let sent = 0;
  let acked = 0;
  let refused = 0;
  let seq = 0;
  const ids = [];
  const pool = makePool(16, spansPerRequest);
  async function lane() {
    while (sent < totalSpans && Date.now() < deadlineMs) {
      sent += spansPerRequest;
      const body = freshRequest(pool[seq % pool.length], ids);
      seq++;
      for (;;) {
        const res = await fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/x-protobuf' } });
        await res.arrayBuffer();
        if (res.status === 200) {
          acked += spansPerRequest;
          break;
        }
        refused++;
        await new Promise((r) => setTimeout(r, 50));
      }
      if (seq % 20 === 0) parentPort.postMessage({ progress: acked });
    }
  }
  await Promise.all(Array.from({ length: concurrency }, lane));
  parentPort.postMessage({ done: true, acked, refused, ids });
}

if (!isMainThread) {
  await clientWorker(workerData);
} else if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await main();
}

function runClient(opts, onProgress) {
  return new Promise((resolve, reject) => {
    const w = new Worker(fileURLToPath(import.meta.url), { workerData: opts });
    w.on('message', (m) => (m.done ? resolve(m) : onProgress?.(m.progress)));
    w.on('error', reject);
  });
}

// ------------------------------------------------------------------ helpers

function rssMb(pid) {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Math.round(Number(m[1]) / 1024) : null;
}

/** User + system CPU seconds of a process so far. */
function cpuSeconds(pid) {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(f[11]) + Number(f[12])) / 100;
}

function pct(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

function median(xs) {
  return xs.length === 0 ? null : pct([...xs].sort((a, b) => a - b), 50);
}

function summarize(ms) {
  const s = [...ms].sort((a, b) => a - b);
  return { n: s.length, p50: +pct(s, 50).toFixed(2), p95: +pct(s, 95).toFixed(2), p99: +pct(s, 99).toFixed(2) };
}

/**
 * Times requests one after another; a path, or { path, body } for a JSON POST.
 * `check(answer)` throws when an answer would make the figure meaningless (an empty selection, say).
 */
async function timeQueries(apiUrl, requests, check) {
  const out = [];
  for (const r of requests) {
    const { path: p, body } = typeof r === 'string' ? { path: r } : r;
    const init = body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
    const t = performance.now();
    const res = await fetch(apiUrl + p, init);
    const text = await res.text();
    out.push(performance.now() - t);
    if (res.status !== 200) throw new Error(`${p} → ${res.status} ${text.slice(0, 200)}`);
    check?.(JSON.parse(text), p);
  }
  return summarize(out);
}

/** Bytes of the data dir's files per stored span (the database file and its WAL, as on disk). */
function diskBytesPerSpan(dir, spans) {
  let bytes = 0;
  for (const f of readdirSync(dir)) bytes += statSync(path.join(dir, f)).size;
  return spans > 0 ? Math.round(bytes / spans) : null;
}

/**
 * Ack → visible while the load runs: every 250 ms one more 10-span trace is sent; once it is
 * acknowledged (200), trace by id is asked until it answers with all 10 spans. Summary of the waits, ms.
 */
async function probeVisibility(endpoints, untilMs) {
  const waits = [];
  let misses = 0;
  while (Date.now() < untilMs) {
    const ids = [];
    const body = makeBatch(0, 10, ids, true);
    const res = await fetch(`${endpoints.otlpHttp}/v1/traces`, { method: 'POST', body, headers: { 'content-type': 'application/x-protobuf' } });
    await res.arrayBuffer();
    if (res.status === 200) {
      const acked = performance.now();
      for (;;) {
        const t = await fetch(`${endpoints.api}/api/v1/traces/${ids[0]}`);
        const answer = t.status === 200 ? await t.json() : (await t.arrayBuffer(), null);
        if (answer?.spans?.length === 10) break;
        misses++;
        if (performance.now() - acked > 30_000) throw new Error(`trace ${ids[0]} not visible 30 s after its 200`);
        await new Promise((r) => setTimeout(r, 10));
      }
      waits.push(performance.now() - acked);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  if (waits.length === 0) return null;
  return { ...summarize(waits), max: +Math.max(...waits).toFixed(2), readsBeforeVisible: misses };
}

async function startHub(dataDir, pinCore) {
  const args = [cli, '--data-dir', dataDir, '--port', '0', '--otlp-http-port', '0', '--otlp-grpc-port', '0', '--tempo-port', 'off', '--jaeger-port', 'off', '--retention-age', 'off', '--retention-size', 'off', '--max-queue', '100000'];
  // HUB_NODE_ARGS='--cpu-prof --cpu-prof-dir=DIR' profiles the hub (NODE_OPTIONS may not carry --cpu-prof).
  const nodeArgs = (process.env.HUB_NODE_ARGS ?? '').split(' ').filter(Boolean);
  let cmd = process.execPath;
  let argv = [...nodeArgs, ...args];
  try {
    execFileSync('taskset', ['-c', '0', 'true']);
    // Pinned: core 0 only. Otherwise every core (this process itself is pinned to core 1).
    cmd = 'taskset';
    argv = ['-c', pinCore ? '0' : `0-${cpus().length - 1}`, process.execPath, ...nodeArgs, ...args];
  } catch {
    /* no taskset: unpinned */
  }
  const child = spawn(cmd, argv, { stdio: ['ignore', 'pipe', 'inherit'] });
  const endpoints = await new Promise((resolve, reject) => {
    createInterface({ input: child.stdout }).on('line', (l) => {
      if (l.includes('"tracehub started"')) resolve(JSON.parse(l).endpoints);
    });
    child.once('exit', (c) => reject(new Error(`hub exited ${c}`)));
  });
  return { child, endpoints };
}

// --------------------------------------------------------------------- main

async function main() {
  const { values } = parseArgs({
    options: {
      sizes: { type: 'string', default: '1000000,10000000' },
      'ingest-seconds': { type: 'string', default: '20' },
      concurrency: { type: 'string', default: '4' },
      queries: { type: 'string', default: '200' },
      out: { type: 'string', default: path.join(root, 'bench/results/hub.json') },
    },
  });
  const sizes = values.sizes.split(',').map(Number).filter((n) => n > 0);
  try {
    // The client (this process and its worker) on core 1; the hub goes on core 0.
    execFileSync('taskset', ['-a', '-p', '-c', '1', String(process.pid)], { stdio: 'ignore' });
  } catch {
    /* no taskset */
  }
  const concurrency = Number(values.concurrency);
  const nQueries = Number(values.queries);
  const dataDir = mkdtempSync(path.join(tmpdir(), 'tracehub-bench-'));
  const results = {
    date: new Date().toISOString(),
    machine: { cpus: cpus().length, model: cpus()[0]?.model, node: process.version },
    setup: {
      ingest: { spansPerRequest: 512, attributesPerSpan: 10, eventEvery: 10, concurrency, hubPinnedToOneCore: true, client: 'worker thread on the other core' },
      queries: 'data generated in DuckDB by bench/hub-fill.mjs (same rows as ingest writes), hub unpinned, sequential queries over HTTP',
    },
    ingest: null,
    queries: [],
  };
  // 1. Sustained ingest over OTLP/HTTP protobuf for a fixed time, hub on one core (--ingest-seconds 0 skips it).
  if (Number(values['ingest-seconds']) > 0) {
    const { child, endpoints } = await startHub(dataDir, true);
    let peakRss = 0;
    const rssTimer = setInterval(() => (peakRss = Math.max(peakRss, rssMb(child.pid) ?? 0)), 500);
    try {
      const seconds = Number(values['ingest-seconds']);
      process.stderr.write(`ingest: ${seconds} s, ${concurrency} requests in flight...\n`);
      const cpu0 = cpuSeconds(child.pid);
      const t0 = performance.now();
      const deadlineMs = Date.now() + seconds * 1000;
      const [r, visible] = await Promise.all([
        runClient({ url: `${endpoints.otlpHttp}/v1/traces`, concurrency, totalSpans: Infinity, deadlineMs, spansPerRequest: 512 }),
        probeVisibility(endpoints, deadlineMs - 1000),
      ]);
      const elapsed = (performance.now() - t0) / 1000;
      const cpu = cpuSeconds(child.pid) - cpu0;
      results.ingest = {
        seconds: +elapsed.toFixed(1),
        spansAcked: r.acked,
        spansPerSecond: Math.round(r.acked / elapsed),
        hubCpuSeconds: +cpu.toFixed(1),
        spansPerHubCpuSecond: Math.round(r.acked / cpu),
        refusedRequests: r.refused,
        rssMb: rssMb(child.pid),
        peakRssMb: peakRss,
        ackToVisibleMs: visible,
        // As on disk while ingest runs (the WAL holds what the last checkpoint has not folded in yet).
        diskBytesPerSpanLive: diskBytesPerSpan(dataDir, r.acked),
      };
    } finally {
      clearInterval(rssTimer);
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      // After the hub's closing checkpoint: the compressed tables alone.
      if (results.ingest) results.ingest.diskBytesPerSpan = diskBytesPerSpan(dataDir, results.ingest.spansAcked);
      process.stderr.write(`ingest: ${JSON.stringify(results.ingest)}\n`);
      rmSync(dataDir, { recursive: true, force: true });
    }
  }

  // 2. Queries at each size: the data is generated in DuckDB (bench/hub-fill.mjs), then served by the hub.
  for (const size of sizes) {
    const queryDir = mkdtempSync(path.join(tmpdir(), 'tracehub-bench-q-'));
    try {
      process.stderr.write(`filling to ${size} spans...\n`);
      const ft = performance.now();
      await fillStore(queryDir, size, (n) => process.stderr.write(`\r  ${n} spans`));
      process.stderr.write(`\n  filled in ${((performance.now() - ft) / 1000).toFixed(0)} s\n`);
      const { child, endpoints } = await startHub(queryDir, false);
      try {
        const traces = size / 10;
        const traceId = () => createHash('md5').update(`t${Math.floor(Math.random() * traces)}`).digest('hex');
        // Warm-up: the first queries after start read the file into DuckDB's buffer pool.
        await timeQueries(endpoints.api, Array.from({ length: 20 }, () => `/api/v1/traces/${traceId()}`));
        const byId = await timeQueries(endpoints.api, Array.from({ length: nQueries }, () => `/api/v1/traces/${traceId()}`));
        const search = await timeQueries(
          endpoints.api,
          Array.from({ length: Math.min(100, nQueries) }, (_, i) => `/api/v1/traces?service=${FILL_SERVICES[i % 5]}&operation=${encodeURIComponent('GET /order')}&minDuration=${500 + (i % 5) * 50}ms&limit=20`),
        );
        const attr = await timeQueries(
          endpoints.api,
          Array.from({ length: Math.min(50, nQueries) }, () => `/api/v1/traces?attr.order.id=${Math.floor(Math.random() * size)}&limit=20`),
        );
        const traceql = await timeQueries(
          endpoints.api,
          Array.from({ length: Math.min(50, nQueries) }, (_, i) =>
            `/api/v1/traces?limit=20&q=${encodeURIComponent(`{ resource.service.name = "${FILL_SERVICES[i % 5]}" && span.http.response.status_code >= 500 && duration > ${300 + i}ms }`)}`,
          ),
        );
        // TraceQL beyond one selector (issue 9): a structural query (an errored slow child of a service's
        // server span) and an aggregate (traces whose SELECT spans average above a bound). Both run the
        // evaluator on the prefilter's candidates (at most 2,000 per request); `found` counts the answers.
        const found = (key) => (a) => {
          (foundCounts[key] ??= []).push(a.traces.length);
        };
        const foundCounts = {};
        const traceqlStructural = await timeQueries(
          endpoints.api,
          Array.from({ length: Math.min(30, nQueries) }, (_, i) =>
            `/api/v1/traces?limit=20&q=${encodeURIComponent(`{ resource.service.name = "${FILL_SERVICES[i % 5]}" && kind = server } >> { status = error && duration > ${500 + i}ms }`)}`,
          ),
          found('structural'),
        );
        const traceqlAggregate = await timeQueries(
          endpoints.api,
          Array.from({ length: Math.min(30, nQueries) }, (_, i) =>
            `/api/v1/traces?limit=20&q=${encodeURIComponent(`{ resource.service.name = "${FILL_SERVICES[i % 5]}" && name = "SELECT orders" } | avg(duration) > ${600 + i}ms`)}`,
          ),
          found('aggregate'),
        );
        // Issue 12's analysis over the last hour of the day of data (~1/24 of the spans).
        const nowNs = BigInt(Date.now()) * 1_000_000n;
        const hourNs = 3_600_000_000_000n;
        // /api/v1 query parameters take unix milliseconds.
        const nowMs = Number(nowNs / 1_000_000n);
        const hourAgoMs = nowMs - 3_600_000;
        const lastHourTrace = () => createHash('md5').update(`t${traces - 1 - Math.floor(Math.random() * (traces / 24) * 0.9)}`).digest('hex');
        const nAnalysis = Math.min(30, nQueries);
        const compareBaseline = await timeQueries(
          endpoints.api,
          Array.from({ length: nAnalysis }, () => `/api/v1/compare?a=${lastHourTrace()}&baseline=auto`),
          (a, p) => {
            if (!(a.baseline?.traceCount > 0 && a.rows.length > 0)) throw new Error(`${p}: no baseline or no rows`);
          },
        );
        const attributeAnalysis = await timeQueries(
          endpoints.api,
          Array.from({ length: nAnalysis }, (_, i) => {
            // A 10-minute box over the slower traces (≥ 800 ms: generated traces last ~0.9–1.8 s at 1M spans, ~0.1–1 s at 10M), against the rest of the hour.
            const boxStart = nowNs - hourNs + BigInt(i % 5) * 600_000_000_000n;
            return {
              path: '/api/v1/analyze/attributes',
              body: {
                start: String(nowNs - hourNs),
                end: String(nowNs),
                selection: { box: { startTimeUnixNano: String(boxStart), endTimeUnixNano: String(boxStart + 600_000_000_000n), minDurationMs: 800, maxDurationMs: 5000 } },
              },
            };
          }),
          (a, p) => {
            if (!(a.selection.traceCount > 0 && a.baseline.traceCount > 0 && a.attributes.length > 0)) throw new Error(`${p}: an empty selection or baseline`);
          },
        );
        const red = await timeQueries(
          endpoints.api,
          Array.from({ length: nAnalysis }, (_, i) =>
            i % 2 === 0
              ? `/api/v1/metrics?start=${hourAgoMs}&end=${nowMs}`
              : `/api/v1/metrics?service=${FILL_SERVICES[i % 5]}&start=${hourAgoMs}&end=${nowMs}`,
          ),
          (a, p) => {
            if (!(a.series.length > 0 && a.series.every((x) => x.totals.calls > 0))) throw new Error(`${p}: no calls`);
          },
        );
        // TraceQL metrics over the last hour: rate by span name for one service, and a p95 of durations by service.
        const traceqlMetrics = await timeQueries(
          endpoints.api,
          Array.from({ length: nAnalysis }, (_, i) => {
            const q =
              i % 2 === 0
                ? `{ resource.service.name = "${FILL_SERVICES[i % 5]}" } | rate() by (span:name)`
                : '{ } | quantile_over_time(duration, .95) by (resource.service.name)';
            return `/api/v1/metrics/traceql?q=${encodeURIComponent(q)}&start=${hourAgoMs}&end=${nowMs}&step=60s`;
          }),
          (a, p) => {
            if (!(a.series.length > 0 && a.series.some((x) => x.samples.some(([, v]) => v > 0)))) throw new Error(`${p}: no series with a value`);
          },
        );
        const serviceMap = await timeQueries(
          endpoints.api,
          Array.from({ length: Math.min(10, nQueries) }, () => `/api/v1/dependencies?start=${hourAgoMs}&end=${nowMs}`),
          (a, p) => {
            if (!(a.nodes.length > 0)) throw new Error(`${p}: no nodes`);
          },
        );
        const entry = {
          storedSpans: size,
          traceById: byId,
          searchServiceOperationMinDuration: search,
          attributeSearch: attr,
          traceql,
          traceqlStructural: { ...traceqlStructural, tracesFoundMedian: median(foundCounts.structural ?? []) },
          traceqlAggregate: { ...traceqlAggregate, tracesFoundMedian: median(foundCounts.aggregate ?? []) },
          compareWithBaseline: compareBaseline,
          attributeAnalysis1h: attributeAnalysis,
          redMetrics1h: red,
          traceqlMetrics1h: traceqlMetrics,
          serviceMap1h: serviceMap,
          rssMb: rssMb(child.pid),
          diskBytesPerSpan: diskBytesPerSpan(queryDir, size),
        };
        results.queries.push(entry);
        process.stderr.write(`${JSON.stringify(entry)}\n`);
      } finally {
        child.kill('SIGTERM');
        await new Promise((r) => child.once('exit', r));
      }
    } finally {
      rmSync(queryDir, { recursive: true, force: true });
    }
  }
  mkdirSync(path.join(root, 'bench/results'), { recursive: true });
  writeFileSync(values.out, `${JSON.stringify(results, null, 2)}\n`);
  process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
}
