// GET /api/v1/traces/{id}/explain on traces of an OpenTelemetry app that is
// not tracelab: its own service and span names, real HTTP between a client
// and a server, spans made with the real JS SDK following the semantic
// conventions, exported over OTLP/HTTP to a real tracehub. The answers must
// come from kinds, status, attributes and times alone.
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { context, propagation, SpanKind, SpanStatusCode, trace, type Span, type Tracer } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHub, type HubHandle } from '@tracelab/test-support/hub';

let hub: HubHandle;
let providers: BasicTracerProvider[];
let web: Tracer;
let engine: Tracer;
let server: Server;
let engineUrl: string;
const propagator = new W3CTraceContextPropagator();
const getter = { keys: (c: Record<string, string>) => Object.keys(c), get: (c: Record<string, string>, k: string) => c[k] };
const setter = { set: (c: Record<string, string>, k: string, v: string) => void (c[k] = v) };

const fail = (span: Span, err: Error, type = err.name) => {
  span.recordException(err);
  span.setAttribute('error.type', type);
  span.setStatus({ code: SpanStatusCode.ERROR, message: err.message });
};

beforeAll(async () => {
  hub = await startHub();
  const provider = (service: string) =>
    new BasicTracerProvider({
      resource: resourceFromAttributes({ 'service.name': service }),
      spanProcessors: [new SimpleSpanProcessor(new OTLPTraceExporter({ url: `${hub.otlpHttpUrl}/v1/traces` }))],
    });
  providers = [provider('quote-web'), provider('pricing-engine')];
  web = providers[0]!.getTracer('quotes');
  engine = providers[1]!.getTracer('quotes');

  // pricing-engine: GET /price?ms=N works N ms; a caller that hangs up first gets "client closed request".
  server = createServer((req, res) => {
    const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
    const parent = propagator.extract(context.active(), headers, getter);
    const srv = engine.startSpan('GET /price', { kind: SpanKind.SERVER, attributes: { 'http.request.method': 'GET', 'url.path': '/price' } }, parent);
    const work = engine.startSpan('compute-price', {}, trace.setSpan(parent, srv));
    const ms = Number(new URL(req.url!, 'http://x').searchParams.get('ms'));
    const timer = setTimeout(() => {
      work.end();
      res.end('{"price":42}');
      srv.setAttribute('http.response.status_code', 200);
      srv.end();
    }, ms);
    res.on('close', () => {
      if (res.writableEnded) return;
      clearTimeout(timer);
      fail(work, new Error('client closed request'));
      work.end();
      srv.setAttribute('http.response.status_code', 499);
      srv.end();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  engineUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server?.close();
  for (const p of providers ?? []) await p.shutdown();
  await hub?.stop({ removeData: true });
});

/** quote-web's job: ask pricing-engine over real HTTP with a client timeout, as a CLIENT span. */
async function quote(url: string, timeoutMs: number): Promise<string> {
  const job = web.startSpan('quote-job');
  const ctx = trace.setSpan(context.active(), job);
  const u = new URL(url);
  const call = web.startSpan('GET', { kind: SpanKind.CLIENT, attributes: { 'http.request.method': 'GET', 'url.full': url, 'server.address': u.hostname, 'server.port': Number(u.port) } }, ctx);
  const headers: Record<string, string> = {};
  propagator.inject(trace.setSpan(ctx, call), headers, setter);
  try {
    const res = await fetch(url, { headers, signal: AbortSignal.timeout(timeoutMs) });
    await res.text();
    call.setAttribute('http.response.status_code', res.status);
  } catch (err) {
    const e = err as Error & { cause?: { code?: string; message?: string } };
    // fetch reports a refused connection as TypeError with the errno in `cause`.
    if (e.cause?.code) fail(call, new Error(e.cause.message ?? e.message), e.cause.code);
    else fail(call, e);
    fail(job, new Error(`quote failed: ${e.message}`), 'QuoteFailed');
  }
  call.end();
  job.end();
  return job.spanContext().traceId;
}

async function explain(traceId: string, spanCount: number) {
  for (let i = 0; i < 100; i++) {
    await Promise.all(providers.map((p) => p.forceFlush()));
    const t = await fetch(`${hub.apiUrl}/api/v1/traces/${traceId}`);
    if (t.ok && ((await t.json()) as { spans: unknown[] }).spans.length >= spanCount) {
      const res = await fetch(`${hub.apiUrl}/api/v1/traces/${traceId}/explain`);
      expect(res.status).toBe(200);
      return (await res.json()) as { status: string; summary: string; cause: Record<string, string> | null; chain: { name: string; role: string }[] };
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`trace ${traceId} never reached ${spanCount} spans`);
}

describe('explain on another OpenTelemetry app', () => {
  it('a client timeout: the slow callee span is the cause, the "client closed request" error is not', async () => {
    const e = await explain(await quote(`${engineUrl}/price?ms=800`, 150), 4);
    expect(e.status).toBe('error');
    expect(e.cause).toMatchObject({ service: 'pricing-engine', name: 'compute-price', kind: 'timeout' });
    const m = /^quote-web GET gave up after (\d+) ms \(timed out\); pricing-engine compute-price took \d+ ms and was cut off\.$/.exec(e.summary);
    expect(m, e.summary).not.toBeNull();
    // The client gave up at its 150 ms timeout, however late a loaded machine fired it, and before the 800 ms answer.
    expect(Number(m![1])).toBeGreaterThanOrEqual(150);
    expect(Number(m![1])).toBeLessThan(800);
    expect(e.chain.map((c) => `${c.name}:${c.role}`)).toEqual(['compute-price:cause', 'GET /price:waited', 'GET:gave-up', 'quote-job:root']);
  });

  it('a refused connection: the client span, unreachable, naming the peer and the errno', async () => {
    const dead = createServer();
    dead.listen(0, '127.0.0.1');
    await once(dead, 'listening');
    const port = (dead.address() as AddressInfo).port;
    dead.close();
    const e = await explain(await quote(`http://127.0.0.1:${port}/price?ms=1`, 1000), 2);
    expect(e.cause).toMatchObject({ service: 'quote-web', name: 'GET', kind: 'unreachable' });
    expect(e.summary).toBe(`quote-web GET could not reach 127.0.0.1:${port} (ECONNREFUSED).`);
  });

  it('a clean call: where the time went', async () => {
    const e = await explain(await quote(`${engineUrl}/price?ms=120`, 5000), 4);
    expect(e.status).toBe('ok');
    expect(e.cause).toMatchObject({ service: 'pricing-engine', name: 'compute-price', kind: 'slow' });
    expect(e.summary).toMatch(/^No errors; most time in pricing-engine compute-price \(1\d\d ms of 1\d\d ms\)\.$/);
  });

  it('N+1: the same query shape run again and again under one parent', async () => {
    const job = web.startSpan('render-basket');
    const ctx = trace.setSpan(context.active(), job);
    for (const sku of ['A-1', 'B-22', 'C-333', 'D-4', 'E-5', 'F-6', 'G-7']) {
      const q = web.startSpan(`SELECT items`, { kind: SpanKind.CLIENT, attributes: { 'db.system': 'mysql', 'db.statement': `SELECT * FROM items WHERE sku = '${sku}' LIMIT 1` } }, ctx);
      await new Promise((r) => setTimeout(r, 2));
      q.end();
    }
    job.end();
    const e = await explain(job.spanContext().traceId, 8);
    expect(e.cause).toMatchObject({ service: 'quote-web', name: 'render-basket', kind: 'n-plus-one' });
    expect(e.summary).toMatch(/^No errors, but quote-web render-basket ran the same query 7 times \("SELECT \* FROM items WHERE sku = \? LIMIT \?", [\d.]+ m?s in all\): an N\+1 pattern\.$/);
  });
});

describe('explain API errors', () => {
  it('400 for a malformed id, naming it', async () => {
    const res = await fetch(`${hub.apiUrl}/api/v1/traces/not-a-trace/explain`);
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: 'INVALID_TRACE_ID', message: 'traceId: "not-a-trace" is not a trace id (1 to 32 hex digits)' });
  });

  it('404 for an unknown id', async () => {
    const res = await fetch(`${hub.apiUrl}/api/v1/traces/${'ab'.repeat(16)}/explain`);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: 'TRACE_NOT_FOUND', message: `trace ${'ab'.repeat(16)} not found` });
  });

  it('is in the OpenAPI document', async () => {
    const doc = (await (await fetch(`${hub.apiUrl}/api/v1/openapi.json`)).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).toContain('/api/v1/traces/{traceId}/explain');
  });
});
