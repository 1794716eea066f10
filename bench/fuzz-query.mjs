/**
 * Query fuzzing (issue 9): generated TraceQL strings against the parser, and
 * generated Tempo / Jaeger / /api/v1 parameter sets against a real tracehub
 * over HTTP. Counts crashes (anything but a TraceQLError from the parser; the
 * hub process dying or logging an uncaught error), 5xx answers and answers
 * slower than 5 s. Writes bench/results/fuzz.json.
 *
 * The same parameter sets also go to the hub's four apps in this process
 * through Fastify's inject() (`--inject`): the same routes, handlers, error
 * handlers and store, without sockets, so a million of them fit in minutes.
 *
 * And to the APIs' parameter parsers directly (`--params`), a million in a minute.
 *
 *   node bench/fuzz-query.mjs [--parser 1000000] [--params 1000000] [--inject 100000] [--http 100000] [--concurrency 8] [--seed 1]
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { cpus, loadavg } from 'node:os';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const gen = await import(path.join(root, 'apps/tracehub/test/fuzz/gen.mjs'));
const traceql = await import(path.join(root, 'apps/tracehub/dist/traceql/index.js'));
const { startHub } = await import(path.join(root, 'scripts/lib/hub.mjs'));
const { buildTracehub, closeTracehub, parseConfig } = await import(path.join(root, 'apps/tracehub/dist/index.js'));
const dist = (m) => import(path.join(root, 'apps/tracehub/dist', m));
const [tempoSearch, tempoMetrics, jaegerQuery, jaegerMetrics, v1Routes, v1Params, compatParams, metricsRange] = await Promise.all(
  ['compat/tempo-search.js', 'compat/tempo-metrics-params.js', 'compat/jaeger-query.js', 'compat/jaeger-metrics.js', 'api/routes.js', 'api/params.js', 'compat/query-params.js', 'traceql/metrics-range.js'].map(dist),
);

const { values } = parseArgs({
  options: {
    parser: { type: 'string', default: '1000000' },
    http: { type: 'string', default: '100000' },
    inject: { type: 'string', default: '100000' },
    params: { type: 'string', default: '1000000' },
    concurrency: { type: 'string', default: '8' },
    seed: { type: 'string', default: '1' },
  },
});
const LIMIT_MS = 5000;
const parse = traceql.parseTraceQLQuery ?? traceql.parseTraceQL;

// ------------------------------------------------------------------ parser
function fuzzParser(n, seed) {
  const r = gen.rng(seed);
  const out = { generated: n, accepted: 0, rejected: 0, crashes: 0, crashSamples: [], slowest: { ms: 0, query: '' }, overLimit: 0 };
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    const q = gen.fuzzTraceQL(r);
    const t = performance.now();
    try {
      parse(q);
      out.accepted++;
    } catch (err) {
      if (err instanceof traceql.TraceQLError) out.rejected++;
      else {
        out.crashes++;
        if (out.crashSamples.length < 10) out.crashSamples.push({ query: q.slice(0, 300), error: String(err).slice(0, 300) });
      }
    }
    const ms = performance.now() - t;
    if (ms > out.slowest.ms) out.slowest = { ms: Number(ms.toFixed(2)), query: q.slice(0, 200) };
    if (ms > LIMIT_MS) out.overLimit++;
  }
  out.seconds = Number(((performance.now() - t0) / 1000).toFixed(1));
  return out;
}

// -------------------------------------------------------------------- http
const hex = (r, n) => Array.from({ length: n }, () => r.int(16).toString(16)).join('');
const str = (v) => ({ stringValue: v });

/** 60 traces of the seed's shapes (some failing), with typed attributes, events and links. */
function seedBody(r) {
  const now = BigInt(Date.now()) * 1_000_000n;
  const resourceSpans = [];
  const spansBy = { 'order-service': [], 'payment-service': [] };
  const traces = [];
  for (let t = 0; t < 60; t++) {
    const traceId = hex(r, 32);
    traces.push(traceId);
    const start = now - BigInt(r.int(3_000_000)) * 1_000_000n;
    const root = hex(r, 16);
    const fail = t % 5 === 0;
    const span = (service, id, parent, name, kind, offMs, durMs, extra = {}) =>
      spansBy[service].push({
        traceId, spanId: id, parentSpanId: parent, name, kind,
        startTimeUnixNano: String(start + BigInt(offMs) * 1_000_000n),
        endTimeUnixNano: String(start + BigInt(offMs + durMs) * 1_000_000n),
        attributes: extra.attributes ?? [],
        events: extra.events ?? [],
        links: extra.links ?? [],
        status: extra.error ? { code: 2, message: extra.error } : { code: 0 },
      });
    span('order-service', root, '', 'GET /order', 2, 0, 100 + r.int(600), {
      attributes: [{ key: 'http.response.status_code', value: { intValue: fail ? 504 : 200 } }, { key: 'product.name', value: str(t % 7 ? 'Book' : 'OutOfStockItem') }, { key: 'cache_hit', value: { boolValue: t % 2 === 0 } }, { key: 'ratio', value: { doubleValue: t / 7 } }, { key: 'tags', value: { arrayValue: { values: [str('a'), str('b')] } } }],
      error: fail ? 'Gateway Timeout' : undefined,
      links: t > 0 ? [{ traceId: traces[t - 1], spanId: hex(r, 16), attributes: [{ key: 'link.kind', value: str('retry') }] }] : [],
    });
    span('order-service', hex(r, 16), root, 'check-stock', 1, 1, 5 + r.int(20));
    const pay = hex(r, 16);
    span('order-service', pay, root, 'call-payment-api', 3, 30, 50 + r.int(500), {
      error: fail ? 'payment timed out after 500 ms' : undefined,
      events: fail ? [{ name: 'exception', timeUnixNano: String(start + 530_000_000n), attributes: [{ key: 'exception.type', value: str('PAYMENT_TIMEOUT') }, { key: 'exception.message', value: str('timeout') }] }] : [],
    });
    span('payment-service', hex(r, 16), pay, 'POST /pay', 2, 32, 40 + r.int(500), { attributes: [{ key: 'http.route', value: str('/pay') }] });
  }
  for (const [service, spans] of Object.entries(spansBy)) {
    resourceSpans.push({
      resource: { attributes: [{ key: 'service.name', value: str(service) }, { key: 'telemetry.sdk.language', value: str('nodejs') }] },
      scopeSpans: [{ scope: { name: '@tracelab/fuzz', version: '1.0.0', attributes: [{ key: 'scope.attr', value: str('x') }] }, spans }],
    });
  }
  return { resourceSpans };
}

/** A query string as Fastify parses it: repeated keys become arrays. */
function asQuery(params) {
  const q = {};
  for (const [k, v] of new URLSearchParams(gen.queryString(params))) q[k] = k in q ? [].concat(q[k], v) : v;
  return q;
}

/** Parameter sets against the APIs' own parameter parsers (pure, in this process): a 400-type error or a result. */
function fuzzParams(n, seed) {
  const r = gen.rng(seed);
  const expected = [v1Params.BadParameterError, compatParams.BadParam, traceql.TraceQLError, metricsRange.MetricsRangeError].filter(Boolean);
  // generated: parameter sets made; parsed: those for a route with a parameter parser (the rest need none).
  const out = { generated: n, parsed: 0, accepted: 0, rejected: 0, crashes: 0, crashSamples: [], overLimit: 0, slowest: { ms: 0, query: '' } };
  const nowNs = BigInt(Date.now()) * 1_000_000n;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    const api = ['tempo', 'jaeger', 'v1'][i % 3];
    const [p, params] = api === 'tempo' ? gen.tempoRequest(r) : api === 'jaeger' ? gen.jaegerRequest(r) : gen.apiV1Request(r);
    const q = asQuery(params);
    const t = performance.now();
    try {
      if (p === '/api/search') tempoSearch.parseTempoSearch(q);
      else if (p.startsWith('/api/metrics/query')) {
        const m = tempoMetrics.parseTempoMetricsParams(q, nowNs);
        tempoMetrics.parseTempoStep(q, m.startNs, m.endNs);
      } else if (p === '/api/traces') jaegerQuery.parseJaegerTraceQuery(q);
      else if (p.startsWith('/api/metrics/') && ['latencies', 'calls', 'errors'].includes(p.split('/')[3])) jaegerMetrics.parseJaegerMetricsQuery(q, p.split('/')[3], Date.now());
      else if (p === '/api/v1/traces') v1Routes.parseTraceSearch(q);
      else continue;
      out.accepted++;
    } catch (err) {
      if (expected.some((E) => err instanceof E)) out.rejected++;
      else {
        out.crashes++;
        if (out.crashSamples.length < 10) out.crashSamples.push({ path: p, params: gen.queryString(params).slice(0, 300), error: String(err).slice(0, 300) });
      }
    }
    const ms = performance.now() - t;
    if (ms > out.slowest.ms) out.slowest = { ms: Number(ms.toFixed(2)), query: `${p}?${gen.queryString(params)}`.slice(0, 200) };
    if (ms > LIMIT_MS) out.overLimit++;
  }
  out.parsed = out.accepted + out.rejected + out.crashes;
  out.seconds = Number(((performance.now() - t0) / 1000).toFixed(1));
  return out;
}

/** Parameter sets against the apps in this process (inject), `concurrency` at a time. */
async function fuzzInject(n, seed, concurrency) {
  const r = gen.rng(seed);
  const { mkdtempSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const pino = (await import('pino')).default;
  const dataDir = mkdtempSync(path.join(tmpdir(), 'tracehub-fuzz-'));
  const parts = await buildTracehub(parseConfig(['--data-dir', dataDir, '--log-level', 'silent'], {}), pino({ level: 'silent' }));
  parts.setReady(true);
  const out = { generated: n, byApi: {}, statuses: {}, fiveXx: 0, fiveXxSamples: [], overLimit: 0, slowest: { ms: 0, url: '' }, slowSamples: [], thrown: 0 };
  try {
    const seeded = await parts.otlpHttp.inject({ method: 'POST', url: '/v1/traces', headers: { 'content-type': 'application/json' }, payload: JSON.stringify(seedBody(r)) });
    if (seeded.statusCode !== 200) throw new Error(`seeding failed: ${seeded.statusCode} ${seeded.body}`);
    const apps = { tempo: parts.tempo, jaeger: parts.jaeger, v1: parts.api };
    await drive(out, { n, concurrency, r, label: 'inject', failKey: 'thrown', send: async (api, url) => (await apps[api].inject({ method: 'GET', url })).statusCode });
  } finally {
    await closeTracehub(parts);
    rmSync(dataDir, { recursive: true, force: true });
  }
  return out;
}

/** n generated requests, `concurrency` at a time; `send(api, pathAndQuery)` answers a status, a throw counts as `failKey`. */
async function drive(out, { n, concurrency, r, label, failKey, send }) {
  let next = 0;
  const t0 = performance.now();
  const worker = async () => {
    while (next < n) {
      const i = next++;
      const api = ['tempo', 'jaeger', 'v1'][i % 3];
      const [p, params] = api === 'tempo' ? gen.tempoRequest(r) : api === 'jaeger' ? gen.jaegerRequest(r) : gen.apiV1Request(r);
      const url = `${p}?${gen.queryString(params)}`;
      const t = performance.now();
      try {
        record(out, api, await send(api, url), url, performance.now() - t);
      } catch (err) {
        out[failKey]++;
        if (out.fiveXxSamples.length < 20) out.fiveXxSamples.push({ error: String(err).slice(0, 200), url: url.slice(0, 400) });
      }
      if (i % 50_000 === 0 && i > 0) process.stderr.write(`  ${label} ${i}/${n}\n`);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  out.seconds = Number(((performance.now() - t0) / 1000).toFixed(1));
}

function record(out, api, status, url, ms) {
  out.statuses[status] = (out.statuses[status] ?? 0) + 1;
  const a = (out.byApi[api] ??= { requests: 0, '2xx': 0, '4xx': 0, '5xx': 0 });
  a.requests++;
  a[`${Math.floor(status / 100)}xx`] = (a[`${Math.floor(status / 100)}xx`] ?? 0) + 1;
  if (status >= 500) {
    out.fiveXx++;
    if (out.fiveXxSamples.length < 20) out.fiveXxSamples.push({ status, url: url.slice(0, 400) });
  }
  if (ms > LIMIT_MS) out.overLimit++;
  if (ms > out.slowest.ms) out.slowest = { ms: Number(ms.toFixed(1)), url: url.slice(0, 300) };
  if (ms > 1000) {
    out.slowSamples.push({ ms: Math.round(ms), status, url: url.slice(0, 300) });
    out.slowSamples.sort((x, y) => y.ms - x.ms).splice(10);
  }
}

async function fuzzHttp(n, concurrency, seed) {
  const r = gen.rng(seed);
  const hub = await startHub({ args: ['--memory-limit', '512MiB'] });
  const out = { generated: n, byApi: {}, statuses: {}, fiveXx: 0, fiveXxSamples: [], overLimit: 0, slowest: { ms: 0, url: '' }, slowSamples: [], networkErrors: 0, hubAlive: true, uncaughtInLog: 0 };
  try {
    const res = await fetch(`${hub.otlpHttpUrl}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(seedBody(r)) });
    if (res.status !== 200) throw new Error(`seeding failed: ${res.status} ${await res.text()}`);
    const bases = { tempo: hub.tempoUrl, jaeger: hub.jaegerUrl, v1: hub.apiUrl };
    await drive(out, {
      n,
      concurrency,
      r,
      label: 'http',
      failKey: 'networkErrors',
      send: async (api, url) => {
        const answer = await fetch(`${bases[api]}${url}`, { signal: AbortSignal.timeout(30_000) });
        await answer.arrayBuffer();
        return answer.status;
      },
    });
    out.hubAlive = hub.process.exitCode === null && hub.process.signalCode === null && (await fetch(`${hub.apiUrl}/health`)).status === 200;
    out.uncaughtInLog = hub.logs.filter((l) => /uncaught|unhandled/i.test(l)).length;
  } finally {
    await hub.stop({ removeData: true });
  }
  return out;
}

const seed = Number(values.seed);
const started = new Date().toISOString();
const load = loadavg();
process.stderr.write(`parser: ${values.parser} queries...\n`);
const parser = fuzzParser(Number(values.parser), seed);
process.stderr.write(`  ${JSON.stringify({ crashes: parser.crashes, accepted: parser.accepted, rejected: parser.rejected, seconds: parser.seconds })}\n`);
process.stderr.write(`params: ${values.params} parameter sets...\n`);
const paramSets = Number(values.params) > 0 ? fuzzParams(Number(values.params), seed + 3) : null;
if (paramSets) process.stderr.write(`  ${JSON.stringify({ crashes: paramSets.crashes, accepted: paramSets.accepted, rejected: paramSets.rejected, seconds: paramSets.seconds })}\n`);
process.stderr.write(`inject: ${values.inject} requests...\n`);
const inject = Number(values.inject) > 0 ? await fuzzInject(Number(values.inject), seed + 2, Number(values.concurrency)) : null;
if (inject) process.stderr.write(`  ${JSON.stringify({ fiveXx: inject.fiveXx, thrown: inject.thrown, overLimit: inject.overLimit, seconds: inject.seconds })}\n`);
process.stderr.write(`http: ${values.http} requests...\n`);
const http = Number(values.http) > 0 ? await fuzzHttp(Number(values.http), Number(values.concurrency), seed + 1) : null;
const result = {
  benchmark: 'query fuzzing: TraceQL strings against the parser; Tempo, Jaeger and /api/v1 parameter sets against a real hub',
  date: started,
  machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model, node: process.version },
  loadAverageAtStart: load.map((x) => Number(x.toFixed(2))),
  settings: { seed, limitMs: LIMIT_MS, concurrency: Number(values.concurrency) },
  parser,
  params: paramSets,
  inject,
  http,
  pass: parser.crashes === 0 && parser.overLimit === 0 && (paramSets === null || (paramSets.crashes === 0 && paramSets.overLimit === 0)) && (inject === null || (inject.fiveXx === 0 && inject.thrown === 0 && inject.overLimit === 0)) && (http === null || (http.fiveXx === 0 && http.overLimit === 0 && http.networkErrors === 0 && http.hubAlive && http.uncaughtInLog === 0)),
};
writeFileSync(path.join(root, 'bench/results/fuzz.json'), JSON.stringify(result, null, 2) + '\n');
console.log(JSON.stringify({ pass: result.pass, parser: { crashes: parser.crashes, overLimit: parser.overLimit, slowest: parser.slowest }, params: paramSets && { crashes: paramSets.crashes, samples: paramSets.crashSamples.slice(0, 5) }, inject: inject && { fiveXx: inject.fiveXx, thrown: inject.thrown, overLimit: inject.overLimit, slowest: inject.slowest, samples: inject.fiveXxSamples.slice(0, 5) }, http: http && { fiveXx: http.fiveXx, overLimit: http.overLimit, slowest: http.slowest, statuses: http.statuses, samples: http.fiveXxSamples.slice(0, 5) } }, null, 2));
