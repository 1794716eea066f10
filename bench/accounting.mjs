#!/usr/bin/env node
/**
 * Exact accounting at the size (npm run bench:accounting): 1,000,000 unique spans sent to a
 * real tracehub over OTLP/HTTP protobuf at the maximum rate (CONCURRENCY exports in flight, 1 in 10
 * carrying two invalid spans), then every trace read back: stored + rejected (the partial-success
 * answers) must be the spans sent, and every field of ≥ 1,000 sampled spans as sent. Then 10x
 * overload against a small queue (429/503 + Retry-After, never a 500; the hub's RSS). The same code
 * as apps/tracehub/test/durability/accounting.e2e.test.ts (src/testing-ledger.ts), at 10x its size.
 *
 *   node bench/accounting.mjs [--spans 1000000] [--spans-per-request 500] [--concurrency 4]
 *                             [--overload-seconds 10] [--memory-limit-mib 256] [--seed N]
 *
 * Writes bench/results/accounting.json; exits 1 when the accounting does not add up.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { startHub } = await import(path.join(root, 'scripts/lib/hub.mjs'));
const { runAccounting, runOverload } = await import(path.join(root, 'apps/tracehub/dist/testing-ledger.js'));

const { values: args } = parseArgs({
  options: {
    spans: { type: 'string', default: '1000000' },
    'spans-per-request': { type: 'string', default: '500' },
    concurrency: { type: 'string', default: '4' },
    'overload-seconds': { type: 'string', default: '10' },
    'memory-limit-mib': { type: 'string', default: '256' },
    seed: { type: 'string', default: String(Math.floor(Math.random() * 2 ** 31)) },
  },
});
const spans = Number(args.spans);
const spansPerRequest = Number(args['spans-per-request']);
const concurrency = Number(args.concurrency);
const seed = Number(args.seed);
const memoryLimitMiB = Number(args['memory-limit-mib']);
const mib = (b) => Math.round(b / 2 ** 20);

/** The failures a CheckReport and Ledger can show, as text; empty when everything adds up. */
function problems(ledger, report, expectStored) {
  const p = [];
  if (ledger.unexpected.length) p.push(`${ledger.unexpected.length} unexpected answers, e.g. ${JSON.stringify(ledger.unexpected[0])}`);
  if (ledger.errors.length) p.push(`${ledger.errors.length} network errors, e.g. ${ledger.errors[0]}`);
  if (ledger.wrongRejected.length) p.push(`${ledger.wrongRejected.length} wrong rejectedSpans, e.g. ${JSON.stringify(ledger.wrongRejected[0])}`);
  if (ledger.refusalsWithoutRetryAfter) p.push(`${ledger.refusalsWithoutRetryAfter} refusals without Retry-After`);
  for (const k of ['missingAcked', 'duplicates', 'storedRejected', 'storedRefused', 'foreign', 'countMismatches']) if (report[k]) p.push(`${k}: ${report[k]}`);
  if (report.mismatches.length) p.push(`${report.mismatches.length} field mismatches, e.g. ${report.mismatches[0]}`);
  if (report.storedSpans !== expectStored) p.push(`stored ${report.storedSpans}, expected ${expectStored}`);
  return [...p, ...report.examples.slice(0, 5)];
}

const out = { date: new Date().toISOString(), machine: { cpus: cpus().length, model: cpus()[0]?.model, loadavgAtStart: loadavg() }, seed };

console.log(`accounting: ${spans} spans, ${spansPerRequest} per request, ${concurrency} in flight (seed ${seed})`);
{
  const hub = await startHub({ timeoutMs: 60_000 });
  try {
    const r = await runAccounting(hub, { spans, spansPerRequest, concurrency, seed });
    const p = problems(r.ledger, r.report, r.sent - r.ledger.rejectedByAnswers);
    if (r.ledger.acked.size !== r.requests) p.push(`${r.requests - r.ledger.acked.size} exports never acknowledged`);
    if (r.report.comparedAcked < 1000) p.push(`only ${r.report.comparedAcked} spans compared`);
    out.accounting = {
      sent: r.sent,
      requests: r.requests,
      stored: r.report.storedSpans,
      rejected: r.ledger.rejectedByAnswers,
      storedPlusRejectedEqualsSent: r.report.storedSpans + r.ledger.rejectedByAnswers === r.sent,
      statuses: Object.fromEntries(r.ledger.statuses),
      sendSeconds: +r.sendSeconds.toFixed(2),
      spansPerSecond: Math.round(r.sent / r.sendSeconds),
      checkSeconds: +r.checkSeconds.toFixed(2),
      tracesRead: r.report.tracesRead,
      comparedSpans: r.report.compared,
      comparedTraces: r.report.comparedTraces,
      fieldMismatches: r.report.mismatches.length,
      missingAcked: r.report.missingAcked,
      duplicates: r.report.duplicates,
      maxRssMiB: mib(r.maxRssBytes),
      problems: p,
    };
    console.log(JSON.stringify(out.accounting, null, 1));
  } finally {
    await hub.stop({ removeData: true });
  }
}

const overloadConcurrency = concurrency * 10;
console.log(`overload: ${overloadConcurrency} in flight for ${args['overload-seconds']} s, --max-queue ${2 * spansPerRequest}, --memory-limit ${memoryLimitMiB}MiB`);
{
  const hub = await startHub({ args: ['--max-queue', String(2 * spansPerRequest), '--memory-limit', `${memoryLimitMiB}MiB`], timeoutMs: 60_000 });
  try {
    const r = await runOverload(hub, { ms: Number(args['overload-seconds']) * 1000, spansPerRequest, concurrency: overloadConcurrency, seed });
    const p = problems(r.ledger, r.report, r.report.ackedSpans);
    if (r.ledger.acked.size !== r.requests) p.push(`${r.requests - r.ledger.acked.size} exports never acknowledged`);
    out.overload = {
      concurrency: overloadConcurrency,
      maxQueue: 2 * spansPerRequest,
      memoryLimitMiB,
      seconds: Number(args['overload-seconds']),
      requests: r.requests,
      acknowledged: r.ledger.acked.size,
      refusals: r.refusals,
      statuses: Object.fromEntries(r.ledger.statuses),
      storedSpans: r.report.storedSpans,
      ackedSpans: r.report.ackedSpans,
      startRssMiB: mib(r.startRssBytes),
      maxRssMiB: mib(r.maxRssBytes),
      maxRssAboveLimitMiB: mib(r.maxRssBytes) - memoryLimitMiB,
      problems: p,
    };
    console.log(JSON.stringify(out.overload, null, 1));
  } finally {
    await hub.stop({ removeData: true });
  }
}

out.machine.loadavgAtEnd = loadavg();
mkdirSync(path.join(root, 'bench/results'), { recursive: true });
writeFileSync(path.join(root, 'bench/results/accounting.json'), `${JSON.stringify(out, null, 2)}\n`);
console.log('wrote bench/results/accounting.json');
if (out.accounting.problems.length || out.overload.problems.length) {
  console.error('the accounting does not add up:', [...out.accounting.problems, ...out.overload.problems]);
  process.exit(1);
}
