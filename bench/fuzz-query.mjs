/**
 * Query fuzzing (issue 9): generated TraceQL strings against the parser, and
 * generated Tempo / Jaeger / /api/v1 parameter sets against a real tracehub
 * over HTTP. Counts crashes (anything but a TraceQLError from the parser; the
 * hub process dying or logging an uncaught error), 5xx answers and answers
 * slower than 5 s. Writes bench/results/fuzz.json.
 *
 *   node bench/fuzz-query.mjs [--parser 1000000] [--http 1000000] [--concurrency 8] [--seed 1]
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { cpus, loadavg } from 'node:os';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const gen = await import(path.join(root, 'apps/tracehub/test/fuzz/gen.mjs'));
const traceql = await import(path.join(root, 'apps/tracehub/dist/traceql/index.js'));
const { startHub } = await import(path.join(root, 'apps/tracehub/dist/testing.js'));

const { values } = parseArgs({
  options: {
    parser: { type: 'string', default: '1000000' },
    http: { type: 'string', default: '1000000' },
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

async function fuzzHttp(n, concurrency, seed) {
  const r = gen.rng(seed);
  const hub = await startHub({ args: ['--memory-limit', '512MiB'] });
  const out = { generated: n, byApi: {}, statuses: {}, fiveXx: 0, fiveXxSamples: [], overLimit: 0, slowest: { ms: 0, url: '' }, slowSamples: [], networkErrors: 0, hubAlive: true, uncaughtInLog: 0 };
  try {
    const res = await fetch(`${hub.otlpHttpUrl}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(seedBody(r)) });
    if (res.status !== 200) throw new Error(`seeding failed: ${res.status} ${await res.text()}`);
    const bases = { tempo: hub.tempoUrl, jaeger: hub.jaegerUrl, v1: hub.apiUrl };
    let next = 0;
    const t0 = performance.now();
    const worker = async () => {
      while (next < n) {
        const i = next++;
        const api = ['tempo', 'jaeger', 'v1'][i % 3];
        const [p, params] = api === 'tempo' ? gen.tempoRequest(r) : api === 'jaeger' ? gen.jaegerRequest(r) : gen.apiV1Request(r);
        const url = `${bases[api]}${p}?${gen.queryString(params)}`;
        const t = performance.now();
        try {
          const ac = AbortSignal.timeout(30_000);
          const res = await fetch(url, { signal: ac });
          await res.arrayBuffer();
          const ms = performance.now() - t;
          out.statuses[res.status] = (out.statuses[res.status] ?? 0) + 1;
          const a = (out.byApi[api] ??= { requests: 0, '2xx': 0, '4xx': 0, '5xx': 0 });
          a.requests++;
          a[`${Math.floor(res.status / 100)}xx`] = (a[`${Math.floor(res.status / 100)}xx`] ?? 0) + 1;
          if (res.status >= 500) {
            out.fiveXx++;
            if (out.fiveXxSamples.length < 20) out.fiveXxSamples.push({ status: res.status, url: url.slice(0, 400) });
          }
          if (ms > LIMIT_MS) out.overLimit++;
          if (ms > out.slowest.ms) out.slowest = { ms: Number(ms.toFixed(1)), url: url.slice(0, 300) };
          if (ms > 1000) {
            out.slowSamples.push({ ms: Math.round(ms), status: res.status, url: url.slice(0, 300) });
            out.slowSamples.sort((a, b) => b.ms - a.ms).splice(10);
          }
        } catch (err) {
          out.networkErrors++;
          if (out.fiveXxSamples.length < 20) out.fiveXxSamples.push({ error: String(err).slice(0, 200), url: url.slice(0, 400) });
        }
        if (i % 50_000 === 0 && i > 0) process.stderr.write(`  http ${i}/${n}\n`);
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    out.seconds = Number(((performance.now() - t0) / 1000).toFixed(1));
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
process.stderr.write(`http: ${values.http} requests...\n`);
const http = Number(values.http) > 0 ? await fuzzHttp(Number(values.http), Number(values.concurrency), seed + 1) : null;
const result = {
  benchmark: 'query fuzzing: TraceQL strings against the parser; Tempo, Jaeger and /api/v1 parameter sets against a real hub',
  date: started,
  machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model, node: process.version },
  loadAverageAtStart: load.map((x) => Number(x.toFixed(2))),
  settings: { seed, limitMs: LIMIT_MS, concurrency: Number(values.concurrency) },
  parser,
  http,
  pass: parser.crashes === 0 && parser.overLimit === 0 && (http === null || (http.fiveXx === 0 && http.overLimit === 0 && http.networkErrors === 0 && http.hubAlive && http.uncaughtInLog === 0)),
};
writeFileSync(path.join(root, 'bench/results/fuzz.json'), JSON.stringify(result, null, 2) + '\n');
console.log(JSON.stringify({ pass: result.pass, parser: { crashes: parser.crashes, overLimit: parser.overLimit, slowest: parser.slowest }, http: http && { fiveXx: http.fiveXx, overLimit: http.overLimit, slowest: http.slowest, statuses: http.statuses, samples: http.fiveXxSamples.slice(0, 5) } }, null, 2));
