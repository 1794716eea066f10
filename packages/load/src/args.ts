// Load flags (the CLI's, also used by the storefront's Load panel) → load options. Pure.
import { parseArgs } from 'node:util';
import { nsToMs, tryParseDuration } from '@tracelab/units';
import { parseMix, type MixEntry } from './mix.js';

export interface LoadOptions {
  url: string;
  /** Requests per second. */
  rate: number;
  durationMs: number;
  /** Stop after this many requests even if time remains. */
  maxRequests: number;
  mix: MixEntry[];
  /** Abort a request after this long; it counts as a failure. */
  timeoutMs: number;
  /** Refuse to start more than this many concurrent requests (counted as skipped): bounds memory when the target stalls. */
  maxInFlight: number;
  json?: string;
  progress: boolean;
  help: boolean;
}

const LIMITS = { rate: 10_000, durationMs: 24 * 3600_000, maxRequests: 10_000_000 };

export function parseLoadArgs(argv: string[], env: Record<string, string | undefined>): LoadOptions {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      rate: { type: 'string' },
      duration: { type: 'string' },
      mix: { type: 'string' },
      url: { type: 'string' },
      'max-requests': { type: 'string' },
      timeout: { type: 'string' },
      'max-in-flight': { type: 'string' },
      json: { type: 'string' },
      'no-progress': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (positionals.length > 0) throw new Error(`unexpected argument ${JSON.stringify(positionals[0])}`);
  const rate = positiveNumber(values.rate ?? '50', '--rate');
  if (rate > LIMITS.rate) throw new Error(`--rate: at most ${LIMITS.rate} requests per second`);
  const durationMs = parseDuration(values.duration ?? '60s', '--duration');
  if (durationMs <= 0 || durationMs > LIMITS.durationMs) throw new Error('--duration: must be above 0 and at most 24h');
  const planned = Math.ceil((rate * durationMs) / 1000);
  const maxRequests = values['max-requests'] === undefined ? Math.min(planned, LIMITS.maxRequests) : wholeNumber(values['max-requests'], '--max-requests');
  if (maxRequests > LIMITS.maxRequests) throw new Error(`--max-requests: at most ${LIMITS.maxRequests}`);
  const url = values.url ?? env.ORDER_URL ?? 'http://127.0.0.1:8080';
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`--url: ${JSON.stringify(url)} is not a URL`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error(`--url: ${url} must be http(s)`);
  return {
    url: url.replace(/\/+$/, ''),
    rate,
    durationMs,
    maxRequests,
    mix: parseMix(values.mix ?? 'normal:80,out-of-stock:10,payment-timeout:10'),
    timeoutMs: parseDuration(values.timeout ?? '10s', '--timeout'),
    maxInFlight: wholeNumber(values['max-in-flight'] ?? '1000', '--max-in-flight'),
    json: values.json,
    progress: !values['no-progress'],
    help: values.help ?? false,
  };
}

/** `60s`, `1.5m`, `500ms`, `1h`, `1m30s`, or a plain number of seconds (k6's habit), in ms. */
export function parseDuration(text: string, flag: string): number {
  const ns = tryParseDuration(text.trim(), { units: ['ms', 's', 'm', 'h'], bareUnit: 's' });
  if (ns === null) throw new Error(`${flag}: ${JSON.stringify(text)} is not a duration (e.g. 60s, 2m, 500ms)`);
  return nsToMs(ns);
}

function positiveNumber(text: string, flag: string): number {
  const n = Number(text);
  if (!/^\d+(\.\d+)?$/.test(text) || !(n > 0)) throw new Error(`${flag}: ${JSON.stringify(text)} must be a number above 0`);
  return n;
}

function wholeNumber(text: string, flag: string): number {
  if (!/^\d+$/.test(text) || Number(text) < 1) throw new Error(`${flag}: ${JSON.stringify(text)} must be a whole number ≥ 1`);
  return Number(text);
}
