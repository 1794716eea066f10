import { LabFaultsSpanProcessor } from '@tracelab/lab-faults';
import { addSpanProcessor, shutdownTelemetry } from '@tracelab/telemetry';
import { build } from './app.js';
import { loadConfig } from './config.js';
import { migrate } from './db/migrate.js';
import { createPool } from './db/pool.js';
import { faultyPaymentClient } from './faults.js';
import { httpPaymentClient } from './payment-client.js';

// Every span started while a lab fault switch is on carries `lab.faults`.
addSpanProcessor(new LabFaultsSpanProcessor());

const config = loadConfig();
const pool = createPool(config.databaseUrl, config.dbPoolMax);
const app = build({
  pool,
  payments: faultyPaymentClient(httpPaymentClient(config.paymentUrl, config.paymentTimeoutMs), config.paymentTimeoutMs),
  paymentTimeoutMs: config.paymentTimeoutMs,
  traceUiUrl: config.traceUiUrl,
  paymentUrl: config.paymentUrl,
  logger: { level: config.logLevel },
});

// A rejection nobody handled is a bug: log it loudly and stop rather than limp on.
process.on('unhandledRejection', (reason) => {
  app.log.fatal({ err: reason }, 'unhandledRejection');
  process.exit(1);
});

let stopping = false;
async function stop(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  app.log.info({ signal }, 'shutting down');
  await app.close().catch(() => undefined);
  await pool.end().catch(() => undefined);
  // Flush the last spans, but never wait long for a backend that is gone.
  await shutdownTelemetry(2000);
  process.exit(0);
}
process.on('SIGTERM', () => void stop('SIGTERM'));
process.on('SIGINT', () => void stop('SIGINT'));

try {
  await migrate(pool);
  await app.listen({ port: config.port, host: config.host });
} catch (err) {
  app.log.fatal({ err }, `order-service could not start: ${(err as Error).message}`);
  await pool.end().catch(() => undefined);
  await shutdownTelemetry(1000);
  process.exit(1);
}
