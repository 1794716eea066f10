// Span naming without servers: database spans by the stable database
// conventions, SERVER spans by their route, and processors a service adds.
import { afterEach, describe, expect, it } from 'vitest';
import { context, ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { RPCType, setRPCMetadata } from '@opentelemetry/core';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan, type Span } from '@opentelemetry/sdk-trace-base';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { cachedSummary, nameDbSpan, summarizeQuery } from '../src/db-query.js';
import { setServerRoute } from '../src/route.js';
import { AddedSpanProcessors } from '../src/span-processors.js';

describe('summarizeQuery', () => {
  it.each([
    // order-service's own statements
    ['\nUPDATE products SET stock = stock - $2\nWHERE name = $1 AND stock >= $2\nRETURNING id, stock', 'UPDATE', 'products'],
    ['SELECT id, stock FROM products WHERE name = $1', 'SELECT', 'products'],
    ['\nINSERT INTO orders (id, product_id, quantity, status, payment_id, trace_id)\nVALUES ($1, $2, $3, $4, $5, $6)', 'INSERT', 'orders'],
    ['DELETE FROM idempotency_keys WHERE expires_at <= now()', 'DELETE', 'idempotency_keys'],
    // forms a parser must not trip over
    ['-- reserve\n/* block */ update ONLY public."Order Lines" set n = 1', 'UPDATE', 'public.Order Lines'],
    ['select count(*) from (select 1 from orders) t', 'SELECT', 'orders'],
    ['SELECT extract(epoch FROM now()) FROM products', 'SELECT', 'products'],
    ['TRUNCATE TABLE orders', 'TRUNCATE', 'orders'],
  ])('%j → %s %s', (sql, operation, collection) => {
    expect(summarizeQuery(sql)).toEqual({ operation, collection, summary: `${operation} ${collection}` });
  });

  it('names a statement without a table by its operation alone', () => {
    expect(summarizeQuery('SELECT pg_sleep($1)')).toEqual({ operation: 'SELECT', summary: 'SELECT' });
    expect(summarizeQuery('SELECT 1')).toEqual({ operation: 'SELECT', summary: 'SELECT' });
    expect(summarizeQuery('COMMIT;')).toEqual({ operation: 'COMMIT', summary: 'COMMIT' });
    expect(summarizeQuery('  ')).toEqual({ operation: 'QUERY', summary: 'QUERY' });
  });

  it('summarises each statement text once', () => {
    expect(cachedSummary('SELECT 1 FROM products')).toBe(cachedSummary('SELECT 1 FROM products'));
  });
});

describe('span names', () => {
  const exporter = new InMemorySpanExporter();
  const added = new AddedSpanProcessors();
  const provider = new BasicTracerProvider({ spanProcessors: [added, new SimpleSpanProcessor(exporter)] });
  const tracer = provider.getTracer('test');
  const manager = new AsyncLocalStorageContextManager().enable();
  context.setGlobalContextManager(manager);
  const finished = () => exporter.getFinishedSpans();
  afterEach(() => exporter.reset());

  it('a pg span gets the summary as its name and the stable attributes', () => {
    const span = tracer.startSpan('pg.query:INSERT test_db');
    nameDbSpan(span, { text: 'INSERT INTO orders (id) VALUES ($1)' });
    span.end();
    const [s] = finished();
    expect(s!.name).toBe('INSERT orders');
    expect(s!.attributes).toEqual({ 'db.operation.name': 'INSERT', 'db.collection.name': 'orders', 'db.query.summary': 'INSERT orders' });
  });

  it('the SERVER span is named {method} {route}, with http.route, from inside the request', () => {
    const server = tracer.startSpan('GET');
    const meta = { type: RPCType.HTTP as const, span: server };
    context.with(setRPCMetadata(trace.setSpan(ROOT_CONTEXT, server), meta), () => {
      // As a step span would be active when a handler runs; the route still reaches the SERVER span.
      tracer.startActiveSpan('check-stock', (step: Span) => {
        setServerRoute('GET', '/order');
        step.end();
      });
    });
    server.end();
    const root = finished().find((s) => s.name.startsWith('GET'))!;
    expect(root.name).toBe('GET /order');
    expect(root.attributes['http.route']).toBe('/order');
    expect(meta).toMatchObject({ route: '/order' });
  });

  it('no route (404) or no traced request: nothing changes', () => {
    const server = tracer.startSpan('GET');
    context.with(setRPCMetadata(trace.setSpan(ROOT_CONTEXT, server), { type: RPCType.HTTP, span: server }), () => setServerRoute('GET', undefined));
    setServerRoute('GET', '/order');
    server.end();
    expect(finished().map((s) => [s.name, s.attributes['http.route']])).toEqual([['GET', undefined]]);
  });

  it('processors added later see the spans started from then on', () => {
    const seen: string[] = [];
    tracer.startSpan('before').end();
    added.add({
      onStart: (span) => span.setAttribute('tagged', true),
      onEnd: (span: ReadableSpan) => void seen.push(span.name),
      forceFlush: async () => undefined,
      shutdown: async () => undefined,
    });
    tracer.startSpan('after').end();
    expect(seen).toEqual(['after']);
    expect(finished().map((s) => [s.name, s.attributes.tagged])).toEqual([
      ['before', undefined],
      ['after', true],
    ]);
  });
});
