#!/usr/bin/env node
// npm run assert -- <specs>: runs trace-assertion specs against the running system.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseCliArgs, USAGE } from './cli-args.js';
import { loadSpecFiles } from './files.js';
import { toJUnitXml, type SuiteResult } from './junit.js';
import { formatSuite, formatTotals } from './report.js';
import { runSpec } from './run.js';

async function main(): Promise<number> {
  let opts;
  let specs;
  try {
    opts = parseCliArgs(process.argv.slice(2), process.env);
    if (opts.help) {
      console.log(USAGE);
      return 0;
    }
    specs = loadSpecFiles(opts.paths);
  } catch (err) {
    console.error(`${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }

  console.log(`Running ${specs.length} spec${specs.length === 1 ? '' : 's'} against ${opts.orderUrl}, traces from ${opts.tracehubUrl}`);
  const suites: SuiteResult[] = [];
  // One at a time: each scenario's trace stays easy to read and they do not race for stock.
  for (const spec of specs) {
    const suite = await runSpec(spec, opts);
    suites.push(suite);
    console.log(formatSuite(suite, suite.traceId ? `${opts.tracehubUrl}/trace/${suite.traceId}` : undefined));
  }
  console.log(formatTotals(suites));

  mkdirSync(dirname(opts.junit), { recursive: true });
  writeFileSync(opts.junit, toJUnitXml(suites));
  console.log(`JUnit XML: ${opts.junit}`);
  return suites.every((s) => s.error === undefined && s.results.every((r) => r.pass)) ? 0 : 1;
}

process.exitCode = await main();
