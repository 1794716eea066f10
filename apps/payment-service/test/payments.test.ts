import { afterEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { build } from '../src/app.js';
import { PaymentStats } from '../src/stats.js';
import { parsePaymentInput } from '../src/validation.js';

const order = { orderId: 'o-1', productName: 'Book', quantity: 1 };
let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

describe('parsePaymentInput', () => {
  it.each([
    [{ ...order, orderId: '' }, 'orderId'],
    [{ ...order, quantity: 0 }, 'quantity'],
    [{ ...order, delay: -1 }, 'delay'],
    [{ ...order, delay: '100' }, 'delay'],
    [{ ...order, fail: 'true' }, 'fail'],
  ])('%j → field %s', (raw, field) => {
    const r = parsePaymentInput(raw);
    expect(r.ok ? null : r.error.field).toBe(field);
  });
});

describe('POST /payments', () => {
  it('authorizes after the delay', async () => {
    app = build();
    const res = await app.inject({ method: 'POST', url: '/payments', payload: { ...order, delay: 20 } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'AUTHORIZED', orderId: 'o-1' });
  });

  it('fail=true → 500 PAYMENT_PROCESSING_FAILED', async () => {
    const stats = new PaymentStats();
    app = build({ stats });
    const res = await app.inject({ method: 'POST', url: '/payments', payload: { ...order, fail: true } });
    expect(res.statusCode).toBe(500);
    expect(res.json().error).toBe('PAYMENT_PROCESSING_FAILED');
    expect(stats.failed).toBe(1);
  });

  it('bad body → 400 naming the field', async () => {
    app = build();
    const res = await app.inject({ method: 'POST', url: '/payments', payload: { ...order, quantity: 'many' } });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: 'INVALID_REQUEST', field: 'quantity' });
  });

  it('stops working when the caller aborts (over a real socket)', async () => {
    const stats = new PaymentStats();
    app = build({ stats });
    const address = await app.listen({ port: 0, host: '127.0.0.1' });
    const controller = new AbortController();
    const pending = fetch(`${address}/payments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...order, delay: 5000 }),
      signal: controller.signal,
    }).catch((err: Error) => err.name);
    // Abort once the payment is in progress.
    while (stats.inFlight === 0) await new Promise((r) => setTimeout(r, 10));
    controller.abort();
    expect(await pending).toBe('AbortError');
    while (stats.inFlight > 0) await new Promise((r) => setTimeout(r, 10));
    expect(stats.snapshot()).toEqual({ authorized: 0, failed: 0, aborted: 1, inFlight: 0, replayed: 0 });
    const seen = await fetch(`${address}/stats`);
    expect((await seen.json()).aborted).toBe(1);
  });
});
