// Name and text patterns of the spec language. Pure.
import { nsToMs, tryParseDuration, type DurationOptions } from '@tracelab/units';
import type { Pattern } from './types.js';

const REGEX_FORM = /^\/(.*)\/([dgimsuvy]*)$/s;

function escapeRegex(text: string): string {
  return text.replace(/[.+^${}()|[\]\\]/g, '\\$&');
}

/** `/re/flags` → that regex; otherwise `*` and `?` are wildcards and everything else is literal, over the whole name. */
export function namePattern(source: string): Pattern {
  const re = REGEX_FORM.exec(source);
  if (re) return regexPattern(source, re[1]!, re[2]!);
  if (!/[*?]/.test(source)) return { source, test: (t) => t === source };
  const glob = new RegExp(`^${escapeRegex(source).replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 's');
  return { source, test: (t) => glob.test(t) };
}

/** `/re/flags` → that regex; otherwise a substring test (messages are long; specs name the telling part). */
export function textPattern(source: string): Pattern {
  const re = REGEX_FORM.exec(source);
  if (re) return regexPattern(source, re[1]!, re[2]!);
  return { source, test: (t) => t.includes(source) };
}

/** `/re/flags` → that regex, or undefined for plain text. */
export function maybeRegex(source: string): Pattern | undefined {
  const re = REGEX_FORM.exec(source);
  return re ? regexPattern(source, re[1]!, re[2]!) : undefined;
}

function regexPattern(source: string, body: string, flags: string): Pattern {
  let re: RegExp;
  try {
    re = new RegExp(body, flags.replace(/[gy]/g, ''));
  } catch (err) {
    throw new Error(`${source} is not a valid regular expression (${(err as Error).message})`);
  }
  return { source, test: (t) => re.test(t) };
}

const UNITS: DurationOptions = { units: ['ns', 'us', 'µs', 'ms', 's', 'm'], bareUnit: 'ms', spaceBeforeUnit: true };

/** `300ms`, `1.5s`, `250us`, `2m`, or a plain number of milliseconds → milliseconds. */
export function parseDuration(value: unknown): number {
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return value;
  const ns = typeof value === 'string' ? tryParseDuration(value.trim(), UNITS) : null;
  if (ns !== null) return nsToMs(ns);
  throw new Error(`${JSON.stringify(value)} is not a duration: write e.g. 300ms, 1.5s, 250us or a number of milliseconds`);
}

export function formatMs(ms: number): string {
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  if (ms >= 10) return `${ms.toFixed(1)} ms`;
  return `${ms.toFixed(2)} ms`;
}
