#!/usr/bin/env node
// npm start: embedded PostgreSQL, tracehub, payment-service and order-service,
// each ready before the next, then the URLs and the seed scenarios to paste.
// The terminal shows one short line per request and the real warnings and
// errors; every process's full output goes to <data dir>/logs/<process>.log
// (LOG_FORMAT=json shows that raw output here instead).
// Ctrl-C (or SIGTERM) stops the services, then PostgreSQL.
import { appendFileSync, existsSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureWritableDir } from './lib/data-dir.mjs';
import { createLogFormatter, formatPostgresLine } from './lib/log-format.mjs';
import { checkPorts, LAB_PORTS, readPort } from './lib/ports.mjs';
import { startEmbeddedPostgres } from './lib/postgres.mjs';
import { describeExit, startProcess, waitForReady } from './lib/processes.mjs';
import { SCENARIOS } from './lib/scenarios.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const env = process.env;
const host = '127.0.0.1';
const dataDir = env.TRACELAB_DATA_DIR || join(root, '.data');
const logsDir = join(dataDir, 'logs');
/** A path as short as it can be said from where npm start was run. */
const shown = (p) => (relative(process.cwd(), p).startsWith('..') ? p : `./${relative(process.cwd(), p)}`);

const running = [];
let postgres;
let started = false;
let stopping = false;

async function stopAll(code, { quiet = false } = {}) {
  if (stopping) return;
  stopping = true;
  if (!quiet) console.log('\nStopping...');
  // Callers first, so no request hits a service that is already gone.
  for (const proc of running.reverse()) await proc.stop();
  if (postgres) await postgres.stop().catch((err) => console.error(`PostgreSQL did not stop cleanly: ${err.message}`));
  if (!quiet) console.log('Stopped.');
  process.exit(code);
}

/** One line on the terminal; the details (a stack trace, if any) in the launcher's log. */
function fail(err) {
  if (stopping) return;
  const message = err?.message ?? String(err);
  console.error(`\n${started ? 'Stopping after an error' : 'Start-up failed'}: ${message}`);
  try {
    appendFileSync(join(logsDir, 'launcher.log'), `${new Date().toISOString()} ${err?.stack ?? message}\n`);
  } catch {
    // No writable log folder: the line above is all there is.
  }
  void stopAll(1, { quiet: !started });
}
process.on('SIGINT', () => void stopAll(0));
process.on('SIGTERM', () => void stopAll(0));
process.on('uncaughtException', fail);
process.on('unhandledRejection', fail);

try {
  const logFormat = env.LOG_FORMAT || 'pretty';
  if (!['pretty', 'json'].includes(logFormat)) throw new Error(`LOG_FORMAT=${JSON.stringify(logFormat)} is not known: use pretty (the default: one line per request) or json (every log line as it is).`);
  const pretty = logFormat === 'pretty';
  const color = pretty && Boolean(process.stdout.isTTY);

  const ports = Object.fromEntries(LAB_PORTS.map((p) => [p.key, readPort(env, p.env, p.fallback, { allowOff: p.allowOff })]));

  const hubUrl = `http://${host}:${ports.hub}`;
  const orderUrl = `http://${host}:${ports.order}`;
  const paymentUrl = `http://${host}:${ports.payment}`;
  const withStorefront = existsSync(join(root, 'apps/storefront/dist/main.js'));
  let databaseUrl = env.DATABASE_URL;

  for (const [what, file] of [['tracehub', 'apps/tracehub/dist/cli.js'], ['order-service', 'apps/order-service/dist/main.js'], ['payment-service', 'apps/payment-service/dist/main.js']]) {
    if (!existsSync(join(root, file))) throw new Error(`${what} is not built (${file} missing): run npm run build, or use npm start which builds first.`);
  }
  ensureWritableDir(logsDir);
  // The storefront's port only when it is built; PostgreSQL's only when it is embedded.
  const needed = LAB_PORTS.filter((p) => (p.key !== 'storefront' || withStorefront) && (p.key !== 'pg' || !databaseUrl));
  const taken = await checkPorts(needed.map((p) => ({ port: ports[p.key], what: p.what, env: p.env })));
  if (taken) throw new Error(taken);

  /**
   * Options that send a process's output to its log file, and a short view of it here (or all of it,
   * as JSON). The short view begins after the banner: a start-up failure is told in one line.
   */
  const output = (name) => {
    const short = createLogFormatter({ service: name, traceUrl: (id) => `${hubUrl}/trace/${id}`, color });
    const format = (line) => {
      const view = short(line); // always, so it sees each request's first line
      return started ? view : null;
    };
    return { logFile: join(logsDir, `${name}.log`), ...(pretty ? { format } : {}) };
  };
  const watch = (proc) => {
    running.push(proc);
    proc.exited.then((exit) => {
      if (stopping) return;
      if (!started) return fail(new Error(describeExit(proc, exit, ' before it was ready')));
      console.error(`${describeExit(proc, exit)}; stopping everything.`);
      void stopAll(1);
    });
    return proc;
  };
  const service = (name, dir, extraEnv) =>
    watch(
      startProcess({
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
        ...output(name),
      }),
    );

  if (databaseUrl) {
    console.log('Using the external PostgreSQL from DATABASE_URL.');
  } else {
    console.log(`Starting embedded PostgreSQL on ${host}:${ports.pg}...`);
    const pgLog = join(logsDir, 'postgres.log');
    const pgName = 'postgres'.padEnd(16);
    writeFileSync(pgLog, '');
    try {
      postgres = await startEmbeddedPostgres({
        dataDir: join(dataDir, 'postgres'),
        port: ports.pg,
        onNote: (note) => console.log(note),
        onLog: (line) => {
          appendFileSync(pgLog, `${line}\n`);
          const view = !pretty ? `${pgName}| ${line}` : started ? formatPostgresLine(line, { color }) : null;
          if (view !== null) console.log(view);
        },
      });
    } catch (err) {
      throw new Error(`${err.message} (full output: ${shown(pgLog)})`);
    }
    databaseUrl = postgres.url;
  }

  const hub = watch(
    startProcess({
      name: 'tracehub',
      command: process.execPath,
      args: [
        join(root, 'apps/tracehub/dist/cli.js'),
        '--data-dir', join(dataDir, 'tracehub'),
        '--host', host,
        '--port', String(ports.hub),
        '--otlp-http-port', String(ports.otlpHttp),
        '--otlp-grpc-port', String(ports.otlpGrpc),
        '--tempo-port', String(ports.tempo),
        '--jaeger-port', String(ports.jaeger),
        // The storefront page posts its browser spans to the OTLP receiver from its own origin.
        '--cors-origins', `http://${host}:${ports.storefront},http://localhost:${ports.storefront}`,
      ],
      cwd: root,
      ...output('tracehub'),
    }),
  );
  await waitForReady(`${hubUrl}/ready`, { proc: hub });

  const payment = service('payment-service', 'apps/payment-service', { PORT: String(ports.payment) });
  await waitForReady(`${paymentUrl}/ready`, { proc: payment });

  const order = service('order-service', 'apps/order-service', {
    PORT: String(ports.order),
    PAYMENT_URL: paymentUrl,
    DATABASE_URL: databaseUrl,
  });
  await waitForReady(`${orderUrl}/ready`, { proc: order });

  let storefrontLine = '';
  if (withStorefront) {
    // Not preloaded with telemetry: the page is traced in the browser, and the server must pass the
    // browser's traceparent on to order-service untouched (an instrumented fetch would replace it).
    const storefront = watch(
      startProcess({
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
        ...output('storefront'),
      }),
    );
    await waitForReady(`http://${host}:${ports.storefront}/ready`, { proc: storefront });
    storefrontLine = `\n  storefront        http://${host}:${ports.storefront}`;
  }
  const compat = [ports.tempo !== 'off' && `http://${host}:${ports.tempo} (Tempo)`, ports.jaeger !== 'off' && `http://${host}:${ports.jaeger} (Jaeger)`].filter(Boolean);

  console.log(`
tracelab is running.

  tracehub UI       ${hubUrl}
  OTLP receivers    http://${host}:${ports.otlpHttp} (HTTP), ${host}:${ports.otlpGrpc} (gRPC)${compat.length ? `\n  Grafana / Jaeger  ${compat.join(', ')}` : ''}
  order-service     ${orderUrl}
  payment-service   ${paymentUrl}${storefrontLine}
  PostgreSQL        ${postgres ? `embedded, ${host}:${ports.pg}, data in ${shown(postgres.dataDir)}` : 'external (DATABASE_URL)'}
  logs              ${shown(logsDir)}/<process>.log (full JSON${pretty ? '; LOG_FORMAT=json shows it here' : ''})

Try the seed scenarios (each answer carries its traceId and a traceUrl to open):
${SCENARIOS.map((s) => `  # ${s.name}: expect ${s.expect}\n  curl -s '${orderUrl}${s.path}'`).join('\n')}

Or run them all and print their span trees:  npm run scenario -- all
The lab (storefront page, fault switches, npm run load, npm run assert): see README.md, "Where to go next"
Ctrl-C stops everything.${pretty ? '\n\nRequests (time, service, method and path, status, duration, trace):' : ''}
`);
  started = true;
} catch (err) {
  fail(err);
}
