// 1,000 concurrent orders for 100 items: PostgreSQL's conditional UPDATE and
// CHECK constraint must sell exactly 100, never more, and answer the rest 409.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHub, type HubHandle } from '@tracelab/test-support/hub';
import { createTestDatabase, DB_TARGETS, startDbServer, startServices, type DbServer, type Services } from '@tracelab/test-support/system';

let hub: HubHandle;
beforeAll(async () => {
  hub = await startHub();
});
afterAll(async () => {
  await hub?.stop({ removeData: true });
});

describe.each(DB_TARGETS)('concurrent orders on %s PostgreSQL', (target) => {
  let server: DbServer;
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let services: Services;

  beforeAll(async () => {
    server = await startDbServer(target);
    db = await createTestDatabase(server);
    services = await startServices({ databaseUrl: db.url, otlpUrl: hub.otlpHttpUrl, env: { LOG_LEVEL: 'warn', PAYMENT_TIMEOUT_MS: '30000' } });
    await db.pool.query(`INSERT INTO products (name, stock) VALUES ('Widget', 100)`);
  });
  afterAll(async () => {
    await services?.stop();
    await db?.drop();
    await server?.stop();
  });

  it('1,000 concurrent orders for stock 100: exactly 100 CONFIRMED, 900 OUT_OF_STOCK, stock 0, 100 rows', async () => {
    const answers = await Promise.all(
      Array.from({ length: 1000 }, async () => {
        const res = await fetch(`${services.orderUrl}/order?productName=Widget&delay=0`);
        const body = (await res.json()) as { status?: string; error?: string };
        return { status: res.status, outcome: body.status ?? body.error };
      }),
    );
    const count = (pred: (a: (typeof answers)[number]) => boolean) => answers.filter(pred).length;
    expect(count((a) => a.status >= 500)).toBe(0);
    expect(count((a) => a.status === 200 && a.outcome === 'CONFIRMED')).toBe(100);
    expect(count((a) => a.status === 409 && a.outcome === 'OUT_OF_STOCK')).toBe(900);
    const stock = await db.pool.query(`SELECT stock FROM products WHERE name = 'Widget'`);
    expect(stock.rows[0].stock).toBe(0);
    const rows = await db.pool.query(
      `SELECT count(*)::int AS n, count(DISTINCT trace_id)::int AS traces FROM orders o JOIN products p ON p.id = o.product_id WHERE p.name = 'Widget'`,
    );
    expect(rows.rows[0]).toEqual({ n: 100, traces: 100 });
  }, 180_000);
});
