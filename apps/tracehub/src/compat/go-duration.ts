/**
 * Durations as Tempo (minDuration/maxDuration, step) and Jaeger
 * (minDuration/maxDuration) take them: Go's time.ParseDuration, a sequence
 * of decimal numbers with units, e.g. "100ms", "1.5s", "1m30s", "250µs".
 */
import { GO_DURATION, tryParseDuration } from '@tracelab/units';

/**
 * Nanoseconds, or null when the text is not a Go duration or is beyond int64
 * ns. "0" alone is allowed, as in Go. A sign is Go's too, but only where the
 * caller asks for it (a negative minDuration means nothing to a search).
 */
export function parseGoDuration(text: string, options: { negative?: boolean } = {}): bigint | null {
  return tryParseDuration(text.trim(), { ...GO_DURATION, negative: options.negative ?? false });
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
