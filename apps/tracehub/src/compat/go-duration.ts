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

/** Go's time.Duration.String(): "1.5s", "2m3s", "150ms", "12.5µs", "0s" (as Tempo prints durations). */
export function formatGoDuration(ns: number): string {
  if (ns === 0) return '0s';
  const sign = ns < 0 ? '-' : '';
  let n = Math.abs(Math.round(ns));
  const trim = (x: number): string => String(Number(x.toFixed(9)));
  if (n < 1e3) return `${sign}${n}ns`;
  if (n < 1e6) return `${sign}${trim(n / 1e3)}µs`;
  if (n < 1e9) return `${sign}${trim(n / 1e6)}ms`;
  let out = '';
  const h = Math.floor(n / 3600e9);
  if (h > 0) {
    out += `${h}h`;
    n -= h * 3600e9;
  }
  const m = Math.floor(n / 60e9);
  if (h > 0 || m > 0) {
    out += `${m}m`;
    n -= m * 60e9;
  }
  return `${sign}${out}${trim(n / 1e9)}s`;
}
