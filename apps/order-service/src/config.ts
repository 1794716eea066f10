/** order-service configuration from the environment; pure so it can be tested without a process. */
export interface OrderServiceConfig {
  /** @default 8080 */
  port: number;
  /** @default "127.0.0.1" */
  host: string;
  /** @default "postgres://postgres:postgres@127.0.0.1:54329/tracelab" (the launcher's embedded PostgreSQL) */
  databaseUrl: string;
  /** @default 10 */
  dbPoolMax: number;
  /** @default "http://127.0.0.1:8081" */
  paymentUrl: string;
  /** @default 500 */
  paymentTimeoutMs: number;
  /** @default "info" */
  logLevel: string;
  /** @default "http://127.0.0.1:3000" */
  traceUiUrl: string;
}

export const DEFAULT_DATABASE_URL = 'postgres://postgres:postgres@127.0.0.1:54329/tracelab';

function int(env: Record<string, string | undefined>, key: string, fallback: number, min: number, max: number): number {
  const raw = env[key];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new Error(`${key} must be an integer between ${min} and ${max} (got ${JSON.stringify(raw)})`);
  }
  return n;
}

export function loadConfig(env: Record<string, string | undefined> = process.env): OrderServiceConfig {
  return {
    port: int(env, 'PORT', 8080, 0, 65535),
    host: env.HOST || '127.0.0.1',
    databaseUrl: env.DATABASE_URL || DEFAULT_DATABASE_URL,
    dbPoolMax: int(env, 'DB_POOL_MAX', 10, 1, 1000),
    paymentUrl: (env.PAYMENT_URL || 'http://127.0.0.1:8081').replace(/\/+$/, ''),
    paymentTimeoutMs: int(env, 'PAYMENT_TIMEOUT_MS', 500, 1, 600_000),
    logLevel: env.LOG_LEVEL || 'info',
    traceUiUrl: (env.TRACEHUB_UI_URL || 'http://127.0.0.1:3000').replace(/\/+$/, ''),
  };
}
