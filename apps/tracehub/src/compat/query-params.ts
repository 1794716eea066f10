/** Small readers for query-string values, shared by the Tempo and Jaeger apps. */
import { BadParameterError } from '../api/params.js';

export type QueryValue = string | string[] | undefined;
export type Query = Record<string, QueryValue>;

/** The last value of a possibly repeated parameter ('' and absent both give undefined). */
export function one(q: Query, name: string): string | undefined {
  const v = q[name];
  const s = Array.isArray(v) ? v[v.length - 1] : v;
  return s === undefined || s === '' ? undefined : s;
}

/** Every value of a repeated parameter. */
export function all(q: Query, name: string): string[] {
  const v = q[name];
  if (v === undefined) return [];
  return (Array.isArray(v) ? v : [v]).filter((s) => s !== '');
}

/**
 * A bad parameter in the Tempo or Jaeger wording (their contract tests check
 * it): the message is theirs, without the `param: ` prefix of /api/v1.
 */
export function badParam(param: string, message: string): BadParameterError {
  return new BadParameterError(param, message, { prefix: false });
}

/** An integer in [min, max], the default when absent; BadParameterError otherwise. */
export function intParam(q: Query, name: string, def: number, min: number, max: number): number {
  const s = one(q, name);
  if (s === undefined) return def;
  if (!/^-?\d+$/.test(s)) throw badParam(name, `${name} must be an integer, got "${s}"`);
  const n = Number(s);
  if (n < min || n > max) throw badParam(name, `${name} must be between ${min} and ${max}, got ${n}`);
  return n;
}
