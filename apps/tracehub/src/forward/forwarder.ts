/**
 * OTLP/HTTP forwarding: tracehub passes what it has acknowledged on to an
 * upstream OTLP endpoint (a Collector, another tracehub) without ever
 * holding up ingest. Batches wait in a byte-bounded queue (oldest evicted
 * when full); one sender posts them in order, retrying 429/502/503/504 and
 * network errors with exponential backoff + jitter (honouring Retry-After),
 * and dropping anything else at once. Every span is counted as sent or
 * dropped, so `stats()` says exactly what the central view is missing.
 */
import { ByteBoundedQueue } from './byte-queue.js';
import { backoffDelay, classifyStatus, parseRetryAfter } from './retry-policy.js';

export type Signal = 'traces' | 'logs';

export interface ForwarderLogger {
  info?(obj: object, msg: string): void;
  warn?(obj: object, msg: string): void;
}

export interface ForwarderOptions {
  /** OTLP/HTTP base URL, e.g. http://collector:4318; batches go to `${endpoint}/v1/traces` and `/v1/logs`. */
  endpoint: string;
  /** Bound on queued bytes; the oldest batches are dropped beyond it. @default 33554432 (32 MiB) */
  maxQueueBytes?: number;
  /** Attempts per batch (first try included) before it is dropped. @default 8 */
  maxAttempts?: number;
  /** Extra request headers (e.g. authorization for a hosted backend). @default {} */
  headers?: Record<string, string>;
  logger?: ForwarderLogger;
  /** Per-request timeout. @default 10000 */
  requestTimeoutMs?: number;
  /** First retry delay (before jitter). @default 500 */
  initialBackoffMs?: number;
  /** Cap on one retry delay, Retry-After included. @default 30000 */
  maxBackoffMs?: number;
}

export type DropReason = 'queue_full' | 'rejected' | 'retries_exhausted' | 'shutdown';

export interface ForwarderStats {
  endpoint: string;
  sentSpans: number;
  sentLogRecords: number;
  sentBatches: number;
  droppedSpans: number;
  droppedLogRecords: number;
  droppedBatches: number;
  /** Dropped spans + log records by reason. */
  droppedByReason: Record<DropReason, number>;
  queuedBatches: number;
  queuedBytes: number;
  /** Spans/records waiting (queued or in flight). */
  pendingItems: number;
  failedAttempts: number;
  /** The upstream's last failure, '' after a success. */
  lastError: string;
  upstreamUp: boolean;
}

export interface Forwarder {
  /** Never blocks and never throws: the batch is queued (possibly evicting older ones) or counted as dropped. */
  enqueue(signal: Signal, body: Uint8Array, itemCount: number): void;
  stats(): ForwarderStats;
  /** Sends what it can within timeoutMs, then drops the rest (counted as 'shutdown'). */
  close(timeoutMs: number): Promise<void>;
}

interface Batch {
  signal: Signal;
  body: Uint8Array;
  items: number;
  bytes: number;
  attempts: number;
}

export function createForwarder(opts: ForwarderOptions): Forwarder {
  const base = opts.endpoint.replace(/\/+$/, '');
  try {
    const u = new URL(base);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('not http');
  } catch {
    throw new Error(`forward endpoint must be an http(s) URL such as http://collector:4318, got "${opts.endpoint}"`);
  }
  const maxAttempts = Math.max(1, opts.maxAttempts ?? 8);
  const timeoutMs = opts.requestTimeoutMs ?? 10_000;
  const initialBackoffMs = opts.initialBackoffMs ?? 500;
  const maxBackoffMs = opts.maxBackoffMs ?? 30_000;
  const queue = new ByteBoundedQueue<Batch>(opts.maxQueueBytes ?? 32 * 1024 * 1024);
  const log = opts.logger ?? {};

  const s = {
    sentSpans: 0,
    sentLogRecords: 0,
    sentBatches: 0,
    droppedSpans: 0,
    droppedLogRecords: 0,
    droppedBatches: 0,
    droppedByReason: { queue_full: 0, rejected: 0, retries_exhausted: 0, shutdown: 0 } as Record<DropReason, number>,
    failedAttempts: 0,
    lastError: '',
    upstreamUp: true,
  };

  let current: Batch | null = null;
  /** Spans/records in the queue (not counting `current`). */
  let queuedItems = 0;
  const take = (): Batch | null => {
    const b = queue.shift() ?? null;
    if (b) queuedItems -= b.items;
    return b;
  };
  let closing = false;
  let stopped = false;
  let wake: (() => void) | null = null;
  let sleepTimer: NodeJS.Timeout | null = null;
  let inflight: AbortController | null = null;
  let drained: (() => void) | null = null;

  function drop(b: Batch, reason: DropReason): void {
    if (b.signal === 'traces') s.droppedSpans += b.items;
    else s.droppedLogRecords += b.items;
    s.droppedBatches++;
    s.droppedByReason[reason] += b.items;
  }

  function markDown(err: string): void {
    s.lastError = err;
    if (s.upstreamUp) {
      s.upstreamUp = false;
      log.warn?.({ endpoint: base, error: err }, 'forward upstream unavailable; queueing and retrying');
    }
  }

  /** One POST; resolves to the outcome and, for retries, the delay the upstream asked for. */
  async function attempt(b: Batch): Promise<{ outcome: 'sent' | 'retry' | 'drop'; retryAfterMs: number | null; error: string }> {
    inflight = new AbortController();
    const timer = setTimeout(() => inflight?.abort(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
    try {
      const res = await fetch(`${base}/v1/${b.signal}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-protobuf', 'user-agent': 'tracehub-forwarder', ...opts.headers },
        body: b.body,
        signal: inflight.signal,
      });
      // Read the body so the connection is reusable; its text helps diagnose rejections.
      const text = await res.text().catch(() => '');
      const outcome = classifyStatus(res.status);
      return {
        outcome,
        retryAfterMs: parseRetryAfter(res.headers.get('retry-after'), Date.now()),
        error: outcome === 'sent' ? '' : `HTTP ${res.status}${text ? `: ${text.slice(0, 200)}` : ''}`,
      };
    } catch (err) {
      const e = err as Error & { cause?: { code?: string; message?: string } };
      return { outcome: 'retry', retryAfterMs: null, error: e.cause?.code ?? e.cause?.message ?? e.message };
    } finally {
      clearTimeout(timer);
      inflight = null;
    }
  }

  function sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      sleepTimer = setTimeout(() => {
        sleepTimer = null;
        wake = null;
        resolve();
      }, ms);
      // close() cuts a backoff short through wake().
      wake = () => {
        if (sleepTimer) clearTimeout(sleepTimer);
        sleepTimer = null;
        wake = null;
        resolve();
      };
    });
  }

  function idle(): Promise<void> {
    return new Promise((resolve) => {
      wake = () => {
        wake = null;
        resolve();
      };
    });
  }

  async function run(): Promise<void> {
    while (!stopped) {
      const b = current ?? take();
      if (b === null) {
        drained?.();
        await idle();
        continue;
      }
      current = b;
      const r = await attempt(b);
      if (stopped) break; // close() already accounted for `current`
      if (r.outcome === 'sent') {
        if (b.signal === 'traces') s.sentSpans += b.items;
        else s.sentLogRecords += b.items;
        s.sentBatches++;
        s.lastError = '';
        if (!s.upstreamUp) {
          s.upstreamUp = true;
          log.info?.({ endpoint: base }, 'forward upstream back; sending queued batches');
        }
        current = null;
        continue;
      }
      s.failedAttempts++;
      if (r.outcome === 'drop') {
        // A 4xx other than 429: the upstream will never take this batch.
        s.lastError = r.error;
        log.warn?.({ endpoint: base, error: r.error, items: b.items }, 'forward upstream rejected a batch; dropped');
        drop(b, 'rejected');
        current = null;
        continue;
      }
      markDown(r.error);
      b.attempts++;
      if (b.attempts >= maxAttempts) {
        drop(b, 'retries_exhausted');
        current = null;
        continue;
      }
      const delay = Math.min(maxBackoffMs, r.retryAfterMs ?? backoffDelay(b.attempts, initialBackoffMs, maxBackoffMs));
      await sleep(delay);
    }
  }

  const loop = run();

  return {
    enqueue(signal, body, itemCount) {
      const b: Batch = { signal, body, items: Math.max(0, itemCount | 0), bytes: body.byteLength, attempts: 0 };
      if (closing) {
        drop(b, 'shutdown');
        return;
      }
      queuedItems += b.items;
      for (const evicted of queue.push(b)) {
        queuedItems -= evicted.items;
        drop(evicted, 'queue_full');
      }
      if (current === null && sleepTimer === null) wake?.();
    },

    stats() {
      return {
        endpoint: base,
        ...s,
        droppedByReason: { ...s.droppedByReason },
        queuedBatches: queue.length,
        queuedBytes: queue.bytes,
        pendingItems: queuedItems + (current ? current.items : 0),
      };
    },

    async close(closeTimeoutMs) {
      if (stopped) return;
      closing = true;
      if (current !== null || queue.length > 0) {
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, Math.max(0, closeTimeoutMs));
          drained = () => {
            clearTimeout(t);
            resolve();
          };
          if (current === null) wake?.();
        });
      }
      stopped = true;
      inflight?.abort(new Error('forwarder closed'));
      if (current) drop(current, 'shutdown');
      current = null;
      for (const b of queue.drain()) drop(b, 'shutdown');
      queuedItems = 0;
      wake?.();
      await loop;
    },
  };

}
