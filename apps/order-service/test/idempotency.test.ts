// Retries never duplicate, end to end: real PostgreSQL, tracehub and both
// services. POST /orders with an Idempotency-Key makes one order per key and
// answers every repeat identically (even 50 at once); payment retries resend
// the order's key and payment-service charges it once; the traces say which
// request did the work. A small HTTP proxy between order-service and
// payment-service can swallow an answer after payment-service produced it:
// the lost response that idempotency keys exist for.
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHub, type HubHandle } from '@tracelab/test-support/hub';
import { attr, createTestDatabase, DB_TARGETS, startDbServer, startServices, type ApiSpan, type DbServer, type Services } from '@tracelab/test-support/system';

let hub: HubHandle;
let server: DbServer;
let db: Awaited<ReturnType<typeof createTestDatabase>>;
let services: Services;
let proxy: PaymentProxy;

interface PaymentProxy {
  url: string;
  target: string;
  /** Swallow the answers of this many next POST /payments (payment-service did the work; the caller sees the connection drop). */
  dropNext: number;
  dropped: { paymentId?: string }[];
  close(): Promise<void>;
}

async function startPaymentProxy(): Promise<PaymentProxy> {
  const state = { target: '', dropNext: 0, dropped: [] as { paymentId?: string }[] };
  const srv: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) {
        if (typeof v === 'string' && !['host', 'connection', 'content-length', 'transfer-encoding'].includes(k)) headers[k] = v;
      }
      const upstream = await fetch(`${state.target}${req.url}`, { method: req.method, headers, body: chunks.length ? Buffer.concat(chunks) : undefined });
      const text = await upstream.text();
      if (req.method === 'POST' && req.url === '/payments' && state.dropNext > 0) {
        state.dropNext--;
        state.dropped.push(JSON.parse(text) as { paymentId?: string });
        req.socket.destroy();
        return;
      }
      const out: Record<string, string> = {};
      for (const h of ['content-type', 'retry-after', 'idempotent-replayed']) {
        const v = upstream.headers.get(h);
        if (v !== null) out[h] = v;
      }
      res.writeHead(upstream.status, out).end(text);
    });
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address() as { port: number };
  return Object.assign(state, {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((r) => srv.close(() => r())),
  });
}

const start = () =>
  startServices({
    databaseUrl: db.url,
    otlpUrl: hub.otlpHttpUrl,
    // Long enough for the in-flight test's 1.5 s payment.
    env: { PAYMENT_TIMEOUT_MS: '5000' },
    orderPaymentUrl: (paymentUrl) => {
      proxy.target = paymentUrl;
      return proxy.url;
    },
  });

beforeAll(async () => {
  hub = await startHub();
  server = await startDbServer(DB_TARGETS.at(-1)!);
  db = await createTestDatabase(server);
  proxy = await startPaymentProxy();
  services = await start();
});
afterAll(async () => {
  await services?.stop();
  await proxy?.close();
  await db?.drop();
  await server?.stop();
  await hub?.stop({ removeData: true });
});

interface Answer {
  status: number;
  text: string;
  body: Record<string, unknown>;
  headers: Headers;
  /** This request's own trace (from `traceresponse`), which differs from `body.traceId` on a replay. */
  traceId: string;
}

async function post(key: string | undefined, body: unknown): Promise<Answer> {
  const res = await fetch(`${services.orderUrl}/orders`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key === undefined ? {} : { 'idempotency-key': key }) },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, text, body: JSON.parse(text) as Record<string, unknown>, headers: res.headers, traceId: res.headers.get('traceresponse')!.split('-')[1] };
}

/** Sends until the answer is not 409 IDEMPOTENCY_KEY_IN_USE, waiting Retry-After between tries, as a client should. */
async function postUntilAnswered(key: string, body: unknown, seen: { busy: number }): Promise<Answer> {
  for (;;) {
    const a = await post(key, body);
    if (a.status !== 409 || a.body.error !== 'IDEMPOTENCY_KEY_IN_USE') return a;
    seen.busy++;
    await new Promise((r) => setTimeout(r, Number(a.headers.get('retry-after')) * 1000));
  }
}

const paymentStats = async () =>
  (await (await fetch(`${services.paymentUrl}/stats`)).json()) as { authorized: number; failed: number; replayed: number; inFlight: number };
const bookStock = async () => (await db.pool.query<{ stock: number }>("SELECT stock FROM products WHERE name = 'Book'")).rows[0].stock;
const orderCount = async () => (await db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM orders')).rows[0].n;
const admin = (method: string, body?: unknown) =>
  fetch(`${services.orderUrl}/admin/faults`, { method, headers: body ? { 'content-type': 'application/json' } : {}, body: body ? JSON.stringify(body) : undefined });

/** Polls tracehub until the trace has a span matching `ready` and its span count stopped changing. */
async function traceUntil(traceId: string, ready: (spans: ApiSpan[]) => boolean): Promise<ApiSpan[]> {
  const deadline = Date.now() + 15_000;
  let spans: ApiSpan[] = [];
  let stableSince = 0;
  while (Date.now() < deadline) {
    const res = await fetch(`${hub.apiUrl}/api/v1/traces/${traceId}`);
    const next = res.ok ? ((await res.json()) as { spans: ApiSpan[] }).spans : [];
    if (next.length !== spans.length) stableSince = Date.now();
    spans = next;
    if (ready(spans) && Date.now() - stableSince >= 500) return spans;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`trace ${traceId} never got ready: ${spans.map((s) => s.name).join(', ')}`);
}
const named = (spans: ApiSpan[], name: string, service?: string) => spans.filter((s) => s.name === name && (!service || s.service === service));
const eventAttr = (span: ApiSpan, event: string, key: string) => span.events.find((e) => e.name === event)?.attributes.find((a) => a.key === key)?.value.value;

const book = { productName: 'Book', quantity: 1, delay: 0 };

describe('POST /orders with Idempotency-Key', () => {
  it('sequential: a repeat gets the identical answer and makes no second order, reservation or charge; the traces say which request did the work', async () => {
    const [stock0, orders0, pay0] = [await bookStock(), await orderCount(), await paymentStats()];
    const first = await post('seq-1', book);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ status: 'CONFIRMED', productName: 'Book' });
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    // Same order spelled differently (key order, defaults left out): the same request.
    const again = await post('seq-1', { delay: 0, productName: 'Book' });
    expect(again.status).toBe(201);
    expect(again.text).toBe(first.text);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.traceId).not.toBe(first.traceId);

    expect(await orderCount()).toBe(orders0 + 1);
    expect(await bookStock()).toBe(stock0 - 1);
    expect((await paymentStats()).authorized).toBe(pay0.authorized + 1);

    const orderId = first.body.orderId as string;
    const real = await traceUntil(first.traceId, (s) => named(s, 'process-payment').length === 1 && named(s, 'save-order').length === 1);
    const [root] = named(real, 'POST /orders', 'order-service');
    expect(root.parentSpanId).toBeNull();
    expect(attr(root, 'tracelab.idempotency.key')).toBe('seq-1');
    expect(attr(root, 'tracelab.idempotency.replayed')).toBe(false);
    expect(attr(named(real, 'call-payment-api')[0], 'tracelab.idempotency.key')).toBe(orderId);
    const [paymentServer] = named(real, 'POST /payments', 'payment-service');
    expect(attr(paymentServer, 'tracelab.idempotency.key')).toBe(orderId);
    expect(attr(paymentServer, 'tracelab.idempotency.replayed')).toBe(false);
    expect(attr(named(real, 'process-payment')[0], 'tracelab.idempotency.replayed')).toBe(false);

    const replay = await traceUntil(again.traceId, (s) => named(s, 'POST /orders').length === 1);
    const [replayRoot] = named(replay, 'POST /orders', 'order-service');
    expect(attr(replayRoot, 'tracelab.idempotency.key')).toBe('seq-1');
    expect(attr(replayRoot, 'tracelab.idempotency.replayed')).toBe(true);
    expect(eventAttr(replayRoot, 'tracelab.idempotency.replay', 'tracelab.idempotency.original_trace_id')).toBe(first.traceId);
    for (const work of ['check-stock', 'call-payment-api', 'save-order', 'process-payment']) expect(named(replay, work)).toEqual([]);
  });

  it('50 concurrent sends of one key: one order row, one charge, 50 identical answers (409 + Retry-After meanwhile)', async () => {
    const [stock0, orders0, pay0] = [await bookStock(), await orderCount(), await paymentStats()];
    const seen = { busy: 0 };
    const body = { ...book, delay: 300 };
    const answers = await Promise.all(Array.from({ length: 50 }, () => postUntilAnswered('conc-1', body, seen)));
    expect(answers.map((a) => a.status)).toEqual(Array(50).fill(201));
    expect(new Set(answers.map((a) => a.text)).size).toBe(1);
    // Exactly one of them ran the order; the others were given its answer.
    expect(answers.filter((a) => a.headers.get('idempotent-replayed') === null)).toHaveLength(1);
    const orderId = answers[0].body.orderId as string;
    expect((await db.pool.query('SELECT id FROM orders WHERE id = $1', [orderId])).rowCount).toBe(1);
    expect(await orderCount()).toBe(orders0 + 1);
    expect(await bookStock()).toBe(stock0 - 1);
    expect((await paymentStats()).authorized).toBe(pay0.authorized + 1);
    expect((await db.pool.query("SELECT state FROM idempotency_keys WHERE key = 'conc-1'")).rows).toEqual([{ state: 'done' }]);
  });

  it('while the first is in flight a repeat gets 409 IDEMPOTENCY_KEY_IN_USE with Retry-After; afterwards the first answer', async () => {
    const body = { ...book, delay: 1500 };
    const first = post('flight-1', body);
    // The order has claimed its key once its payment is being processed.
    while ((await paymentStats()).inFlight === 0) await new Promise((r) => setTimeout(r, 20));
    const busy = await post('flight-1', body);
    expect(busy.status).toBe(409);
    expect(busy.body).toMatchObject({ error: 'IDEMPOTENCY_KEY_IN_USE' });
    expect(busy.body.message).toContain('flight-1');
    expect(busy.headers.get('retry-after')).toBe('1');
    const done = await first;
    expect(done.status).toBe(201);
    expect((await post('flight-1', body)).text).toBe(done.text);
  });

  it('the same key with another order → 422 naming the problem, no order made', async () => {
    const first = await post('reuse-1', book);
    expect(first.status).toBe(201);
    const [stock0, orders0] = [await bookStock(), await orderCount()];
    const other = await post('reuse-1', { ...book, quantity: 2 });
    expect(other.status).toBe(422);
    expect(other.body).toMatchObject({ error: 'IDEMPOTENCY_KEY_REUSED' });
    expect(other.body.message).toMatch(/reuse-1.*different order/);
    expect(await orderCount()).toBe(orders0);
    expect(await bookStock()).toBe(stock0);
  });

  it.each([
    ['empty', ''],
    ['too long', 'k'.repeat(256)],
    ['a space', 'two words'],
    ['not ASCII', 'clé'],
  ])('a malformed key (%s) → 400 naming Idempotency-Key, nothing done', async (_why, key) => {
    const orders0 = await orderCount();
    const bad = await post(key, book);
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ error: 'INVALID_REQUEST', field: 'Idempotency-Key' });
    expect(bad.body.message).toContain('Idempotency-Key');
    expect(await orderCount()).toBe(orders0);
  });

  it('a 4xx answer is remembered like a 201; a 5xx frees the key, so the same request runs again', async () => {
    const sold = await post('oos-1', { productName: 'OutOfStockItem' });
    expect(sold.status).toBe(409);
    expect(sold.body.error).toBe('OUT_OF_STOCK');
    const soldAgain = await post('oos-1', { productName: 'OutOfStockItem' });
    expect(soldAgain.text).toBe(sold.text);
    expect(soldAgain.headers.get('idempotent-replayed')).toBe('true');

    const pay0 = await paymentStats();
    const failed = await post('fail-1', { ...book, fail: true });
    expect(failed.status).toBe(502);
    const failedAgain = await post('fail-1', { ...book, fail: true });
    expect(failedAgain.status).toBe(502);
    expect(failedAgain.headers.get('idempotent-replayed')).toBeNull();
    expect((await paymentStats()).failed).toBe(pay0.failed + 2);
  });
});

describe('payment retries (lab switch payment.retries)', () => {
  it('resend the same key: an answer lost after the charge is replayed, not charged again, and the trace shows the real attempt', async () => {
    expect((await admin('PUT', { 'payment.retries': 2, 'payment.retryBackoff': 0 })).status).toBe(200);
    try {
      const pay0 = await paymentStats();
      proxy.dropNext = 1;
      proxy.dropped = [];
      const res = await fetch(`${services.orderUrl}/order?productName=Book&delay=0`);
      const body = (await res.json()) as Record<string, unknown>;
      expect(res.status).toBe(200);
      // The order carries the payment made by the first attempt, whose answer was lost.
      expect(proxy.dropped).toHaveLength(1);
      expect(body.paymentId).toBe(proxy.dropped[0].paymentId);
      const pay1 = await paymentStats();
      expect(pay1.authorized).toBe(pay0.authorized + 1);
      expect(pay1.replayed).toBe(pay0.replayed + 1);

      const spans = await traceUntil(body.traceId as string, (s) => named(s, 'POST /payments', 'payment-service').length === 2 && named(s, 'save-order').length === 1);
      const attempts = named(spans, 'POST /payments', 'payment-service');
      expect(attempts.map((s) => attr(s, 'tracelab.idempotency.key'))).toEqual([body.orderId, body.orderId]);
      const realOne = attempts.filter((s) => attr(s, 'tracelab.idempotency.replayed') === false);
      const replayed = attempts.filter((s) => attr(s, 'tracelab.idempotency.replayed') === true);
      expect(realOne).toHaveLength(1);
      expect(replayed).toHaveLength(1);
      expect(eventAttr(replayed[0], 'tracelab.idempotency.replay', 'tracelab.payment.id')).toBe(body.paymentId);
      expect(eventAttr(replayed[0], 'tracelab.idempotency.replay', 'tracelab.idempotency.original_trace_id')).toBe(body.traceId);
      // One process-payment, under the real attempt's server span.
      const processed = named(spans, 'process-payment');
      expect(processed).toHaveLength(1);
      const byId = new Map(spans.map((s) => [s.spanId, s]));
      let up: ApiSpan | undefined = processed[0];
      while (up && up !== realOne[0]) up = up.parentSpanId ? byId.get(up.parentSpanId) : undefined;
      expect(up).toBe(realOne[0]);
      // call-payment-api numbers the retry (lab.retry.attempt).
      expect(eventAttr(named(spans, 'call-payment-api')[0], 'lab.retry', 'lab.retry.attempt')).toBe('1');
    } finally {
      proxy.dropNext = 0;
      await admin('DELETE');
    }
  });

  it('with payment.errorRate=50% and 5 retries, every confirmed order is charged exactly once', async () => {
    expect((await admin('PUT', { 'payment.errorRate': 50, 'payment.retries': 5, 'payment.retryBackoff': 0 })).status).toBe(200);
    try {
      const pay0 = await paymentStats();
      const orders0 = await orderCount();
      const statuses: number[] = [];
      for (let i = 0; i < 20; i++) {
        const res = await fetch(`${services.orderUrl}/order?productName=Book&delay=0`);
        statuses.push(res.status);
        await res.arrayBuffer();
      }
      const confirmed = statuses.filter((s) => s === 200).length;
      const pay1 = await paymentStats();
      // Failures happened and were retried (with 20 orders at 50 %, none failing has odds of 1 in a million)...
      expect(pay1.failed).toBeGreaterThan(pay0.failed);
      // ...yet charges equal confirmed orders, each with a payment of its own.
      expect(pay1.authorized - pay0.authorized).toBe(confirmed);
      expect(await orderCount()).toBe(orders0 + confirmed);
      const ids = await db.pool.query<{ n: number; distinct: number }>(
        'SELECT count(*)::int AS n, count(DISTINCT payment_id)::int AS distinct FROM orders',
      );
      expect(ids.rows[0].distinct).toBe(ids.rows[0].n);
    } finally {
      await admin('DELETE');
    }
  });
});

describe('restart', () => {
  it('keys live in PostgreSQL: after order-service restarts, a repeat still gets the first answer', async () => {
    const first = await post('restart-1', book);
    expect(first.status).toBe(201);
    await services.stop();
    services = await start();
    const orders0 = await orderCount();
    const again = await post('restart-1', book);
    expect(again.status).toBe(201);
    expect(again.text).toBe(first.text);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(await orderCount()).toBe(orders0);
  });
});
