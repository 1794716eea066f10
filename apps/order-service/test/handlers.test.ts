// Handler-level checks with app.inject(): no network, no database reached
// (bad input is refused before any query).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import type { FastifyInstance } from 'fastify';
import { build } from '../src/app.js';

let app: FastifyInstance;
let pool: pg.Pool;
beforeAll(async () => {
  // Port 9 (discard) on loopback: nothing listens, so any query would fail loudly.
  pool = new pg.Pool({ connectionString: 'postgres://nobody@127.0.0.1:9/none', connectionTimeoutMillis: 200 });
  pool.on('error', () => undefined);
  app = build({ pool, payments: { authorize: async () => ({ paymentId: 'p' }) }, paymentTimeoutMs: 500 });
  await app.ready();
});
afterAll(async () => {
  await app.close();
  await pool.end();
});

describe('order-service handlers', () => {
  it.each([
    ['/order', 'productName'],
    ['/order?productName=', 'productName'],
    ['/order?productName=Book&delay=abc', 'delay'],
    ['/order?productName=Book&delay=-5', 'delay'],
    ['/order?productName=Book&quantity=0', 'quantity'],
    ['/order?productName=Book&quantity=99999999', 'quantity'],
  ])('GET %s → 400 naming %s', async (url, field) => {
    const res = await app.inject({ method: 'GET', url });
    expect(res.statusCode).toBe(400);
    const body = res.json();
    expect(body).toMatchObject({ error: 'INVALID_REQUEST', field });
    expect(body.message).toContain(field);
  });

  it('POST /orders with broken JSON → 400', async () => {
    const res = await app.inject({ method: 'POST', url: '/orders', headers: { 'content-type': 'application/json' }, payload: '{"productName":' });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: 'INVALID_REQUEST', field: 'body' });
  });

  it('POST /orders with a body over 16 KiB → 413', async () => {
    const res = await app.inject({ method: 'POST', url: '/orders', headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ productName: 'x'.repeat(20_000) }) });
    expect(res.statusCode).toBe(413);
    expect(res.json().error).toBe('PAYLOAD_TOO_LARGE');
  });

  it('POST /orders as XML → 415', async () => {
    const res = await app.inject({ method: 'POST', url: '/orders', headers: { 'content-type': 'application/xml' }, payload: '<order/>' });
    expect(res.statusCode).toBe(415);
  });

  it('unknown route → 404 with a hint', async () => {
    const res = await app.inject({ method: 'GET', url: '/orderz' });
    expect(res.statusCode).toBe(404);
    expect(res.json().message).toContain('GET /order?productName=Book');
  });

  it('/ready → 503 while the database is unreachable; /health stays 200', async () => {
    expect((await app.inject({ method: 'GET', url: '/ready' })).statusCode).toBe(503);
    expect((await app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
  });
});
