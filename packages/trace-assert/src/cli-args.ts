// Command line → options. Pure.
import { parseArgs } from 'node:util';
import { parseDuration } from './pattern.js';

export const USAGE = `Usage: npm run assert -- [options] <spec files or directories>   (default: specs/)

Runs each spec's request against the running system, reads its trace from
tracehub and checks every assertion. Exits 1 when any assertion fails.

Options:
  --url <url>          where the requests go (env ORDER_URL, default http://127.0.0.1:8080)
  --tracehub <url>     tracehub's API (env TRACEHUB_URL, default http://127.0.0.1:3000)
  --junit <file>       JUnit XML report (default test-output/assert/junit.xml)
  --timeout <dur>      wait at most this long for a trace (default 5s)
  --settle <dur>       a trace is complete once unchanged this long (default 500ms)
  --help`;

export interface CliOptions {
  paths: string[];
  orderUrl: string;
  tracehubUrl: string;
  junit: string;
  timeoutMs: number;
  settleMs: number;
  help: boolean;
}

export function parseCliArgs(argv: string[], env: Record<string, string | undefined>): CliOptions {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      url: { type: 'string' },
      tracehub: { type: 'string' },
      junit: { type: 'string' },
      timeout: { type: 'string' },
      settle: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const orderUrl = httpUrl(values.url ?? env.ORDER_URL ?? 'http://127.0.0.1:8080', '--url');
  const tracehubUrl = httpUrl(values.tracehub ?? env.TRACEHUB_URL ?? 'http://127.0.0.1:3000', '--tracehub');
  return {
    paths: positionals.length > 0 ? positionals : ['specs'],
    orderUrl,
    tracehubUrl,
    junit: values.junit ?? 'test-output/assert/junit.xml',
    timeoutMs: duration(values.timeout ?? '5s', '--timeout'),
    settleMs: duration(values.settle ?? '500ms', '--settle'),
    help: values.help ?? false,
  };
}

function httpUrl(value: string, flag: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`${flag}: ${JSON.stringify(value)} is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`${flag}: ${value} must be an http(s) URL`);
  return value.replace(/\/+$/, '');
}

function duration(value: string, flag: string): number {
  try {
    return parseDuration(value);
  } catch (err) {
    throw new Error(`${flag}: ${(err as Error).message}`);
  }
}
