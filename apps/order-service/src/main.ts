import { LabFaultsSpanProcessor } from '@tracelab/lab-faults';
import { addSpanProcessor, runService } from '@tracelab/telemetry';
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

await runService({
  name: 'order-service',
  app,
  port: config.port,
  host: config.host,
  prepare: () => migrate(pool),
  cleanup: () => pool.end(),
});
