import { createServer } from 'node:net';

/** A TCP port free on 127.0.0.1 right now (the OS picks it). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** null when `port` can be bound on `host` right now, else the error code (EADDRINUSE, EACCES, ...). */
export function portProblem(port, host = '127.0.0.1') {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.unref();
    srv.once('error', (err) => resolve(err.code ?? err.message));
    srv.listen({ port, host, exclusive: true }, () => srv.close(() => resolve(null)));
  });
}

/**
 * The port in env[key] (else `fallback`), or 'off' when `allowOff` and it says so.
 * Throws a one-line message naming the variable when it is not a port number.
 */
export function readPort(env, key, fallback, { allowOff = false } = {}) {
  const raw = env[key];
  if (raw === undefined || raw === '') return fallback;
  if (allowOff && raw === 'off') return 'off';
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 65535) {
    throw new Error(`${key}=${JSON.stringify(raw)} is not a port: use a whole number from 1 to 65535${allowOff ? ", or 'off'" : ''}.`);
  }
  return n;
}

/**
 * One line on the ports that cannot be used, each with what wanted it and the
 * variable that moves it; null when there are none.
 * @param {{ port: number, what: string, env: string, problem: string }[]} taken
 */
export function portsTakenMessage(taken) {
  if (taken.length === 0) return null;
  const list = taken.map((t) => `${t.port} (${t.what}; ${t.env})${t.problem === 'EADDRINUSE' ? '' : ` [${t.problem}]`}`).join(', ');
  const inUse = taken.every((t) => t.problem === 'EADDRINUSE');
  const verb = taken.length === 1 ? (inUse ? 'is already in use' : 'cannot be used') : inUse ? 'are already in use' : 'cannot be used';
  return (
    `Port${taken.length === 1 ? '' : 's'} ${list} ${verb}. ` +
    'Is tracelab already running (npm start in another terminal)? Stop it, or set the variable to a free port, e.g. ' +
    `${taken[0].env}=${taken[0].port + 10000 <= 65535 ? taken[0].port + 10000 : taken[0].port - 10000} npm start.`
  );
}

/**
 * Checks every wanted port on `host` at once.
 * @param {{ port: number | 'off', what: string, env: string }[]} wanted
 * @returns {Promise<string | null>} the one-line message for the ones that cannot be bound, or null
 */
export async function checkPorts(wanted, host = '127.0.0.1') {
  const used = wanted.filter((w) => w.port !== 'off');
  const problems = await Promise.all(used.map((w) => portProblem(w.port, host)));
  return portsTakenMessage(used.map((w, i) => ({ ...w, problem: problems[i] })).filter((w) => w.problem));
}

/**
 * Every port `npm start` binds: its key in the launcher's `ports`, the variable that moves it, its default,
 * what uses it, and whether `off` may turn it off. start.mjs, its test and .ci/run read this one list.
 */
export const LAB_PORTS = [
  { key: 'hub', env: 'TRACEHUB_PORT', fallback: 3000, what: 'tracehub UI and API' },
  { key: 'otlpHttp', env: 'TRACEHUB_OTLP_HTTP_PORT', fallback: 4318, what: 'OTLP/HTTP receiver' },
  { key: 'otlpGrpc', env: 'TRACEHUB_OTLP_GRPC_PORT', fallback: 4317, what: 'OTLP/gRPC receiver' },
  { key: 'tempo', env: 'TRACEHUB_TEMPO_PORT', fallback: 3200, what: 'Tempo API', allowOff: true },
  { key: 'jaeger', env: 'TRACEHUB_JAEGER_PORT', fallback: 16686, what: 'Jaeger API', allowOff: true },
  { key: 'payment', env: 'PAYMENT_PORT', fallback: 8081, what: 'payment-service' },
  { key: 'order', env: 'ORDER_PORT', fallback: 8080, what: 'order-service' },
  { key: 'storefront', env: 'STOREFRONT_PORT', fallback: 8000, what: 'storefront' },
  { key: 'pg', env: 'TRACELAB_PG_PORT', fallback: 54329, what: 'embedded PostgreSQL' },
];
