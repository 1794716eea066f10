/**
 * When to retry an OTLP/HTTP export, per the OTLP specification: only 429,
 * 502, 503, 504 and network failures are retryable; any other non-2xx answer
 * means the data will never be accepted and is dropped at once.
 */

export type Outcome = 'sent' | 'retry' | 'drop';

export function classifyStatus(status: number): Outcome {
  if (status >= 200 && status < 300) return 'sent';
  if (status === 429 || status === 502 || status === 503 || status === 504) return 'retry';
  return 'drop';
}

/**
 * Retry-After as delay-seconds or an HTTP date; null when absent or
 * unparseable. Never negative.
 */
export function parseRetryAfter(header: string | null | undefined, nowMs: number): number | null {
  if (header === null || header === undefined) return null;
  const h = header.trim();
  if (h === '') return null;
  if (/^\d+$/.test(h)) return Number(h) * 1000;
  const at = Date.parse(h);
  if (Number.isNaN(at)) return null;
  return Math.max(0, at - nowMs);
}

/**
 * Exponential backoff with full jitter: a random delay in
 * [base * 2^(attempt-1) / 2, base * 2^(attempt-1)], capped at max. `attempt`
 * counts failed attempts so far (1 after the first failure). Half-jitter keeps
 * a floor so a flapping upstream is not hammered.
 */
export function backoffDelay(attempt: number, baseMs: number, maxMs: number, random: () => number = Math.random): number {
  const exp = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(exp / 2 + random() * (exp / 2));
}
