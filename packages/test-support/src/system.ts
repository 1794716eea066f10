// The whole lab for end-to-end tests, as real processes: PostgreSQL (embedded, and the server in
// TEST_DATABASE_URL when set), tracehub, payment-service and order-service on
// ephemeral ports, each test run in a database of its own.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Span, TraceDetail } from '@tracelab/api-contract';
import { assertContract } from '@tracelab/api-contract/validate';
import pg from 'pg';
import { startHub, type HubHandle, type StartHubOptions } from './hub.js';
import { dropDatabase, ensureDatabase, startEmbeddedPostgres } from '../../../scripts/lib/postgres.mjs';
import { freePort } from '../../../scripts/lib/ports.mjs';
import { startProcess, waitForReady } from '../../../scripts/lib/processes.mjs';

/** The apps' folders: the services run from their built dist/ (found by path at run time, not imported). */
const appsDir = fileURLToPath(new URL('../../../apps/', import.meta.url));

export interface DbServer {
  name: string;
  /** Connection URL with rights to create databases. */
  adminUrl: string;
  stop(): Promise<void>;
}

/** The PostgreSQL servers every database test runs against. */
export const DB_TARGETS = ['embedded', ...(process.env.TEST_DATABASE_URL ? ['external'] : [])] as const;

export async function startDbServer(target: string): Promise<DbServer> {
  if (target === 'external') {
    return { name: 'external', adminUrl: process.env.TEST_DATABASE_URL!, stop: async () => undefined };
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'tracelab-pg-'));
  const server = await startEmbeddedPostgres({ dataDir, port: await freePort(), persistent: false });
  return {
    name: 'embedded',
    adminUrl: server.adminUrl,
    async stop() {
      await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A fresh database on `server`, so test files and runs never see each other's rows. */
export async function createTestDatabase(server: DbServer): Promise<{ url: string; pool: pg.Pool; drop(): Promise<void> }> {
  const name = `tracelab_test_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  await ensureDatabase(server.adminUrl, name);
  const url = new URL(server.adminUrl);
  url.pathname = `/${name}`;
  const pool = new pg.Pool({ connectionString: url.toString(), max: 3 });
  // Dropping the database or stopping the server ends idle connections with 57P01; expected at teardown.
  pool.on('error', () => undefined);
  return {
    url: url.toString(),
    pool,
    async drop() {
      await pool.end();
      await dropDatabase(server.adminUrl, name);
    },
  };
}

export interface Services {
  orderUrl: string;
  paymentUrl: string;
  order: ReturnType<typeof startProcess>;
  payment: ReturnType<typeof startProcess>;
  stop(): Promise<void>;
}

function service(name: string, env: Record<string, string>) {
  return startProcess({
    name,
    command: process.execPath,
    args: ['--import', '@tracelab/telemetry/register', 'dist/main.js'],
    cwd: join(appsDir, name),
    env: { OTEL_SERVICE_NAME: name, HOST: '127.0.0.1', LOG_LEVEL: 'info', OTEL_BSP_SCHEDULE_DELAY: '100', OTEL_BLRP_SCHEDULE_DELAY: '100', ...env },
    quiet: true,
  });
}

/** Starts payment-service then order-service (built dist/, preloaded telemetry) exporting to `otlpUrl`. */
export async function startServices(opts: {
  databaseUrl: string;
  otlpUrl: string;
  env?: Record<string, string>;
  /** Only for payment-service, over `env` (e.g. OTEL_PROPAGATORS=none). */
  paymentEnv?: Record<string, string>;
  /** Where order-service sends payments, given payment-service's URL (e.g. a proxy in between). */
  orderPaymentUrl?: (paymentUrl: string) => string;
}): Promise<Services> {
  const [paymentPort, orderPort] = [await freePort(), await freePort()];
  const common = { OTEL_EXPORTER_OTLP_ENDPOINT: opts.otlpUrl, TRACEHUB_UI_URL: 'http://127.0.0.1:3000', ...opts.env };
  const paymentUrl = `http://127.0.0.1:${paymentPort}`;
  const orderUrl = `http://127.0.0.1:${orderPort}`;
  const payment = service('payment-service', { ...common, ...opts.paymentEnv, PORT: String(paymentPort) });
  await waitForReady(`${paymentUrl}/ready`, { proc: payment });
  const order = service('order-service', { ...common, PORT: String(orderPort), PAYMENT_URL: opts.orderPaymentUrl?.(paymentUrl) ?? paymentUrl, DATABASE_URL: opts.databaseUrl });
  await waitForReady(`${orderUrl}/ready`, { proc: order });
  return {
    orderUrl,
    paymentUrl,
    order,
    payment,
    async stop() {
      await order.stop();
      await payment.stop();
    },
  };
}

/** A span as GET /api/v1/traces/{id} sends it. */
export type ApiSpan = Span;

/** Reads a trace back from tracehub until it has `spanCount` spans (the services export every 100 ms); each answer must match the contract. */
export async function waitForTrace(apiUrl: string, traceId: string, spanCount: number, timeoutMs = 15_000): Promise<ApiSpan[]> {
  const deadline = Date.now() + timeoutMs;
  let spans: ApiSpan[] = [];
  while (Date.now() < deadline) {
    const res = await fetch(`${apiUrl}/api/v1/traces/${traceId}`);
    if (res.ok) {
      const body = await res.json();
      assertContract('TraceDetail', body);
      spans = (body as TraceDetail).spans;
      if (spans.length >= spanCount) return spans;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`trace ${traceId} has ${spans.length} spans, expected ${spanCount}: ${spans.map((s) => s.name).join(', ')}`);
}

export function attr(span: ApiSpan, key: string): unknown {
  const v = span.attributes.find((a) => a.key === key)?.value;
  return v && 'value' in v ? v.value : undefined;
}

export interface Lab {
  hub: HubHandle;
  services: Services;
  stop(): Promise<void>;
}

/**
 * The whole lab for one test file: tracehub (started with `hubOptions`), a fresh database on the last of
 * DB_TARGETS, both services exporting to that hub with `env`. `stop()` ends them in reverse order.
 */
export async function startLab(env: Record<string, string> = {}, hubOptions: StartHubOptions = {}): Promise<Lab> {
  // What has started, last first: stop() ends it all; a failed start ends what it had started.
  const started: (() => Promise<unknown>)[] = [];
  const stop = async () => {
    for (const end of started.splice(0).reverse()) await end();
  };
  try {
    const hub = await startHub(hubOptions);
    started.push(() => hub.stop({ removeData: true }));
    const server = await startDbServer(DB_TARGETS.at(-1)!);
    started.push(() => server.stop());
    const db = await createTestDatabase(server);
    started.push(() => db.drop());
    const services = await startServices({ databaseUrl: db.url, otlpUrl: hub.otlpHttpUrl, env });
    started.push(() => services.stop());
    return { hub, services, stop };
  } catch (err) {
    await stop().catch(() => undefined);
    throw err;
  }
}
