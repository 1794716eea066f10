/** A duration in microseconds as a short human string: 850µs, 12.3ms, 4.56s, 2m 3s. */
export function formatDuration(us: number): string {
  if (!Number.isFinite(us)) return '–';
  const a = Math.abs(us);
  if (a < 1) return `${trim(us * 1000, 0)}ns`;
  if (a < 1000) return `${trim(us, a < 10 ? 2 : a < 100 ? 1 : 0)}µs`;
  const ms = us / 1000;
  if (Math.abs(ms) < 1000) return `${trim(ms, Math.abs(ms) < 10 ? 2 : Math.abs(ms) < 100 ? 1 : 0)}ms`;
  const s = ms / 1000;
  if (Math.abs(s) < 60) return `${trim(s, Math.abs(s) < 10 ? 2 : 1)}s`;
  const m = Math.floor(s / 60);
  const rest = Math.round(s - m * 60);
  if (m < 60) return rest ? `${m}m ${rest}s` : `${m}m`;
  const h = Math.floor(m / 60);
  return `${h}h ${m % 60}m`;
}

function trim(v: number, digits: number): string {
  // toFixed then drop trailing zeros, so 2.50 → 2.5 and 3.00 → 3.
  const s = v.toFixed(digits);
  return s.includes('.') ? s.replace(/\.?0+$/, '') : s;
}

/** Milliseconds (the API's durationMs) formatted like formatDuration. */
export function formatMs(ms: number): string {
  return formatDuration(ms * 1000);
}

/** Attribute values as display text; never HTML (shared with tracehub's trace search). */
export { formatValue } from '@tracelab/trace-explain';

/** Local wall-clock time with milliseconds, e.g. 2024-11-25 18:40:00.123. */
export function formatTimestamp(ms: number): string {
  const d = new Date(ms);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(d.getMilliseconds(), 3)}`;
}

/** "3 minutes ago" style, for result lists. */
export function formatAgo(ms: number, now: number): string {
  const s = Math.round((now - ms) / 1000);
  if (s < 5) return 'just now';
  if (s < 60) return `${s}s ago`;
  const m = Math.round(s / 60);
  if (m < 60) return `${m}m ago`;
  const h = Math.round(m / 60);
  if (h < 48) return `${h}h ago`;
  return `${Math.round(h / 24)}d ago`;
}

/** A rate for people: per second, or per minute when under 0.01/s (10 calls in an hour is not "0.00/s"). */
export function formatRate(perSec: number): string {
  if (perSec === 0) return '0/s';
  if (perSec >= 100) return `${Math.round(perSec)}/s`;
  if (perSec >= 1) return `${perSec.toFixed(1)}/s`;
  if (perSec >= 0.01) return `${perSec.toFixed(2)}/s`;
  return `${(perSec * 60).toFixed(2)}/min`;
}

const collator = new Intl.Collator(undefined, { numeric: true });

/** Text order for sortable tables (locale-aware, numbers by value: op-2 before op-10). */
export const byText: (a: string, b: string) => number = collator.compare;
