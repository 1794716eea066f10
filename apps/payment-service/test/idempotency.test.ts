// payment-service charges once per Idempotency-Key: the store on its own
// (pure, fake clock), then POST /payments over a real socket.
import { afterEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { build } from '../src/app.js';
import { IdempotencyStore } from '../src/idempotency-store.js';
import { PaymentStats } from '../src/stats.js';
import { parseIdempotencyKey, paymentFingerprint } from '../src/validation.js';

describe('IdempotencyStore', () => {
  const paid = { paymentId: 'p-1', traceId: 't-1' };

  it('new, then in flight, then the remembered payment; another fingerprint is a mismatch', () => {
    const store = new IdempotencyStore();
    expect(store.begin('k', 'f')).toEqual({ kind: 'new' });
    expect(store.begin('k', 'f')).toEqual({ kind: 'in_flight' });
    expect(store.begin('k', 'other')).toEqual({ kind: 'mismatch' });
    store.complete('k', paid);
    expect(store.begin('k', 'f')).toEqual({ kind: 'replay', payment: paid });
    expect(store.begin('k', 'other')).toEqual({ kind: 'mismatch' });
  });

  it('abandon forgets an unpaid key (a retry is processed afresh) but never a paid one', () => {
    const store = new IdempotencyStore();
    store.begin('k', 'f');
    store.abandon('k');
    expect(store.begin('k', 'f')).toEqual({ kind: 'new' });
    store.complete('k', paid);
    store.abandon('k');
    expect(store.begin('k', 'f').kind).toBe('replay');
  });

  it('forgets a key after its lifetime', () => {
    let now = 1_000;
    const store = new IdempotencyStore({ ttlMs: 100, now: () => now });
    store.begin('k', 'f');
    store.complete('k', paid);
    now += 99;
    expect(store.begin('k', 'f').kind).toBe('replay');
    now += 1;
    expect(store.begin('k', 'other')).toEqual({ kind: 'new' });
  });

  it('stays within maxKeys by dropping the oldest answered keys, never one in flight', () => {
    const store = new IdempotencyStore({ maxKeys: 3 });
    store.begin('in-flight', 'f');
    for (const k of ['a', 'b']) {
      store.begin(k, 'f');
      store.complete(k, paid);
    }
    store.begin('c', 'f');
    expect(store.size).toBe(3);
    expect(store.begin('in-flight', 'f').kind).toBe('in_flight');
    expect(store.begin('b', 'f').kind).toBe('replay');
    // 'a' was the oldest answered key: gone, so it starts afresh.
    expect(store.begin('a', 'f').kind).toBe('new');
    expect(store.size).toBe(3);
  });
});

describe('parseIdempotencyKey, paymentFingerprint', () => {
  it.each([[''], [' x'], ['a'.repeat(256)], ['é'], [['a', 'b']]])('%j → 400 naming Idempotency-Key', (raw) => {
    const r = parseIdempotencyKey(raw as string);
    expect(r.ok ? null : r.error.field).toBe('Idempotency-Key');
  });
  it('accepts absent, a UUID and 255 visible characters', () => {
    expect(parseIdempotencyKey(undefined)).toEqual({ ok: true, value: undefined });
    expect(parseIdempotencyKey('6f1c2d3e-0000-4000-8000-000000000001').ok).toBe(true);
    expect(parseIdempotencyKey('~'.repeat(255)).ok).toBe(true);
  });
  it('the fingerprint follows every field', () => {
    const p = { orderId: 'o', productName: 'Book', quantity: 1, delay: 0, fail: false };
    expect(paymentFingerprint(p)).toBe(paymentFingerprint({ ...p }));
    for (const other of [{ orderId: 'x' }, { productName: 'x' }, { quantity: 2 }, { delay: 1 }, { fail: true }]) {
      expect(paymentFingerprint({ ...p, ...other })).not.toBe(paymentFingerprint(p));
    }
  });
});

describe('POST /payments with Idempotency-Key (real socket)', () => {
  let app: FastifyInstance | undefined;
  let stats: PaymentStats;
  let url: string;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });
  const start = async () => {
    stats = new PaymentStats();
    app = build({ stats });
    url = `${await app.listen({ port: 0, host: '127.0.0.1' })}/payments`;
  };
  const pay = async (key: string | undefined, body: object) => {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(key === undefined ? {} : { 'idempotency-key': key }) },
      body: JSON.stringify(body),
    });
    return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, unknown> };
  };
  const payment = { orderId: 'o-1', productName: 'Book', quantity: 1, delay: 0 };

  it('a repeated key gets the first answer and is charged once', async () => {
    await start();
    const first = await pay('key-1', payment);
    const again = await pay('key-1', payment);
    expect(first.status).toBe(200);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    expect(again).toMatchObject({ status: 200, body: first.body });
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(stats.snapshot()).toMatchObject({ authorized: 1, replayed: 1 });
    // Without a key every request is a payment of its own, as before.
    await pay(undefined, payment);
    await pay(undefined, payment);
    expect(stats.authorized).toBe(3);
  });

  it('50 concurrent sends of one key: one charge; the others 409 with Retry-After while it runs', async () => {
    await start();
    const answers = await Promise.all(Array.from({ length: 50 }, () => pay('key-c', { ...payment, delay: 500 })));
    const ok = answers.filter((a) => a.status === 200);
    const busy = answers.filter((a) => a.status === 409);
    expect(ok.length + busy.length).toBe(50);
    expect(ok.length).toBeGreaterThanOrEqual(1);
    expect(new Set(ok.map((a) => a.body.paymentId)).size).toBe(1);
    for (const b of busy) {
      expect(b.body.error).toBe('IDEMPOTENCY_KEY_IN_USE');
      expect(b.headers.get('retry-after')).toBe('1');
    }
    expect(stats.authorized).toBe(1);
    expect((await pay('key-c', { ...payment, delay: 500 })).body.paymentId).toBe(ok[0].body.paymentId);
    expect(stats.authorized).toBe(1);
  });

  it('the same key for another payment → 422', async () => {
    await start();
    await pay('key-2', payment);
    const other = await pay('key-2', { ...payment, quantity: 2 });
    expect(other.status).toBe(422);
    expect(other.body).toMatchObject({ error: 'IDEMPOTENCY_KEY_REUSED' });
    expect(other.body.message).toContain('key-2');
    expect(stats.authorized).toBe(1);
  });

  it('a failed payment charged nothing: a retry with its key is processed again', async () => {
    await start();
    expect((await pay('key-3', { ...payment, fail: true })).status).toBe(500);
    expect((await pay('key-3', { ...payment, fail: true })).status).toBe(500);
    expect(stats.snapshot()).toMatchObject({ failed: 2, authorized: 0, replayed: 0 });
  });

  it('a malformed key → 400 naming the header, nothing processed', async () => {
    await start();
    const bad = await pay('has space', payment);
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ error: 'INVALID_REQUEST', field: 'Idempotency-Key' });
    expect(stats.authorized).toBe(0);
  });
});
