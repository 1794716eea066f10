/**
 * Query-parameter parsing for /api/v1 (pure). Each parser throws
 * BadParameterError naming the parameter and what it accepts.
 */
import { MAX_DURATION_NS, parseDuration, UnitsError, type DurationOptions } from '@tracelab/units';

export interface BadParameterOptions {
  /**
   * Whether the message starts with `param: ` (default true). The Tempo and
   * Jaeger APIs answer with their own wording, which names the parameter itself.
   */
  prefix?: boolean;
}

/** A bad parameter (query parameter, path segment or flag): a 400 INVALID_PARAMETER, or the compat APIs' 400. */
export class BadParameterError extends Error {
  constructor(
    readonly param: string,
    message: string,
    options: BadParameterOptions = {},
  ) {
    super(options.prefix === false ? message : `${param}: ${message}`);
  }
}

/** A malformed trace id, in whichever parameter it came (INVALID_TRACE_ID). */
export class BadTraceIdError extends BadParameterError {}

const HEX = /^[0-9a-fA-F]+$/;

/** Hex trace id of up to 32 digits, left-padded with zeros, lower case. */
export function parseTraceId(raw: string, param = 'traceId'): string {
  if (!HEX.test(raw) || raw.length > 32) {
    throw new BadTraceIdError(param, `"${raw.slice(0, 64)}" is not a trace id (1 to 32 hex digits)`);
  }
  return raw.toLowerCase().padStart(32, '0');
}

export function parseSpanId(raw: string, param = 'spanId'): string {
  if (!HEX.test(raw) || raw.length > 16) {
    throw new BadParameterError(param, `"${raw.slice(0, 64)}" is not a span id (1 to 16 hex digits)`);
  }
  return raw.toLowerCase().padStart(16, '0');
}

/** The largest nanosecond value the store holds (int64): about the year 2262, or 292 years as a duration. */
const MAX_NS = MAX_DURATION_NS;

function fitsNs(ns: bigint, raw: string, param: string, what: string): bigint {
  if (ns > MAX_NS) throw new BadParameterError(param, `"${raw.slice(0, 64)}" is out of range (${what})`);
  return ns;
}

/** /api/v1's durations: Go's units, or a plain number of milliseconds. */
const API_DURATION: DurationOptions = { bareUnit: 'ms' };

/** A Go-style duration (`100ms`, `1.5s`, `1m30s`) or a plain number of milliseconds, in ns. */
export function parseDurationNs(raw: string, param: string, options: DurationOptions = API_DURATION): bigint {
  try {
    return parseDuration(raw.trim(), options);
  } catch (err) {
    if (!(err instanceof UnitsError)) throw err;
    if (err.reason === 'range') throw new BadParameterError(param, `"${raw.slice(0, 64)}" is out of range (at most 292 years)`);
    throw new BadParameterError(param, `"${raw.slice(0, 64)}" is not a duration (e.g. 100ms, 1.5s, 2m, or a number of ms)`);
  }
}

/** An RFC 3339 date-time (or just its date); Date.parse alone also takes '-1' or 'May 5'. */
const RFC3339 = /^\d{4}-\d{2}-\d{2}([Tt ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?([Zz]|[+-]\d{2}:\d{2})?)?$/;

/** Unix milliseconds or an RFC 3339 date, in ns. */
export function parseTimeNs(raw: string, param: string): bigint {
  const s = raw.trim();
  const range = 'a time before the year 2262';
  if (/^\d+$/.test(s)) return fitsNs(BigInt(s) * 1_000_000n, raw, param, range);
  const ms = RFC3339.test(s) ? Date.parse(s) : Number.NaN;
  if (Number.isNaN(ms)) {
    throw new BadParameterError(param, `"${raw.slice(0, 64)}" is not a time (unix milliseconds or RFC 3339)`);
  }
  if (ms < 0) throw new BadParameterError(param, `"${raw.slice(0, 64)}" is before 1970`);
  return fitsNs(BigInt(ms) * 1_000_000n, raw, param, range);
}

export function parseLimit(raw: string | undefined, param: string, def: number, max: number): number {
  if (raw === undefined || raw === '') return def;
  if (!/^\d+$/.test(raw) || Number(raw) < 1 || Number(raw) > max) {
    throw new BadParameterError(param, `must be an integer from 1 to ${max}`);
  }
  return Number(raw);
}

export function parseEnum<T extends string>(raw: string | undefined, param: string, allowed: readonly T[]): T | undefined {
  if (raw === undefined || raw === '') return undefined;
  if (!(allowed as readonly string[]).includes(raw)) {
    throw new BadParameterError(param, `must be one of ${allowed.join(', ')}`);
  }
  return raw as T;
}

/** A query string as Fastify parses it. */
export type Query = Record<string, string | string[] | undefined>;

/** The one value of a parameter: absent or empty → undefined, repeated → 400. */
export function single(q: Query, name: string): string | undefined {
  const v = q[name];
  if (Array.isArray(v)) {
    if (v.length > 1) throw new BadParameterError(name, 'given more than once');
    return v[0] === '' ? undefined : v[0];
  }
  return v === '' ? undefined : v;
}
