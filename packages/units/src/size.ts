/**
 * Byte sizes: a decimal number and an optional unit, any case, optionally
 * spaced: `16MiB`, `10GiB`, `512KB`, `512kB`, `1.5GB`, `2 MiB`, `4096`,
 * `0 bytes` (DuckDB's form). KB/MB/GB/TB are powers of 1000,
 * KiB/MiB/GiB/TiB powers of 1024.
 */
import { quote, UnitsError } from './errors.js';

/** Bytes per unit, by lower-case unit name. */
export const BYTES_PER_UNIT: Readonly<Record<string, number>> = {
  b: 1,
  byte: 1,
  bytes: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  tb: 1e12,
  kib: 2 ** 10,
  mib: 2 ** 20,
  gib: 2 ** 30,
  tib: 2 ** 40,
};

const SIZE = /^(\d+(?:\.\d*)?|\.\d+)\s*([a-z]*)$/i;

/** A size in whole bytes (rounded); UnitsError when it is not one or exceeds 2^53 bytes. */
export function parseSize(text: string): number {
  const s = text.trim();
  if (s === '') throw new UnitsError('empty', text, 'empty size');
  const m = SIZE.exec(s);
  if (!m) throw new UnitsError('syntax', text, `${quote(text)} is not a size (e.g. 16MiB, 1.5GB, or bytes)`);
  const per = BYTES_PER_UNIT[(m[2] || 'b').toLowerCase()];
  if (per === undefined) {
    throw new UnitsError('unknown-unit', text, `unknown unit ${quote(m[2]!)} in size ${quote(text)} (units: B, KB, MB, GB, TB, KiB, MiB, GiB, TiB)`);
  }
  const bytes = Math.round(Number(m[1]) * per);
  if (!Number.isSafeInteger(bytes)) throw new UnitsError('range', text, `size ${quote(text)} is out of range (at most 8 PiB)`);
  return bytes;
}

/** parseSize, or null where it would throw. */
export function tryParseSize(text: string): number | null {
  try {
    return parseSize(text);
  } catch (err) {
    if (err instanceof UnitsError) return null;
    throw err;
  }
}
