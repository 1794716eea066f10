// OrderIdempotency against a real PostgreSQL, without the services: every
// state of a key (new, in flight, answered, freed by a 5xx, lease over,
// expired) and 50 concurrent claims of one key.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OrderIdempotency } from '../src/db/idempotency.js';
import { migrate } from '../src/db/migrate.js';
import { createTestDatabase, DB_TARGETS, startDbServer, type DbServer } from '@tracelab/test-support/system';

let server: DbServer;
let db: Awaited<ReturnType<typeof createTestDatabase>>;
beforeAll(async () => {
  server = await startDbServer(DB_TARGETS.at(-1)!);
  db = await createTestDatabase(server);
  await migrate(db.pool);
});
afterAll(async () => {
  await db?.drop();
  await server?.stop();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
// Fingerprints are sha256 hex, as orderFingerprint makes them.
const h1 = '1'.repeat(64);
const h2 = '2'.repeat(64);
const answer = (status: number) => ({ status, body: JSON.stringify({ b: 1, a: [2, 'x'] }), traceId: 'a'.repeat(32) });

describe('OrderIdempotency (PostgreSQL)', () => {
  it('owner, then in flight; answered → replay of the exact text; another request → mismatch', async () => {
    const store = new OrderIdempotency(db.pool);
    const key = randomUUID();
    const first = await store.claim(key, h1);
    expect(first.kind).toBe('owner');
    expect(await store.claim(key, h1)).toEqual({ kind: 'in_flight' });
    expect(await store.claim(key, h2)).toEqual({ kind: 'mismatch' });
    await store.complete(key, (first as { orderId: string }).orderId, answer(201));
    expect(await store.claim(key, h1)).toEqual({ kind: 'replay', answer: answer(201) });
    expect(await store.claim(key, h2)).toEqual({ kind: 'mismatch' });
  });

  it('a released key (5xx) runs again under the same order id; only for the same request', async () => {
    const store = new OrderIdempotency(db.pool);
    const key = randomUUID();
    const first = (await store.claim(key, h1)) as { kind: 'owner'; orderId: string };
    await store.release(key, first.orderId);
    expect(await store.claim(key, h2)).toEqual({ kind: 'mismatch' });
    expect(await store.claim(key, h1)).toEqual({ kind: 'owner', orderId: first.orderId });
  });

  it('an in-flight claim whose lease ran out (its process died) is taken over, same order id', async () => {
    const store = new OrderIdempotency(db.pool, { leaseSeconds: 0.3 });
    const key = randomUUID();
    const first = (await store.claim(key, h1)) as { kind: 'owner'; orderId: string };
    expect(await store.claim(key, h1)).toEqual({ kind: 'in_flight' });
    await sleep(400);
    expect(await store.claim(key, h1)).toEqual({ kind: 'owner', orderId: first.orderId });
  });

  it('an expired key is forgotten: any request may use it again, as a new order', async () => {
    const store = new OrderIdempotency(db.pool, { ttlSeconds: 0.3 });
    const key = randomUUID();
    const first = (await store.claim(key, h1)) as { kind: 'owner'; orderId: string };
    await store.complete(key, first.orderId, answer(201));
    await sleep(400);
    const again = await store.claim(key, h2);
    expect(again.kind).toBe('owner');
    expect((again as { orderId: string }).orderId).not.toBe(first.orderId);
  });

  it('50 concurrent claims of one key: exactly one owner, the rest in flight', async () => {
    const store = new OrderIdempotency(db.pool);
    const key = randomUUID();
    const claims = await Promise.all(Array.from({ length: 50 }, () => store.claim(key, h1)));
    expect(claims.filter((c) => c.kind === 'owner')).toHaveLength(1);
    expect(claims.filter((c) => c.kind === 'in_flight')).toHaveLength(49);
  });

  it('expired keys are swept', async () => {
    const key = randomUUID();
    await new OrderIdempotency(db.pool, { ttlSeconds: 0.1 }).claim(key, h1);
    await sleep(200);
    // A fresh store sweeps on its first claim (off the request path; give it a moment).
    await new OrderIdempotency(db.pool).claim(randomUUID(), h1);
    let left = 1;
    for (let i = 0; i < 50 && left > 0; i++) {
      left = (await db.pool.query('SELECT 1 FROM idempotency_keys WHERE key = $1', [key])).rowCount ?? 0;
      if (left > 0) await sleep(50);
    }
    expect(left).toBe(0);
  });
});
