// The lean SERVER span in a real HTTP server (Fastify, as the services use it): parent from traceparent,
// route naming, status rules, ignored paths, and the request's context in the handler and its listeners.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { context, propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import Fastify, { type FastifyInstance } from 'fastify';
import { HttpServerSpans } from '../src/http-server-span.js';
import { traceRoutes } from '../src/route.js';
import { serverSpan } from '../src/server-span.js';

const exporter = new InMemorySpanExporter();
const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
const spans = new HttpServerSpans({ ignorePaths: ['/health'] });
let app: FastifyInstance;
let base: string;
/** The SERVER span each handler saw, by what it was seen from. */
const seen = new Map<string, string | undefined>();

beforeAll(async () => {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  spans.setTracerProvider(provider);
  const tracer = provider.getTracer('test');
  app = Fastify();
  traceRoutes(app);
  app.addHook('onResponse', async (request) => {
    seen.set(`onResponse ${request.url}`, serverSpan()?.spanContext().spanId);
  });
  app.get('/order', async () => {
    seen.set('handler', serverSpan()?.spanContext().spanId);
    tracer.startSpan('child').end();
    return { ok: true };
  });
  app.post('/payments', async (request) => {
    // After the body arrived (request 'data'/'end' listeners): still the request's context.
    seen.set('post handler', serverSpan()?.spanContext().spanId);
    return request.body;
  });
  app.get('/boom', async () => {
    throw new Error('kaputt');
  });
  app.get('/conflict', async (_req, reply) => reply.code(409).send({ error: 'OUT_OF_STOCK' }));
  app.get('/health', async () => {
    seen.set('health', serverSpan()?.spanContext().spanId);
    tracer.startSpan('inside-health').end();
    return { ok: true };
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
});
afterAll(async () => {
  await app?.close();
  spans.disable();
});
afterEach(() => {
  exporter.reset();
  seen.clear();
});

const finished = async (n: number) => {
  for (let i = 0; i < 100 && exporter.getFinishedSpans().length < n; i++) await new Promise((r) => setTimeout(r, 10));
  return exporter.getFinishedSpans();
};

describe('HttpServerSpans', () => {
  it('continues the caller trace, is named after the route, and is active in the handler and onResponse', async () => {
    const traceId = '0af7651916cd43dd8448eb211c80319c';
    const res = await fetch(`${base}/order?productName=Book&delay=0`, { headers: { traceparent: `00-${traceId}-b7ad6b7169203331-01` } });
    expect(res.status).toBe(200);
    const all = await finished(2);
    const server = all.find((s) => s.kind === SpanKind.SERVER)!;
    expect(server.name).toBe('GET /order');
    expect(server.spanContext().traceId).toBe(traceId);
    expect(server.parentSpanContext?.spanId).toBe('b7ad6b7169203331');
    expect(server.parentSpanContext?.isRemote).toBe(true);
    expect(server.attributes).toMatchObject({
      'http.request.method': 'GET',
      'http.route': '/order',
      'http.response.status_code': 200,
      'url.path': '/order',
      'url.query': 'productName=Book&delay=0',
      'url.scheme': 'http',
      'server.address': '127.0.0.1',
    });
    expect(server.status.code).toBe(SpanStatusCode.UNSET);
    expect(all.find((s) => s.name === 'child')!.parentSpanContext?.spanId).toBe(server.spanContext().spanId);
    expect(seen.get('handler')).toBe(server.spanContext().spanId);
    expect(seen.get('onResponse /order?productName=Book&delay=0')).toBe(server.spanContext().spanId);
  });

  it('keeps the context across a request body', async () => {
    const res = await fetch(`${base}/payments`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ a: 1 }) });
    expect(await res.json()).toEqual({ a: 1 });
    const [server] = await finished(1);
    expect(server!.name).toBe('POST /payments');
    expect(seen.get('post handler')).toBe(server!.spanContext().spanId);
  });

  it('a 5xx is ERROR, a 4xx is not, an unknown route keeps {method}', async () => {
    await (await fetch(`${base}/boom`)).arrayBuffer();
    await (await fetch(`${base}/conflict`)).arrayBuffer();
    await (await fetch(`${base}/nowhere`)).arrayBuffer();
    const all = await finished(3);
    const by = (route: string | undefined, status: number) => all.find((s) => s.attributes['http.response.status_code'] === status && s.attributes['http.route'] === route)!;
    expect(by('/boom', 500).status.code).toBe(SpanStatusCode.ERROR);
    expect(by('/conflict', 409).status.code).toBe(SpanStatusCode.UNSET);
    const notFound = by(undefined, 404);
    expect(notFound.name).toBe('GET');
    expect(notFound.status.code).toBe(SpanStatusCode.UNSET);
  });

  it('an ignored path makes no span, and nothing inside it either', async () => {
    await (await fetch(`${base}/health`)).arrayBuffer();
    await (await fetch(`${base}/order`)).arrayBuffer();
    const all = await finished(2);
    expect(all.map((s) => s.name).sort()).toEqual(['GET /order', 'child']);
    expect(seen.get('health')).toBeUndefined();
  });

  it('disabled, it makes no spans', async () => {
    spans.disable();
    try {
      await (await fetch(`${base}/order`)).arrayBuffer();
      await new Promise((r) => setTimeout(r, 50));
      expect(exporter.getFinishedSpans().filter((s) => s.kind === SpanKind.SERVER)).toEqual([]);
    } finally {
      spans.enable();
    }
  });
});

// Not exported by the module: the active span outside any request is none.
it('outside a request there is no SERVER span', () => {
  expect(trace.getActiveSpan()).toBeUndefined();
  expect(serverSpan()).toBeUndefined();
});
