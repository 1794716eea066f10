#!/usr/bin/env node
/**
 * tracehub UI benchmark (npm run bench:ui): synthetic traces of 1k, 10k, 100k
 * and 1M spans are loaded into a real tracehub; headless Chromium opens each
 * trace page, with the JSON trace detail (`?wire=json`, the previous UI; up to
 * --json-max spans) and with the compact one, alternating in one run, and measures
 *   - navigation → interactive waterfall (the UI's `waterfall-ready` mark: first
 *     rows painted and the main thread free to take input), and the same
 *     measured from the moment the trace JSON finished arriving;
 *   - the JS heap after a forced GC;
 *   - frame times while scrolling the waterfall programmatically;
 *   - rows in the DOM (virtualisation check) and collapse-all/expand-all time;
 *   - switching to the flame graph, statistics and span list views and back to
 *     the timeline (click to the next painted frame; each view is built on switch).
 *
 *   - trace by id from this process in each format (time to the last byte, size).
 *
 *   node --max-old-space-size=8192 bench/ui.mjs [--sizes 1000,10000,100000,1000000] [--runs 3] [--big-runs 1]
 *     [--wires json,compact] [--json-max 100000] [--ui before=/tmp/ui-main,after=apps/tracehub-ui/dist]
 *
 * --ui compares UI builds: each named build is served by this process (its
 * files, the hub's /api proxied), and every wire is opened with every build,
 * alternating in one run (results named e.g. `compact@before`).
 *
 * Writes bench/results/ui.json. A benchmark, not a test: figures vary by machine.
 */
import { execFileSync } from 'node:child_process';
import { createReadStream, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer, request } from 'node:http';
import { cpus, loadavg, totalmem } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { sendSyntheticTrace, waitForSpanCount } from './ui-traces.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values: opts } = parseArgs({
  options: {
    sizes: { type: 'string', default: '1000,10000,100000,1000000' },
    runs: { type: 'string', default: '3' },
    // Runs at 1M spans and more (each takes about a minute on this machine).
    'big-runs': { type: 'string', default: '1' },
    // The wire formats the page is opened with, alternating in one run: json is the "before" (the UI's
    // previous trace response), compact the "after". The JSON detail is not measured above --json-max spans.
    wires: { type: 'string', default: 'json,compact' },
    'json-max': { type: 'string', default: '100000' },
    // Keep the results of other sizes already in bench/results/ui.json (re-measure some sizes only).
    merge: { type: 'boolean', default: false },
    // UI builds to compare, name=dir,...: served by this process with the hub's API proxied (see serveUi).
    ui: { type: 'string', default: '' },
    // Where the results go (a trial run need not replace the recorded ones).
    out: { type: 'string', default: 'bench/results/ui.json' },
  },
});
const sizes = opts.sizes.split(',').map(Number);
const runs = Number(opts.runs);
const bigRuns = Number(opts['big-runs']);
const wires = opts.wires.split(',');
const jsonMax = Number(opts['json-max']);
const uiBuilds = opts.ui
  ? opts.ui.split(',').map((x) => {
      const [name, dir] = x.split('=');
      if (!name || !dir || !existsSync(path.join(dir, 'index.html'))) throw new Error(`--ui ${x}: expected name=dir of a UI build (with index.html)`);
      return { name, dir: path.resolve(dir) };
    })
  : [];
// Navigation → interactive goals (issue 13 part 2); heap ≤ 1 GB and scroll p95 ≤ 33 ms at both sizes.
const GOALS_MS = { 100000: 2000, 1000000: 10000 };
const HEAP_GOAL_MB = 1000;
const SCROLL_P95_GOAL_MS = 33;

const CONTENT_TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.map': 'application/json' };

/**
 * One UI build served from `dir` (any other path gets its index.html, as the hub does for the app's
 * routes), with /api/* proxied to the hub: every build compared reads the same hub through the same hop.
 */
async function serveUi(dir, apiUrl) {
  const target = new URL(apiUrl);
  const server = createServer((req, res) => {
    if (req.url.startsWith('/api/')) {
      const up = request({ host: target.hostname, port: target.port, path: req.url, method: req.method, headers: { ...req.headers, host: target.host } }, (r) => {
        res.writeHead(r.statusCode, r.headers);
        r.pipe(res);
      });
      up.on('error', (e) => {
        res.writeHead(502, { 'content-type': 'text/plain' });
        res.end(String(e));
      });
      req.pipe(up);
      return;
    }
    const p = path.join(dir, path.normalize(decodeURIComponent(new URL(req.url, 'http://ui').pathname)));
    const file = p.startsWith(dir + path.sep) && existsSync(p) && statSync(p).isFile() ? p : path.join(dir, 'index.html');
    res.writeHead(200, { 'content-type': CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(res);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${server.address().port}`, close: () => new Promise((resolve) => {
    server.closeAllConnections();
    server.close(resolve);
  }) };
}

/** GET /api/v1/traces/{id}?format=… from this process: time to the last byte and bytes, median of `n`. */
async function serverById(apiUrl, traceId, format, n) {
  const samples = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    const res = await fetch(`${apiUrl}/api/v1/traces/${traceId}?format=${format}`, { headers: { 'accept-encoding': 'identity' } });
    const body = await res.arrayBuffer();
    if (!res.ok) throw new Error(`trace by id (${format}) answered ${res.status}`);
    samples.push({ ms: performance.now() - t, bytes: body.byteLength });
  }
  return { ms: round(median(samples.map((s) => s.ms))), MB: round(samples[0].bytes / 1e6, 2) };
}

for (const f of ['apps/tracehub/dist/cli.js', 'apps/tracehub-ui/dist/index.html']) {
  if (!existsSync(path.join(root, f))) throw new Error(`${f} is missing: run \`npm run build\` first.`);
}
const { startHub } = await import(path.join(root, 'scripts/lib/hub.mjs'));

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const round = (x, d = 1) => Math.round(x * 10 ** d) / 10 ** d;

async function measure(browser, url) {
  const page = await browser.newPage({ viewport: { width: 1400, height: 850 } });
  const cdp = await page.context().newCDPSession(page);
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(url, { waitUntil: 'commit' });
  await page.locator('.waterfall[data-ready="true"]').waitFor({ timeout: 300_000 });
  const timing = await page.evaluate(() => {
    const mark = (n) => performance.getEntriesByName(n)[0]?.startTime ?? NaN;
    const api = performance.getEntriesByType('resource').find((e) => e.name.includes('/api/v1/traces/') && e.name.includes('format='));
    return {
      readyMs: mark('waterfall-ready'),
      parsedMs: mark('trace-parsed'),
      convertedMs: mark('trace-converted'),
      requestStartMs: api?.requestStart ?? NaN,
      responseStartMs: api?.responseStart ?? NaN,
      responseEndMs: api?.responseEnd ?? NaN,
      bytes: api?.decodedBodySize ?? NaN,
      rows: Number(document.querySelector('.waterfall')?.getAttribute('data-rows')),
    };
  });
  await cdp.send('HeapProfiler.collectGarbage');
  const heap = await cdp.send('Runtime.getHeapUsage');

  // Baseline: frame times with nothing happening, to tell the machine's own
  // frame pacing (software rendering, other load) from the waterfall's cost.
  const idle = await page.evaluate(async () => {
    const frame = () => new Promise((r) => requestAnimationFrame(r));
    await frame();
    const deltas = [];
    let last = performance.now();
    for (let i = 0; i < 120; i++) {
      await frame();
      const now = performance.now();
      deltas.push(now - last);
      last = now;
    }
    return deltas.sort((a, b) => a - b);
  });

  // Scroll: 10 rows per frame for 180 frames, then jumps across the whole list.
  const scroll = await page.evaluate(async () => {
    const el = document.querySelector('.rows-scroller');
    const frame = () => new Promise((r) => requestAnimationFrame(r));
    const deltas = [];
    let domRowsMax = 0;
    await frame();
    let last = performance.now();
    for (let i = 0; i < 240; i++) {
      if (i < 180) el.scrollTop += 240;
      else el.scrollTop = ((i * 7919) % 97) / 97 * (el.scrollHeight - el.clientHeight);
      await frame();
      const now = performance.now();
      deltas.push(now - last);
      last = now;
      domRowsMax = Math.max(domRowsMax, el.querySelectorAll('.span-row').length);
    }
    return { deltas, domRowsMax };
  });
  const d = [...scroll.deltas].sort((a, b) => a - b);

  // Collapse all, then expand all: click to the next painted frame.
  const toggles = await page.evaluate(async () => {
    const frame = () => new Promise((r) => requestAnimationFrame(r));
    const click = async (name) => {
      const b = [...document.querySelectorAll('.tree-buttons button')].find((x) => x.textContent === name);
      const t = performance.now();
      b.click();
      await frame();
      await frame();
      return performance.now() - t;
    };
    return { collapseAllMs: await click('Collapse all'), expandAllMs: await click('Expand all') };
  });

  const views = await page.evaluate(async () => {
    const frame = () => new Promise((r) => requestAnimationFrame(r));
    const show = async (name) => {
      const b = [...document.querySelectorAll('.view-switcher button')].find((x) => x.textContent === name);
      const t = performance.now();
      b.click();
      await frame();
      await frame();
      return performance.now() - t;
    };
    const flameMs = await show('Flame graph');
    const flameBoxes = Number(document.querySelector('[data-testid="flame-graph"]')?.getAttribute('data-boxes'));
    const statsMs = await show('Statistics');
    const spansMs = await show('Spans');
    const spanListDomRows = document.querySelectorAll('.span-list-row').length;
    const timelineMs = await show('Timeline');
    return { flameMs, statsMs, spansMs, timelineMs, flameBoxes, spanListDomRows };
  });
  await page.close();
  return {
    navToInteractiveMs: timing.readyMs,
    traceRequestAtMs: timing.requestStartMs,
    dataArrivedMs: timing.responseEndMs,
    serverResponseMs: timing.responseStartMs - timing.requestStartMs,
    dataToInteractiveMs: timing.readyMs - timing.responseEndMs,
    parseMs: timing.parsedMs - timing.responseEndMs,
    convertMs: timing.convertedMs - timing.parsedMs,
    treeAndFirstRenderMs: timing.readyMs - timing.convertedMs,
    payloadMB: timing.bytes / 1e6,
    rows: timing.rows,
    heapUsedMB: heap.usedSize / 1e6,
    frameMs: { p50: d[d.length >> 1], p95: d[Math.floor(d.length * 0.95)], max: d[d.length - 1] },
    idleFrameMs: { p50: idle[idle.length >> 1], p95: idle[Math.floor(idle.length * 0.95)] },
    framesOver33ms: d.filter((x) => x > 33.4).length,
    frames: d.length,
    domRowsMax: scroll.domRowsMax,
    ...toggles,
    views,
    errors,
  };
}

/** Writes bench/results/ui.json with the results so far (after each size, so a failure keeps them). */
function writeResults() {
let chromiumVersion = '';
try {
  chromiumVersion = execFileSync('/usr/bin/chromium', ['--version'], { encoding: 'utf8' }).trim();
} catch {
  chromiumVersion = 'unknown';
}
  const out = {
  benchmark: 'tracehub-ui waterfall',
  date: new Date().toISOString(),
  machine: {
    loadAverageBefore: loadBefore,
    loadAverageAfter: loadavg().map((x) => round(x, 2)),
    cpus: cpus().length, cpuModel: cpus()[0]?.model, memoryGB: round(totalmem() / 1e9), node: process.version, chromium: chromiumVersion },
  method:
    'Trace page opened in a fresh tab of headless Chromium (--disable-gpu, 1400x850). navToInteractiveMs: navigation start to the first painted waterfall rows with the main thread free (rAF + task after mount). dataToInteractiveMs: from the trace JSON response end to the same point (includes JSON parse, validation, tree build, critical path, first render). Heap: Runtime.getHeapUsage after HeapProfiler.collectGarbage. Scroll: 180 frames scrolling 10 rows per frame, then 60 random jumps; rAF deltas. Medians of the runs. wire json: the page opened with ?wire=json (the JSON trace detail, as the UI read it before); wire compact: ?format=compact; the two alternate in one run. serverById: GET /api/v1/traces/{id}?format=… from the bench process, time to the last byte. traceRequestAtMs: when the page sent the trace request (from navigation start). With --ui, wire@name: that wire opened with the named UI build, served by the bench process with the hub\'s /api proxied; builds and wires alternate in one run.',
  goals: {
    '100000': 'navigation → interactive ≤ 2 s; server trace by id ≤ 500 ms and ≤ 15 MB; scroll p95 ≤ 33 ms',
    '1000000': 'navigation → interactive ≤ 10 s with JS heap ≤ 1 GB; scroll p95 ≤ 33 ms',
  },
  results: [...kept, ...results].sort((a, b) => a.spans - b.spans),
};
  mkdirSync(path.dirname(resultsFile), { recursive: true });
  writeFileSync(resultsFile, `${JSON.stringify(out, null, 2)}\n`);
}

const loadBefore = loadavg().map((x) => round(x, 2));
const hub = await startHub({ args: ['--max-queue', String(Math.max(400000, ...sizes.map((n) => n + 10000)))], timeoutMs: 120_000, env: { NODE_OPTIONS: '--max-old-space-size=6144' } });
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
});
const resultsFile = path.resolve(root, opts.out);
const kept = opts.merge && existsSync(resultsFile) ? JSON.parse(readFileSync(resultsFile, 'utf8')).results.filter((r) => !sizes.includes(r.spans)) : [];
const results = [];
const uiServers = [];
for (const b of uiBuilds) uiServers.push({ ...b, ...(await serveUi(b.dir, hub.apiUrl)) });
// Each (wire, UI build) pair measured: the hub's own UI when no --ui is given.
const variants = (size) =>
  wires
    .filter((w) => w !== 'json' || size <= jsonMax)
    .flatMap((w) =>
      uiServers.length === 0 ? [{ key: w, wire: w, base: hub.apiUrl, ui: null }] : uiServers.map((u) => ({ key: `${w}@${u.name}`, wire: w, base: u.url, ui: u.name })),
    );
try {
  for (const size of sizes) {
    const t = Date.now();
    const traceId = await sendSyntheticTrace(hub.otlpHttpUrl, size);
    await waitForSpanCount(hub.apiUrl, traceId, size, 1_200_000);
    console.error(`loaded ${size} spans in ${Date.now() - t} ms`);
    const server = {};
    for (const w of ['json', 'compact']) if (w !== 'json' || size <= jsonMax) server[w] = await serverById(hub.apiUrl, traceId, w, size >= 1_000_000 ? 1 : 3);
    console.error(`  server: ${JSON.stringify(server)}`);
    const n = size >= 1_000_000 ? bigRuns : runs;
    const vs = variants(size);
    const byWire = Object.fromEntries(vs.map((v) => [v.key, []]));
    for (let r = 0; r < n; r++) {
      for (const v of vs) {
        const w = v.key;
        const samples = byWire[w];
        const m = await measure(browser, `${v.base}/trace/${traceId}${v.wire === 'json' ? '?wire=json' : ''}`);
        if (m.rows !== size) throw new Error(`waterfall shows ${m.rows} rows, expected ${size}`);
        samples.push(m);
        console.error(`  ${w} run ${r + 1}: interactive ${round(m.navToInteractiveMs)} ms (data at ${round(m.dataArrivedMs)} ms), heap ${round(m.heapUsedMB)} MB, frame p95 ${round(m.frameMs.p95)} ms`);
      }
    }
    for (const v of vs) {
      const samples = byWire[v.key];
      const med = (f) => round(median(samples.map(f)));
      const goal = GOALS_MS[size];
      results.push({
        spans: size,
        wire: v.key,
        ...(v.ui ? { ui: v.ui } : {}),
        runs: samples.length,
        navToInteractiveMs: med((s) => s.navToInteractiveMs),
        traceRequestAtMs: med((s) => s.traceRequestAtMs),
        dataToInteractiveMs: med((s) => s.dataToInteractiveMs),
        dataArrivedMs: med((s) => s.dataArrivedMs),
        serverResponseMs: med((s) => s.serverResponseMs),
        serverById: server[v.wire] ?? null,
        parseMs: med((s) => s.parseMs),
        convertMs: med((s) => s.convertMs),
        treeAndFirstRenderMs: med((s) => s.treeAndFirstRenderMs),
        payloadMB: round(samples[0].payloadMB),
        heapUsedMB: med((s) => s.heapUsedMB),
        idleFrameP50Ms: med((s) => s.idleFrameMs.p50),
        idleFrameP95Ms: med((s) => s.idleFrameMs.p95),
        scrollFrameP50Ms: med((s) => s.frameMs.p50),
        scrollFrameP95Ms: med((s) => s.frameMs.p95),
        scrollFrameMaxMs: med((s) => s.frameMs.max),
        scrollFramesOver33ms: med((s) => s.framesOver33ms),
        scrollFrames: samples[0].frames,
        domRowsMax: Math.max(...samples.map((s) => s.domRowsMax)),
        collapseAllMs: med((s) => s.collapseAllMs),
        expandAllMs: med((s) => s.expandAllMs),
        viewSwitchMs: {
          flame: med((s) => s.views.flameMs),
          stats: med((s) => s.views.statsMs),
          spans: med((s) => s.views.spansMs),
          timeline: med((s) => s.views.timelineMs),
        },
        flameBoxesDrawn: samples[0].views.flameBoxes,
        spanListDomRows: samples[0].views.spanListDomRows,
        goalNavToInteractiveMs: goal ?? null,
        meetsNavGoal: goal ? median(samples.map((s) => s.navToInteractiveMs)) <= goal : null,
        meetsHeapGoal: goal ? median(samples.map((s) => s.heapUsedMB)) <= HEAP_GOAL_MB : null,
        meetsScrollGoal: goal ? median(samples.map((s) => s.frameMs.p95)) <= SCROLL_P95_GOAL_MS : null,
        pageErrors: samples.flatMap((s) => s.errors),
      });
    }
    writeResults();
  }
} catch (e) {
  console.error(`hub exit code ${hub.process.exitCode} signal ${hub.process.signalCode}; its last log lines:\n${hub.logs.slice(-40).join('\n')}`);
  throw e;
} finally {
  for (const u of uiServers) await u.close();
  await browser.close();
  await hub.stop({ removeData: true });
}

console.log('| spans | wire | payload | server by id | nav → interactive | data → interactive (parse / convert / tree + render) | JS heap | scroll frame p50 / p95 (idle) | DOM rows |');
console.log('|---:|---|---:|---:|---:|---:|---:|---:|---:|');
for (const r of results) {
  console.log(
    `| ${r.spans.toLocaleString('en')} | ${r.wire} | ${r.payloadMB} MB | ${r.serverById?.ms ?? '–'} ms | ${r.navToInteractiveMs} ms | ${r.dataToInteractiveMs} ms (${r.parseMs} / ${r.convertMs} / ${r.treeAndFirstRenderMs}) | ${r.heapUsedMB} MB | ${r.scrollFrameP50Ms} / ${r.scrollFrameP95Ms} ms (${r.idleFrameP50Ms} / ${r.idleFrameP95Ms}) | ${r.domRowsMax} |`,
  );
}
