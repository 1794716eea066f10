import { LabFaultsSpanProcessor } from '@tracelab/lab-faults';
import { addSpanProcessor, runService } from '@tracelab/telemetry';
import { build } from './app.js';
import { loadConfig } from './config.js';

// Every span started while a lab fault switch is on carries `lab.faults`.
addSpanProcessor(new LabFaultsSpanProcessor());

const config = loadConfig();
const app = build({ logger: { level: config.logLevel } });

await runService({ name: 'payment-service', app, port: config.port, host: config.host });
