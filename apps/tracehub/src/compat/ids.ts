/**
 * Id and time helpers shared by the Tempo and Jaeger translators.
 */

/**
 * Tempo and Jaeger accept trace ids shorter than 32 hex digits (64-bit ids
 * from older tracers); they are left-padded with zeros. Returns null when the
 * input is not 1-32 hex characters.
 */
export function normalizeTraceId(raw: string): string | null {
  const id = raw.trim().toLowerCase();
  if (!/^[0-9a-f]{1,32}$/.test(id)) return null;
  return id.padStart(32, '0');
}

/** Hex → base64, as proto3 JSON spells `bytes` fields (trace and span ids). */
export function hexToBase64(hex: string): string {
  if (hex === '') return '';
  return Buffer.from(hex, 'hex').toString('base64');
}

/** Nanoseconds → whole microseconds (Jaeger's unit), truncating. */
export function nsToMicros(ns: bigint): number {
  return Number(ns / 1000n);
}

/** Unix seconds (Tempo's start/end parameters) → nanoseconds. Null when not a non-negative integer. */
export function secondsToNs(raw: string): bigint | null {
  if (!/^\d{1,12}$/.test(raw)) return null;
  return BigInt(raw) * 1_000_000_000n;
}
