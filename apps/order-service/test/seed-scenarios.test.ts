// The seed's three scenarios (and a payment failure) end to end: real
// PostgreSQL, tracehub, payment-service and order-service; every trace is
// read back through tracehub's API.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHub, type HubHandle } from '@tracelab/test-support/hub';
import { traceShape } from './helpers/shape.js';
import { attr, createTestDatabase, DB_TARGETS, startDbServer, startServices, waitForTrace, type ApiSpan, type DbServer, type Services } from '@tracelab/test-support/system';

// The seed's trees exactly: the SERVER span's children are the order's steps
// (no framework span in between); pg spans are named by the stable database
// conventions ({db.query.summary}); only the span that failed, and spans that
// answered 5xx, are ERROR.
const NORMAL_TREE = `GET /order [order-service server]
  check-stock [order-service internal]
    UPDATE products [order-service client]
  call-payment-api [order-service internal]
    POST [order-service client]
      POST /payments [payment-service server]
        process-payment [payment-service internal]
  save-order [order-service internal]
    INSERT orders [order-service client]`;

const OUT_OF_STOCK_TREE = `GET /order [order-service server]
  check-stock [order-service internal] ERROR
    UPDATE products [order-service client]
    SELECT products [order-service client]`;

const TIMEOUT_TREE = `GET /order [order-service server] ERROR
  check-stock [order-service internal]
    UPDATE products [order-service client]
  call-payment-api [order-service internal] ERROR
    POST [order-service client]
      POST /payments [payment-service server]
        process-payment [payment-service internal] ERROR
  release-stock [order-service internal]
    UPDATE products [order-service client]`;

const PAYMENT_FAILURE_TREE = `GET /order [order-service server] ERROR
  check-stock [order-service internal]
    UPDATE products [order-service client]
  call-payment-api [order-service internal] ERROR
    POST [order-service client] ERROR
      POST /payments [payment-service server] ERROR
        process-payment [payment-service internal] ERROR
  release-stock [order-service internal]
    UPDATE products [order-service client]`;

/** Every database span carries the stable attributes, and its name is its db.query.summary. */
const expectDbSpans = (spans: ApiSpan[], count: number) => {
  const db = spans.filter((s) => attr(s, 'db.system.name') !== undefined);
  expect(db).toHaveLength(count);
  for (const s of db) {
    const [operation, collection] = s.name.split(' ');
    expect(s.kind).toBe('client');
    expect(attr(s, 'db.system.name')).toBe('postgresql');
    expect(attr(s, 'db.query.summary')).toBe(s.name);
    expect(attr(s, 'db.operation.name')).toBe(operation);
    expect(attr(s, 'db.collection.name')).toBe(collection);
    expect(String(attr(s, 'db.query.text')).trim().toUpperCase().startsWith(operation!)).toBe(true);
  }
};

const byName = (spans: ApiSpan[], name: string) => spans.filter((s) => s.name === name);
const one = (spans: ApiSpan[], name: string) => {
  const found = byName(spans, name);
  expect(found, name).toHaveLength(1);
  return found[0]!;
};
const exceptionMessage = (s: ApiSpan) =>
  s.events.find((e) => e.name === 'exception')?.attributes.find((a) => a.key === 'exception.message')?.value.value;

let hub: HubHandle;
beforeAll(async () => {
  hub = await startHub();
});
afterAll(async () => {
  await hub?.stop({ removeData: true });
});

describe.each(DB_TARGETS)('seed scenarios on %s PostgreSQL', (target) => {
  let server: DbServer;
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let services: Services;
  const stockOf = async (name: string) =>
    (await db.pool.query<{ stock: number }>('SELECT stock FROM products WHERE name = $1', [name])).rows[0]!.stock;

  beforeAll(async () => {
    server = await startDbServer(target);
    db = await createTestDatabase(server);
    services = await startServices({ databaseUrl: db.url, otlpUrl: hub.otlpHttpUrl, env: { PAYMENT_TIMEOUT_MS: '500' } });
  });
  afterAll(async () => {
    await services?.stop();
    await db?.drop();
    await server?.stop();
  });

  it('normal order: 200 CONFIRMED, one trace across both services, order row keeps the trace id', async () => {
    const before = await stockOf('Book');
    const res = await fetch(`${services.orderUrl}/order?productName=Book&delay=100`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ status: 'CONFIRMED', productName: 'Book', quantity: 1 });
    const traceId = body.traceId as string;
    expect(traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(body.traceUrl).toBe(`http://127.0.0.1:3000/trace/${traceId}`);

    const spans = await waitForTrace(hub.apiUrl, traceId, 9);
    expect(traceShape(spans)).toBe(NORMAL_TREE);
    expectDbSpans(spans, 2);

    // traceresponse names the SERVER span, the trace's root.
    const root = one(spans, 'GET /order');
    expect(res.headers.get('traceresponse')).toBe(`00-${traceId}-${root.spanId}-01`);
    expect(root.parentSpanId).toBeNull();
    expect(attr(root, 'http.route')).toBe('/order');
    expect(attr(root, 'http.response.status_code')).toBe('200');

    // payment-service's server span is a child of order-service's HTTP client span.
    const client = one(spans, 'POST');
    const paymentServer = one(spans, 'POST /payments');
    expect(paymentServer.parentSpanId).toBe(client.spanId);
    expect(attr(one(spans, 'process-payment'), 'tracelab.payment.delay_ms')).toBe('100');

    expect(attr(one(spans, 'INSERT orders'), 'db.query.text')).toMatch(/^\s*INSERT INTO orders/);
    expect(spans.every((s) => s.status.code !== 'error')).toBe(true);

    const row = await db.pool.query('SELECT status, trace_id FROM orders WHERE id = $1', [body.orderId]);
    expect(row.rows).toEqual([{ status: 'CONFIRMED', trace_id: traceId }]);
    expect(await stockOf('Book')).toBe(before - 1);
  });

  it('out of stock: 409, check-stock is ERROR with the exception, payment never called', async () => {
    const res = await fetch(`${services.orderUrl}/order?productName=OutOfStockItem&delay=100`);
    expect(res.status).toBe(409);
    const body = (await res.json()) as Record<string, string>;
    expect(body).toMatchObject({ error: 'OUT_OF_STOCK' });
    expect(body.message).toContain('OutOfStockItem');

    const spans = await waitForTrace(hub.apiUrl, body.traceId!, 4);
    await new Promise((r) => setTimeout(r, 500)); // nothing more may arrive
    const all = await waitForTrace(hub.apiUrl, body.traceId!, 4);
    expect(traceShape(all)).toBe(OUT_OF_STOCK_TREE);
    expectDbSpans(all, 2);
    const check = one(spans, 'check-stock');
    expect(check.status.message).toBe(body.message);
    expect(exceptionMessage(check)).toBe(body.message);
    expect(attr(check, 'error.type')).toBe('OUT_OF_STOCK');
    // A 4xx leaves the SERVER span's status unset (HTTP semantic conventions).
    expect(one(spans, 'GET /order').status.code).toBe('unset');
    expect(await stockOf('OutOfStockItem')).toBe(0);
  });

  it('payment timeout: 504, call aborted, payment-service saw the abort, no order, stock unchanged', async () => {
    const statsBefore = (await (await fetch(`${services.paymentUrl}/stats`)).json()) as { aborted: number };
    const before = await stockOf('Book');
    const res = await fetch(`${services.orderUrl}/order?productName=Book&delay=600`);
    expect(res.status).toBe(504);
    const body = (await res.json()) as Record<string, string>;
    expect(body.error).toBe('PAYMENT_TIMEOUT');
    // No wall-clock assertion (the machine may be busy): the abort seen by payment-service below
    // proves the answer did not wait for the 600 ms payment.

    const spans = await waitForTrace(hub.apiUrl, body.traceId!, 9);
    expect(traceShape(spans)).toBe(TIMEOUT_TREE);
    expectDbSpans(spans, 2);
    const call = one(spans, 'call-payment-api');
    expect(exceptionMessage(call)).toBe('Payment did not answer within 500 ms; the payment request was aborted.');
    expect(attr(call, 'error.type')).toBe('PAYMENT_TIMEOUT');
    expect(attr(one(spans, 'process-payment'), 'tracelab.payment.outcome')).toBe('aborted');

    let aborted = statsBefore.aborted;
    for (let i = 0; i < 50 && aborted === statsBefore.aborted; i++) {
      aborted = ((await (await fetch(`${services.paymentUrl}/stats`)).json()) as { aborted: number }).aborted;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(aborted).toBe(statsBefore.aborted + 1);
    expect(await stockOf('Book')).toBe(before);
    const rows = await db.pool.query('SELECT 1 FROM orders WHERE trace_id = $1', [body.traceId]);
    expect(rows.rowCount).toBe(0);
  });

  it('payment failure: 502, stock given back by release-stock, no order', async () => {
    const before = await stockOf('Book');
    const res = await fetch(`${services.orderUrl}/order?productName=Book&delay=0&fail=true`);
    expect(res.status).toBe(502);
    const body = (await res.json()) as Record<string, string>;
    expect(body.error).toBe('PAYMENT_FAILED');
    const spans = await waitForTrace(hub.apiUrl, body.traceId!, 9);
    expect(traceShape(spans)).toBe(PAYMENT_FAILURE_TREE);
    expectDbSpans(spans, 2);
    expect(one(spans, 'process-payment').status.code).toBe('error');
    expect(one(spans, 'call-payment-api').status.code).toBe('error');
    expect(one(spans, 'release-stock').status.code).toBe('unset');
    expect(await stockOf('Book')).toBe(before);
    expect((await db.pool.query('SELECT 1 FROM orders WHERE trace_id = $1', [body.traceId])).rowCount).toBe(0);
  });

  it('POST /orders takes the same order as JSON', async () => {
    const res = await fetch(`${services.orderUrl}/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ productName: 'Book', quantity: 2, delay: 0 }),
    });
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ status: 'CONFIRMED', quantity: 2 });
  });

  it('SQL metacharacters in productName are data, not SQL', async () => {
    const evil = `Book'; DROP TABLE products; --`;
    const res = await fetch(`${services.orderUrl}/order?productName=${encodeURIComponent(evil)}`);
    expect(res.status).toBe(404);
    expect(((await res.json()) as { message: string }).message).toContain(evil);
    await db.pool.query(`INSERT INTO products (name, stock) VALUES ($1, 3)`, [`Robert'); DROP TABLE orders;--`]);
    const ok = await fetch(`${services.orderUrl}/order?productName=${encodeURIComponent(`Robert'); DROP TABLE orders;--`)}`);
    expect(ok.status).toBe(200);
    expect(await stockOf('Book')).toBeGreaterThan(0);
    expect((await db.pool.query(`SELECT count(*)::int AS n FROM orders`)).rows[0].n).toBeGreaterThan(0);
  });
});
