import { LabFaultsSpanProcessor } from '@tracelab/lab-faults';
import { addSpanProcessor, shutdownTelemetry } from '@tracelab/telemetry';
import { build } from './app.js';
import { loadConfig } from './config.js';

// Every span started while a lab fault switch is on carries `lab.faults`.
addSpanProcessor(new LabFaultsSpanProcessor());

const config = loadConfig();
const app = build({ logger: { level: config.logLevel } });

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
  await shutdownTelemetry(2000);
  process.exit(0);
}
process.on('SIGTERM', () => void stop('SIGTERM'));
process.on('SIGINT', () => void stop('SIGINT'));

try {
  await app.listen({ port: config.port, host: config.host });
} catch (err) {
  app.log.fatal({ err }, `payment-service could not start: ${(err as Error).message}`);
  await shutdownTelemetry(1000);
  process.exit(1);
}
