/**
 * Go's time.ParseDuration subset, as Tempo (minDuration/maxDuration) and
 * Jaeger (minDuration/maxDuration) take durations: a sequence of decimal
 * numbers with units, e.g. "100ms", "1.5s", "1m30s", "250us", "250µs".
 */

const UNIT_NS: Record<string, number> = {
  ns: 1,
  us: 1e3,
  'µs': 1e3,
  'μs': 1e3,
  ms: 1e6,
  s: 1e9,
  m: 60e9,
  h: 3600e9,
};

/** Returns nanoseconds, or null when the text is not a Go duration. "0" alone is allowed, as in Go. */
export function parseGoDuration(text: string): bigint | null {
  const s = text.trim();
  if (s === '0') return 0n;
  if (s === '' || s.length > 64) return null;
  const re = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/gy;
  let total = 0;
  let consumed = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(s)) !== null) {
    total += Number(m[1]) * UNIT_NS[m[2]!]!;
    consumed = re.lastIndex;
  }
  if (consumed !== s.length) return null;
  if (!Number.isFinite(total)) return null;
  return BigInt(Math.round(total));
}
