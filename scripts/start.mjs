#!/usr/bin/env node
// npm start: embedded PostgreSQL, tracehub, payment-service and order-service,
// each ready before the next, then the URLs and the seed scenarios to paste.
// Ctrl-C (or SIGTERM) stops the services, then PostgreSQL.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_PG_PORT, startEmbeddedPostgres } from './lib/postgres.mjs';
import { startProcess, waitForReady } from './lib/processes.mjs';
import { SCENARIOS } from './lib/scenarios.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const env = process.env;
const host = '127.0.0.1';
const num = (key, fallback) => Number(env[key] || fallback);
const ports = {
  hub: num('TRACEHUB_PORT', 3000),
  otlpHttp: num('TRACEHUB_OTLP_HTTP_PORT', 4318),
  otlpGrpc: num('TRACEHUB_OTLP_GRPC_PORT', 4317),
  payment: num('PAYMENT_PORT', 8081),
  order: num('ORDER_PORT', 8080),
  storefront: num('STOREFRONT_PORT', 8000),
  pg: num('TRACELAB_PG_PORT', DEFAULT_PG_PORT),
};
const dataDir = env.TRACELAB_DATA_DIR || join(root, '.data');
const hubUrl = `http://${host}:${ports.hub}`;
const orderUrl = `http://${host}:${ports.order}`;
const paymentUrl = `http://${host}:${ports.payment}`;

const running = [];
let postgres;
let stopping = false;

async function stopAll(code) {
  if (stopping) return;
  stopping = true;
  console.log('\nStopping...');
  // Callers first, so no request hits a service that is already gone.
  for (const proc of running.reverse()) await proc.stop();
  if (postgres) await postgres.stop().catch((err) => console.error(`PostgreSQL did not stop cleanly: ${err.message}`));
  console.log('Stopped.');
  process.exit(code);
}
process.on('SIGINT', () => void stopAll(0));
process.on('SIGTERM', () => void stopAll(0));

function service(name, dir, extraEnv) {
  const proc = startProcess({
    name,
    command: process.execPath,
    args: ['--import', '@tracelab/telemetry/register', 'dist/main.js'],
    cwd: join(root, dir),
    env: {
      OTEL_SERVICE_NAME: name,
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://${host}:${ports.otlpHttp}`,
      TRACEHUB_UI_URL: hubUrl,
      // Export every half second (SDK default 5 s) so a trace shows up while you look for it.
      OTEL_BSP_SCHEDULE_DELAY: env.OTEL_BSP_SCHEDULE_DELAY || '500',
      OTEL_BLRP_SCHEDULE_DELAY: env.OTEL_BLRP_SCHEDULE_DELAY || '500',
      HOST: host,
      ...extraEnv,
    },
  });
  watch(proc);
  return proc;
}

function watch(proc) {
  running.push(proc);
  proc.exited.then(({ code, signal }) => {
    if (stopping) return;
    console.error(`${proc.name} exited (code ${code}, signal ${signal}); stopping everything.`);
    void stopAll(1);
  });
}

try {
  for (const [what, file] of [['tracehub', 'apps/tracehub/dist/cli.js'], ['order-service', 'apps/order-service/dist/main.js'], ['payment-service', 'apps/payment-service/dist/main.js']]) {
    if (!existsSync(join(root, file))) throw new Error(`${what} is not built (${file} missing): run npm run build, or use npm start which builds first.`);
  }

  let databaseUrl = env.DATABASE_URL;
  if (databaseUrl) {
    console.log('Using the external PostgreSQL from DATABASE_URL.');
  } else {
    console.log(`Starting embedded PostgreSQL on ${host}:${ports.pg} (data in ${join(dataDir, 'postgres')})...`);
    postgres = await startEmbeddedPostgres({ dataDir: join(dataDir, 'postgres'), port: ports.pg });
    databaseUrl = postgres.url;
  }

  const hub = startProcess({
    name: 'tracehub',
    command: process.execPath,
    args: [
      join(root, 'apps/tracehub/dist/cli.js'),
      '--data-dir', join(dataDir, 'tracehub'),
      '--host', host,
      '--port', String(ports.hub),
      '--otlp-http-port', String(ports.otlpHttp),
      '--otlp-grpc-port', String(ports.otlpGrpc),
      // The storefront page posts its browser spans to the OTLP receiver from its own origin.
      '--cors-origins', `http://${host}:${ports.storefront},http://localhost:${ports.storefront}`,
    ],
    cwd: root,
  });
  watch(hub);
  await waitForReady(`${hubUrl}/ready`, { proc: hub });

  const payment = service('payment-service', 'apps/payment-service', { PORT: String(ports.payment) });
  await waitForReady(`${paymentUrl}/ready`, { proc: payment });

  const order = service('order-service', 'apps/order-service', {
    PORT: String(ports.order),
    PAYMENT_URL: paymentUrl,
    DATABASE_URL: databaseUrl,
  });
  await waitForReady(`${orderUrl}/ready`, { proc: order });

  // A later storefront app joins only once it is built.
  let storefrontLine = '';
  if (existsSync(join(root, 'apps/storefront/dist/main.js'))) {
    // Not preloaded with telemetry: the page is traced in the browser, and the server must pass the
    // browser's traceparent on to order-service untouched (an instrumented fetch would replace it).
    const storefront = startProcess({
      name: 'storefront',
      command: process.execPath,
      args: ['dist/main.js'],
      cwd: join(root, 'apps/storefront'),
      env: {
        HOST: host,
        PORT: String(ports.storefront),
        ORDER_URL: orderUrl,
        TRACEHUB_UI_URL: hubUrl,
        STOREFRONT_OTLP_ENDPOINT: `http://${host}:${ports.otlpHttp}`,
        LOG_LEVEL: env.LOG_LEVEL || 'info',
      },
    });
    watch(storefront);
    await waitForReady(`http://${host}:${ports.storefront}/ready`, { proc: storefront });
    storefrontLine = `\n  storefront        http://${host}:${ports.storefront}`;
  }

  console.log(`
tracelab is running.

  tracehub UI       ${hubUrl}
  OTLP receivers    http://${host}:${ports.otlpHttp} (HTTP), ${host}:${ports.otlpGrpc} (gRPC)
  order-service     ${orderUrl}
  payment-service   ${paymentUrl}${storefrontLine}
  PostgreSQL        ${postgres ? `embedded, ${host}:${ports.pg}` : 'external (DATABASE_URL)'}

Try the seed scenarios (each answer carries its traceId and a traceUrl to open):
${SCENARIOS.map((s) => `  # ${s.name}: expect ${s.expect}\n  curl -s '${orderUrl}${s.path}'`).join('\n')}

Or run them all and print their span trees:  npm run scenario -- all
The lab (storefront page, fault switches, npm run load, npm run assert): see README.md, "Lab"
Ctrl-C stops everything.
`);
} catch (err) {
  console.error(`\nStart-up failed: ${err.message}`);
  await stopAll(1);
}
