// Tracing must never cost an order: with tracehub gone, orders still succeed,
// the services log no errors and no promise rejection goes unhandled.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startHub, type HubHandle } from '@tracelab/test-support/hub';
import { createTestDatabase, startDbServer, startServices, type DbServer, type Services } from '@tracelab/test-support/system';

let hub: HubHandle;
let server: DbServer;
let db: Awaited<ReturnType<typeof createTestDatabase>>;
let services: Services;

beforeAll(async () => {
  hub = await startHub();
  server = await startDbServer('embedded');
  db = await createTestDatabase(server);
  services = await startServices({ databaseUrl: db.url, otlpUrl: hub.otlpHttpUrl });
});
afterAll(async () => {
  await services?.stop();
  await db?.drop();
  await server?.stop();
  await hub?.stop({ removeData: true });
});

it('orders succeed with tracehub stopped, with no added errors and no unhandled rejections', async () => {
  const warmup = await fetch(`${services.orderUrl}/order?productName=Book&delay=0`);
  expect(warmup.status).toBe(200);
  await hub.stop();

  const statuses: number[] = [];
  for (let i = 0; i < 20; i++) {
    const res = await fetch(`${services.orderUrl}/order?productName=Book&delay=0`);
    statuses.push(res.status);
    await res.arrayBuffer();
  }
  expect(statuses).toEqual(Array(20).fill(200));
  // Let several export attempts (every 100 ms) fail against the closed port.
  await new Promise((r) => setTimeout(r, 1500));
  const again = await fetch(`${services.orderUrl}/order?productName=Book&delay=0`);
  expect(again.status).toBe(200);

  for (const proc of [services.order, services.payment]) {
    expect(proc.child.exitCode, `${proc.name} still running`).toBeNull();
    const text = proc.output.join('\n');
    expect(text).not.toContain('unhandledRejection');
    expect(text).not.toMatch(/UnhandledPromiseRejection/);
    // pino levels 50 (error) and 60 (fatal): nothing was logged as an error.
    expect(proc.output.filter((l) => /"level":(50|60)/.test(l))).toEqual([]);
  }
  const rows = await db.pool.query('SELECT count(*)::int AS n FROM orders');
  expect(rows.rows[0].n).toBe(22);
}, 120_000);
