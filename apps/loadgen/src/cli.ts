#!/usr/bin/env node
// npm run load -- --rate 50 --duration 60s --mix normal:80,out-of-stock:10,payment-timeout:10
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { buildReport, finalTable, parseLoadArgs, progressLine, runLoad, summarize } from '@tracelab/load';
import { USAGE } from './usage.js';

async function main(): Promise<number> {
  let opts;
  try {
    opts = parseLoadArgs(process.argv.slice(2), process.env);
  } catch (err) {
    console.error(`${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (opts.help) {
    console.log(USAGE);
    return 0;
  }
  const planned = Math.min(opts.maxRequests, Math.ceil((opts.rate * opts.durationMs) / 1000));
  const mixText = opts.mix.map((m) => `${m.name}:${m.weight}`).join(',');
  console.error(`Load: ${opts.rate} req/s for ${opts.durationMs / 1000} s (at most ${planned} requests) against ${opts.url}, mix ${mixText}`);

  const stop = new AbortController();
  process.once('SIGINT', () => {
    console.error('\nStopping: no new requests; waiting for those in flight...');
    stop.abort();
  });
  const tty = process.stderr.isTTY && opts.progress;
  let lastLine = 0;
  const result = await runLoad(opts, {
    signal: stop.signal,
    onTick: (s) => {
      if (!opts.progress) return;
      const line = progressLine({ ...s, durationMs: opts.durationMs, planned, summary: summarize(s.outcomes), width: 20 });
      if (tty) process.stderr.write(`\r\x1b[2K${line}`);
      else if (s.elapsedMs - lastLine >= 5000) {
        // Not a terminal (CI log): a line every 5 s instead of redrawing.
        lastLine = s.elapsedMs;
        process.stderr.write(`${line}\n`);
      }
    },
  });
  if (tty) process.stderr.write('\n');

  const report = buildReport(opts, result);
  console.log(finalTable(result.outcomes, opts.mix.map((m) => m.name)));
  const sendSeconds = (result.sendTimes.at(-1) ?? 0) / 1000;
  console.log(
    `\n${report.sent} requests sent in ${sendSeconds.toFixed(1)} s at ${report.achievedRate.toFixed(1)} req/s (asked ${opts.rate}); last answer after ${(result.elapsedMs / 1000).toFixed(1)} s` +
      (result.skipped ? `; ${result.skipped} not sent (more than ${opts.maxInFlight} in flight)` : ''),
  );
  if (opts.json) {
    mkdirSync(dirname(opts.json), { recursive: true });
    writeFileSync(opts.json, `${JSON.stringify(report, null, 2)}\n`);
  }
  if (result.stoppedEarly) console.error(`Stopped early: ${result.stoppedEarly}. Is the system running (npm start)?`);
  if (report.connectionFailures > 0) {
    console.error(`${report.connectionFailures} request(s) got no answer (${Object.entries(report.total.failures).map(([k, v]) => `${k}:${v}`).join(', ')}).`);
    return 1;
  }
  return 0;
}

process.exitCode = await main();
