/**
 * Query-parameter parsing for /api/v1 (pure). Each parser throws
 * BadParameterError naming the parameter and what it accepts.
 */
export class BadParameterError extends Error {
  constructor(
    readonly param: string,
    message: string,
  ) {
    super(`${param}: ${message}`);
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
const MAX_NS = 2n ** 63n - 1n;

function fitsNs(ns: bigint, raw: string, param: string, what: string): bigint {
  if (ns > MAX_NS) throw new BadParameterError(param, `"${raw.slice(0, 64)}" is out of range (${what})`);
  return ns;
}

const UNIT_NS: Record<string, number> = { ns: 1, us: 1e3, 'µs': 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 };

/** A Go-style duration (`100ms`, `1.5s`, `1m30s`) or a plain number of milliseconds, in ns. */
export function parseDurationNs(raw: string, param: string): bigint {
  const s = raw.trim();
  const tooLong = 'at most 292 years';
  if (/^\d+(\.\d+)?$/.test(s)) {
    const ns = Number(s) * 1e6;
    if (!Number.isFinite(ns)) throw new BadParameterError(param, `"${raw.slice(0, 64)}" is out of range (${tooLong})`);
    return fitsNs(BigInt(Math.round(ns)), raw, param, tooLong);
  }
  const re = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/gy;
  let total = 0;
  let pos = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(s)) !== null) {
    total += Number(m[1]) * UNIT_NS[m[2]!]!;
    pos = re.lastIndex;
  }
  if (pos === 0 || pos !== s.length) {
    throw new BadParameterError(param, `"${raw.slice(0, 64)}" is not a duration (e.g. 100ms, 1.5s, 2m, or a number of ms)`);
  }
  if (!Number.isFinite(total)) throw new BadParameterError(param, `"${raw.slice(0, 64)}" is out of range (${tooLong})`);
  return fitsNs(BigInt(Math.round(total)), raw, param, tooLong);
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
