import { randomUUID } from 'node:crypto';
import { context, ROOT_CONTEXT } from '@opentelemetry/api';
import type pg from 'pg';
import {
  CLAIM_IDEMPOTENCY_KEY,
  COMPLETE_IDEMPOTENCY_KEY,
  DELETE_EXPIRED_IDEMPOTENCY_KEYS,
  FIND_IDEMPOTENCY_KEY,
  RELEASE_IDEMPOTENCY_KEY,
} from './queries.js';

/** An answer as it was sent: status and the exact JSON text of the body. */
export interface StoredAnswer {
  status: number;
  body: string;
  /** The trace of the request that really ran the order. */
  traceId: string | null;
}

export type Claim =
  /** This request runs the order, with this order id. */
  | { kind: 'owner'; orderId: string }
  /** The order already ran: send its answer again. */
  | { kind: 'replay'; answer: StoredAnswer }
  /** Another request with this key is running the order right now. */
  | { kind: 'in_flight' }
  /** The key was used for a different order. */
  | { kind: 'mismatch' };

export interface IdempotencyOptions {
  /** How long a key is remembered. @default 24 h */
  ttlSeconds?: number;
  /** How long an in-flight claim holds before another request may take it over (its process died). @default 60 s */
  leaseSeconds?: number;
  /** Expired keys are deleted at most this often, from a claim. @default 10 min */
  sweepEveryMs?: number;
}

interface Row {
  state: 'in_flight' | 'done' | 'retryable';
  request_hash: string;
  response_status: number | null;
  response_body: string | null;
  trace_id: string | null;
}

/**
 * Idempotency-Key bookkeeping for POST /orders in PostgreSQL. The primary key
 * decides between concurrent requests (one INSERT ... ON CONFLICT wins), so it
 * holds across processes and restarts; process memory decides nothing.
 */
export class OrderIdempotency {
  private readonly ttlSeconds: number;
  private readonly leaseSeconds: number;
  private readonly sweepEveryMs: number;
  private lastSweep = 0;

  constructor(
    private readonly pool: pg.Pool,
    options: IdempotencyOptions = {},
  ) {
    this.ttlSeconds = options.ttlSeconds ?? 24 * 3600;
    this.leaseSeconds = options.leaseSeconds ?? 60;
    this.sweepEveryMs = options.sweepEveryMs ?? 10 * 60_000;
  }

  async claim(key: string, requestHash: string): Promise<Claim> {
    this.sweepNowAndThen();
    // A row can change between the INSERT that lost and the SELECT (finished, freed, expired): look again.
    for (let round = 0; round < 3; round++) {
      const claimed = await this.pool.query<{ order_id: string }>(CLAIM_IDEMPOTENCY_KEY, [key, requestHash, randomUUID(), this.ttlSeconds, this.leaseSeconds]);
      if (claimed.rowCount === 1) return { kind: 'owner', orderId: claimed.rows[0].order_id };
      const found = await this.pool.query<Row>(FIND_IDEMPOTENCY_KEY, [key]);
      const row = found.rows[0];
      if (!row) continue;
      if (row.request_hash !== requestHash) return { kind: 'mismatch' };
      if (row.state === 'done') return { kind: 'replay', answer: { status: row.response_status!, body: row.response_body!, traceId: row.trace_id } };
      if (row.state === 'in_flight') return { kind: 'in_flight' };
    }
    return { kind: 'in_flight' };
  }

  /** Remembers the answer of a claimed key (2xx or 4xx: the order ran to a definite result). */
  async complete(key: string, orderId: string, answer: StoredAnswer): Promise<void> {
    await this.pool.query(COMPLETE_IDEMPOTENCY_KEY, [key, orderId, answer.status, answer.body, answer.traceId]);
  }

  /** Frees a claimed key after a 5xx (nothing was kept), so a retry of the same order runs it again. */
  async release(key: string, orderId: string): Promise<void> {
    await this.pool.query(RELEASE_IDEMPOTENCY_KEY, [key, orderId]);
  }

  /** Deletes expired keys at most every `sweepEveryMs`, off the request's trace, never failing the request. */
  private sweepNowAndThen(): void {
    const now = Date.now();
    if (now - this.lastSweep < this.sweepEveryMs) return;
    this.lastSweep = now;
    context.with(ROOT_CONTEXT, () => this.pool.query(DELETE_EXPIRED_IDEMPOTENCY_KEYS)).catch(() => undefined);
  }
}
