#!/usr/bin/env node
/**
 * The SERVER span alone (npm run bench:server-span): CPU per request of a
 * Fastify server (as the services build it, with traceRoutes) in one process,
 * with an in-process keep-alive client, 4 requests in flight, GET /order and
 * POST /payments (a JSON body) alternating, every request carrying a
 * traceparent. Variants, each in its own process, alternating over rounds:
 *   off                   no SDK at all;
 *   context               AsyncLocalStorage context manager and a tracer provider (batch processor,
 *                         an exporter that drops), no SERVER span: the handler's one child span only;
 *   lean                  + the bootstrap's SERVER span (packages/telemetry/dist/http-server-span.js);
 *   instrumentation-http  + @opentelemetry/instrumentation-http's SERVER span instead.
 * The client's cost is the same in every variant, so differences are the
 * server's. Far less noisy than bench:overhead (no PostgreSQL, no second
 * service), so it can tell apart costs of a few microseconds.
 *
 *   node bench/server-span.mjs [--rounds 7] [--requests 3000]
 *
 * Writes bench/results/server-span.json. A benchmark, not a test.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values: args } = parseArgs({
  options: {
    rounds: { type: 'string', default: '7' },
    requests: { type: 'string', default: '3000' },
    variant: { type: 'string' },
  },
});
const VARIANTS = ['off', 'context', 'lean', 'instrumentation-http'];
const N = Number(args.requests);

async function child(variant) {
  const { context, propagation, trace } = await import('@opentelemetry/api');
  const { W3CTraceContextPropagator } = await import('@opentelemetry/core');
  const { AsyncLocalStorageContextManager } = await import('@opentelemetry/context-async-hooks');
  const { BasicTracerProvider, BatchSpanProcessor } = await import('@opentelemetry/sdk-trace-base');
  let provider;
  if (variant !== 'off') {
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    const exporter = { export: (_spans, done) => done({ code: 0 }), shutdown: async () => undefined };
    provider = new BasicTracerProvider({ spanProcessors: [new BatchSpanProcessor(exporter, { maxQueueSize: 8192 })] });
    trace.setGlobalTracerProvider(provider);
  }
  if (variant === 'lean') {
    const { HttpServerSpans } = await import(join(root, 'packages/telemetry/dist/http-server-span.js'));
    new HttpServerSpans({ ignorePaths: ['/health'] }).setTracerProvider(provider);
  } else if (variant === 'instrumentation-http') {
    process.env.OTEL_SEMCONV_STABILITY_OPT_IN = 'http';
    const { HttpInstrumentation } = await import('@opentelemetry/instrumentation-http');
    const { registerInstrumentations } = await import('@opentelemetry/instrumentation');
    registerInstrumentations({ tracerProvider: provider, instrumentations: [new HttpInstrumentation({ disableOutgoingRequestInstrumentation: true })] });
  }
  // Loaded only now, so that instrumentation-http's require hook sees http being loaded.
  const require = createRequire(join(root, 'apps/order-service/package.json'));
  const Fastify = require('fastify');
  const http = require('node:http');
  const { traceRoutes } = await import(join(root, 'packages/telemetry/dist/route.js'));
  const app = Fastify();
  traceRoutes(app);
  const tracer = trace.getTracer('bench');
  let traced = 0;
  app.get('/order', async () => {
    if (trace.getActiveSpan()) traced++;
    tracer.startSpan('child').end();
    return { ok: true };
  });
  app.post('/payments', async (req) => {
    if (trace.getActiveSpan()) traced++;
    return { orderId: req.body.orderId };
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const port = app.server.address().port;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });
  const one = (i) =>
    new Promise((resolve, reject) => {
      const post = i % 2 === 1;
      const body = post ? JSON.stringify({ orderId: `o-${i}` }) : undefined;
      const headers = { 'user-agent': 'bench', traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' };
      if (post) Object.assign(headers, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
      const req = http.request({ agent, port, host: '127.0.0.1', method: post ? 'POST' : 'GET', path: post ? '/payments' : '/order?productName=Book&delay=0', headers }, (res) => {
        res.resume();
        res.on('end', resolve);
      });
      req.on('error', reject);
      req.end(body);
    });
  const run = async (n) => {
    let next = 0;
    await Promise.all([0, 1, 2, 3].map(async () => { while (next < n) await one(next++); }));
  };
  await run(2000); // warm-up: JIT, connections
  traced = 0;
  const before = process.cpuUsage();
  await run(N);
  const used = process.cpuUsage(before);
  process.stdout.write(JSON.stringify({ variant, usPerRequest: (used.user + used.system) / N, tracedShare: traced / N }));
  agent.destroy();
  await app.close();
  await provider?.shutdown();
}

if (args.variant) {
  await child(args.variant);
} else {
  const median = (xs) => {
    const s = [...xs].sort((a, b) => a - b);
    const m = Math.floor(s.length / 2);
    return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
  };
  const round1 = (x) => Math.round(x * 10) / 10;
  const loadAtStart = loadavg().map((x) => round1(x));
  const rows = [];
  for (let r = 0; r < Number(args.rounds); r++) {
    for (const variant of r % 2 === 0 ? VARIANTS : [...VARIANTS].reverse()) {
      const out = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--variant', variant, '--requests', String(N)], { cwd: root, encoding: 'utf8' });
      if (out.status !== 0) throw new Error(`${variant}: ${out.stderr}`);
      const row = { round: r + 1, ...JSON.parse(out.stdout) };
      if (variant !== 'off' && variant !== 'context' && row.tracedShare !== 1) throw new Error(`${variant}: handlers saw a span in ${row.tracedShare} of requests`);
      rows.push(row);
      console.log(`[bench] ${variant.padEnd(20)} round ${r + 1}: ${round1(row.usPerRequest)} µs CPU per request`);
    }
  }
  const summary = Object.fromEntries(VARIANTS.map((v) => [v, round1(median(rows.filter((r) => r.variant === v).map((r) => r.usPerRequest)))]));
  const out = {
    benchmark: 'SERVER span alone: Fastify + traceRoutes, in-process keep-alive client, GET /order and POST /payments alternating, µs CPU per request (server + client)',
    date: new Date().toISOString(),
    machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model, node: process.version },
    loadAverageAtStart: loadAtStart,
    settings: { rounds: Number(args.rounds), requestsPerRun: N, inFlight: 4 },
    results: rows,
    summaryMedianUsPerRequest: summary,
    serverSpanUs: { lean: round1(summary.lean - summary.context), 'instrumentation-http': round1(summary['instrumentation-http'] - summary.context) },
    loadAverageAtEnd: loadavg().map((x) => round1(x)),
  };
  mkdirSync(join(root, 'bench/results'), { recursive: true });
  writeFileSync(join(root, 'bench/results/server-span.json'), `${JSON.stringify(out, null, 2)}\n`);
  console.log(`[bench] medians (µs CPU per request): ${JSON.stringify(summary)}; the SERVER span itself: ${JSON.stringify(out.serverSpanUs)}`);
}
