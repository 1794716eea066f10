// Runs compiled TraceQL against a real DuckDB created from schema.sql and
// checks exactly which spans each query selects (see seed-fixture.ts for the
// traces).
import type { DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { compileTraceQL } from '../../src/traceql/index.js';
import { ALL_SPAN_IDS, createSeedStore } from './seed-fixture.js';

let store: { conn: DuckDBConnection; close: () => void };

beforeAll(async () => {
  store = await createSeedStore();
});
afterAll(() => store?.close());

async function select(q: string): Promise<string[]> {
  const p = compileTraceQL(q);
  const join = p.needsTrace ? ' JOIN trace_summaries t USING (trace_id)' : '';
  const reader = await store.conn.runAndReadAll(`SELECT s.span_id FROM spans s${join} WHERE ${p.sql} ORDER BY s.span_id`, p.params);
  return reader.getRows().map((r) => String(r[0]));
}

const PAYMENT_SPANS = ['a4', 'c4', 'd1'];
const without = (ids: string[]) => ALL_SPAN_IDS.filter((id) => !ids.includes(id));

describe("queries Grafana's Tempo search builder emits", () => {
  test.each([
    ['{ resource.service.name = "order-service" && name = "GET /order" && status = error && duration > 100ms }', ['c1']],
    ['{ resource.service.name = "order-service" && name = "GET /order" && status = error }', ['b1', 'c1']],
    ['{ resource.service.name =~ "order-service|payment-service" }', ALL_SPAN_IDS],
    ['{ resource.service.name =~ "payment-service" }', PAYMENT_SPANS],
    ['{ name =~ "check-stock|save-order" }', ['a2', 'a5', 'b2', 'c2']],
    ['{ traceDuration > 500ms }', ['c1', 'c2', 'c3', 'c4']],
    ['{ .productName = "Book" }', ['a1', 'a2', 'c1', 'c2']],
    ['{ span.http.response.status_code >= 500 }', ['b1', 'c1']],
    ['{ kind = server && rootServiceName = "order-service" }', ['a1', 'a4', 'b1', 'c1', 'c4']],
    ['{}', ALL_SPAN_IDS],
  ])('%s', async (q, expected) => {
    expect(await select(q)).toEqual(expected);
  });
});

describe('intrinsics', () => {
  test.each([
    ['{ name = "check-stock" }', ['a2', 'b2', 'c2']],
    ['{ name != "GET /order" }', without(['a1', 'b1', 'c1'])],
    ['{ status = error }', ['b1', 'b2', 'c1', 'c3']],
    ['{ status = ok }', ['a4']],
    ['{ status = unset }', without(['a4', 'b1', 'b2', 'c1', 'c3'])],
    ['{ status != error }', without(['b1', 'b2', 'c1', 'c3'])],
    ['{ kind = client }', ['a3', 'c3']],
    ['{ kind = internal }', ['a2', 'a5', 'b2', 'c2']],
    ['{ kind != server }', ['a2', 'a3', 'a5', 'b2', 'c2', 'c3']],
    ['{ kind = producer }', []],
    ['{ duration >= 600ms }', ['c4']],
    ['{ duration < 5ms }', ['b2', 'c2']],
    ['{ duration <= 5ms }', ['a2', 'b2', 'c2']],
    ['{ duration = 500ms }', ['c3']],
    ['{ duration > 0.5s && duration < 1m }', ['c1', 'c4']],
    ['{ statusMessage = "Out of stock: OutOfStockItem" }', ['b2']],
    ['{ statusMessage =~ "Out of stock.*" }', ['b2']],
    ['{ traceDuration < 100ms }', ['b1', 'b2', 'd1']],
    ['{ rootName = "GET /order" }', without(['d1'])],
    ['{ rootServiceName != "order-service" }', ['d1']],
    ['{ rootName = "" }', ['d1']],
    ['{ status =~ "error|ok" }', ['a4', 'b1', 'b2', 'c1', 'c3']],
    ['{ status !~ "error|ok" }', without(['a4', 'b1', 'b2', 'c1', 'c3'])],
    ['{ kind =~ "client|internal" }', ['a2', 'a3', 'a5', 'b2', 'c2', 'c3']],
    ['{ kind =~ "serv" }', []],
  ])('%s', async (q, expected) => {
    expect(await select(q)).toEqual(expected);
  });

  test.each([
    ['{ span:name = "process-payment" && trace:duration > 500ms }', ['c4']],
    ['{ trace:rootService = "order-service" && span:kind = client }', ['a3', 'c3']],
    ['{ span:status = error && span:statusMessage =~ ".*timeout.*" }', ['c3']],
    ['{ trace:rootName = "GET /order" && span:duration > 500ms }', ['c1', 'c4']],
  ])('scoped: %s', async (q, expected) => {
    expect(await select(q)).toEqual(expected);
  });
});

describe('regular expressions are fully anchored', () => {
  test.each([
    ['{ name =~ "check" }', []],
    ['{ name =~ "check.*" }', ['a2', 'b2', 'c2']],
    ['{ name =~ ".*stock" }', ['a2', 'b2', 'c2']],
    ['{ name !~ "GET.*" }', without(['a1', 'b1', 'c1'])],
    ['{ name !~ "GET" }', ALL_SPAN_IDS],
    ['{ span.productName =~ "B..k" }', ['a1', 'a2', 'c1', 'c2']],
    ['{ span.productName !~ "Book" }', ['b1', 'b2']],
    ['{ resource.service.name !~ "order-.*" }', PAYMENT_SPANS],
  ])('%s', async (q, expected) => {
    expect(await select(q)).toEqual(expected);
  });
});

describe('attributes', () => {
  test.each([
    // typed comparisons: a string never equals an int attribute
    ['{ span.http.response.status_code = 500 }', ['b1']],
    ['{ span.http.response.status_code = "500" }', []],
    ['{ span.http.response.status_code != 200 }', ['b1', 'c1']],
    ['{ span.http.response.status_code < 500 }', ['a1', 'a3']],
    ['{ span.payment.amount > 10.0 }', ['a4']],
    ['{ span.payment.amount <= 8 }', ['c4']],
    ['{ span.delay >= 600 }', ['c4']],
    ['{ span.delay > -1 }', ['a4', 'c4', 'd1']],
    // != means present and different
    ['{ span.productName != "Book" }', ['b1', 'b2']],
    // booleans
    ['{ span.order.express = true }', ['a5']],
    ['{ span.order.express }', ['a5']],
    ['{ span.order.express = false }', ['b2']],
    ['{ span.order.express != true }', ['b2']],
    ['{ !span.order.express }', without(['a5'])],
    // nil
    ['{ span.productName != nil }', ['a1', 'a2', 'b1', 'b2', 'c1', 'c2']],
    ['{ !(span.http.response.status_code != nil) }', without(['a1', 'a3', 'b1', 'c1'])],
    ['{ resource.host.cores != nil }', PAYMENT_SPANS],
    ['{ !(.host.cores != nil) }', without(PAYMENT_SPANS)],
    // resource attributes
    ['{ resource.host.cores = 4 }', PAYMENT_SPANS],
    ['{ resource.deployment.environment = "dev" }', ALL_SPAN_IDS],
    ['{ resource.service.version = "1.0.0" }', without(PAYMENT_SPANS)],
    ['{ resource.service.name = "payment-service" }', PAYMENT_SPANS],
    ['{ resource.service.name != "order-service" }', PAYMENT_SPANS],
    // scope matters
    ['{ span.deployment.environment = "dev" }', []],
    ['{ resource.productName = "Book" }', []],
    // unscoped: span or resource
    ['{ .deployment.environment = "dev" }', ALL_SPAN_IDS],
    ['{ .peer.service = "payment-service" }', ['a3', 'c3']],
    ['{ .service.name = "payment-service" }', PAYMENT_SPANS],
    ['{ .productName = "OutOfStockItem" }', ['b1', 'b2']],
    // quoted names and unknown keys
    ['{ span."http.request.method" = "GET" }', ['a1', 'b1', 'c1']],
    ['{ span."no such key" = "x" }', []],
  ])('%s', async (q, expected) => {
    expect(await select(q)).toEqual(expected);
  });
});

describe('boolean structure', () => {
  test.each([
    ['{ name = "GET /order" && .productName != "Book" }', ['b1']],
    ['{ name = "save-order" || status = error }', ['a5', 'b1', 'b2', 'c1', 'c3']],
    // Tempo's precedence: && and || are one level, left to right
    ['{ name = "check-stock" || name = "save-order" && status = error }', ['b2']],
    ['{ name = "check-stock" || (name = "save-order" && status = error) }', ['a2', 'b2', 'c2']],
    ['{ !(resource.service.name = "order-service") }', PAYMENT_SPANS],
    ['{ !(name = "GET /order" || kind = internal) }', ['a3', 'a4', 'c3', 'c4', 'd1']],
    ['{ true && name = "save-order" }', ['a5']],
    ['{ false || name = "save-order" }', ['a5']],
    ['{ false }', []],
    ['{ name = "save-order" } || { status = error }', ['a5', 'b1', 'b2', 'c1', 'c3']],
    ['({ kind = client }) || ({ traceDuration > 500ms && kind = server })', ['a3', 'c1', 'c3', 'c4']],
  ])('%s', async (q, expected) => {
    expect(await select(q)).toEqual(expected);
  });
});

describe('edge values', () => {
  test.each([
    ['{ duration < maxInt }', ALL_SPAN_IDS],
    ['{ duration > 99999999999h }', []],
    ['{ traceDuration > minInt }', ALL_SPAN_IDS],
    ['{ span.delay < maxInt && span.delay > minInt }', ['a4', 'c4', 'd1']],
    ['{ status = error } with (most_recent=true)', ['b1', 'b2', 'c1', 'c3']],
  ])('%s', async (q, expected) => {
    expect(await select(q)).toEqual(expected);
  });
});

test('queries with odd values run safely as parameters', async () => {
  expect(await select(`{ name = "x' OR '1'='1" }`)).toEqual([]);
  expect(await select('{ span."k\'ey" = "v" && statusMessage =~ "\\\\d+ \\"quoted\\"" }')).toEqual([]);
});
