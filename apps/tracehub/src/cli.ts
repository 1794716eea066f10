#!/usr/bin/env node
/**
 * tracehub command line: parse flags, start, print one startup line with the
 * endpoints, and shut down cleanly on SIGTERM/SIGINT.
 */
import pino from 'pino';
import { BadParameterError } from './api/params.js';
import { parseConfig, usage } from './config.js';
import { startTracehub } from './server.js';
import { runTransfer } from './cli/transfer.js';
import { transferUsage } from './cli/transfer-args.js';

async function main(): Promise<void> {
  const command = process.argv[2];
  if (command === 'export' || command === 'import') {
    if (process.argv.includes('--help') || process.argv.includes('-h')) return void process.stdout.write(transferUsage());
    process.exitCode = await runTransfer(process.argv.slice(2), process.env);
    return;
  }
  if (process.argv.includes('--help') || process.argv.includes('-h')) {
    process.stdout.write(`${usage()}\n${transferUsage()}`);
    return;
  }
  let config;
  try {
    config = parseConfig(process.argv.slice(2), process.env);
  } catch (err) {
    const msg = err instanceof BadParameterError || err instanceof TypeError ? err.message : String(err);
    process.stderr.write(`tracehub: ${msg}\n\n${usage()}`);
    process.exit(2);
  }
  const logger = pino({ level: config.logLevel, base: { service: 'tracehub' } });
  // No request may take the process down: log what slipped through and carry on.
  process.on('uncaughtException', (err) => logger.error({ err }, 'uncaught exception'));
  process.on('unhandledRejection', (err) => logger.error({ err }, 'unhandled rejection'));

  let hub;
  try {
    hub = await startTracehub(config, logger);
  } catch (err) {
    logger.fatal({ err }, 'tracehub failed to start');
    process.stderr.write(`tracehub: ${(err as Error).message}\n`);
    process.exit(1);
  }
  logger.info({ endpoints: hub.endpoints, dataDir: config.dataDir, auth: config.token === null ? 'none' : 'token' }, 'tracehub started');
  if (config.tokenGenerated) {
    // Printed once, to the terminal only (never into the log): the token exists nowhere else.
    process.stderr.write(
      `tracehub: listening on ${config.host}, beyond loopback, so every listener requires an access token.\n` +
        `  token: ${config.token}  (generated now; set TRACEHUB_TOKEN to choose one)\n` +
        `  login: ${hub.endpoints.ui}/login?token=${config.token}\n` +
        `  OTLP:  OTEL_EXPORTER_OTLP_HEADERS="Authorization=Bearer%20${config.token}"\n`,
    );
  }

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'tracehub stopping');
    const force = setTimeout(() => {
      logger.error('shutdown took over 15 s; exiting');
      process.exit(1);
    }, 15_000);
    force.unref();
    hub.close().then(
      () => {
        logger.info('tracehub stopped');
        process.exit(0);
      },
      (err) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

void main();
