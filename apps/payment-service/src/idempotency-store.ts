/**
 * payment-service's Idempotency-Key memory: bounded, in this process, with a
 * lifetime. payment-service has no database; a restart forgets every key (so
 * does a key pushed out by `maxKeys` newer ones, oldest first). Pure: the
 * clock is injected.
 */
export interface RememberedPayment {
  paymentId: string;
  /** The trace of the request that really processed the payment. */
  traceId: string;
}

export type Begin =
  /** Process the payment, then `complete` or `abandon` the key. */
  | { kind: 'new' }
  /** The payment was already authorized under this key: answer this again. */
  | { kind: 'replay'; payment: RememberedPayment }
  /** A request with this key is being processed right now. */
  | { kind: 'in_flight' }
  /** The key was used for a different payment. */
  | { kind: 'mismatch' };

type Entry = { fingerprint: string; expiresAt: number; payment?: RememberedPayment };

export interface IdempotencyStoreOptions {
  /** @default 24 h */
  ttlMs?: number;
  /** Most keys remembered; in-flight keys are never dropped. @default 100 000 */
  maxKeys?: number;
  now?: () => number;
}

export class IdempotencyStore {
  // Insertion order is age order (an entry keeps its place until deleted), so the oldest are first.
  private readonly entries = new Map<string, Entry>();
  private readonly ttlMs: number;
  private readonly maxKeys: number;
  private readonly now: () => number;

  constructor(options: IdempotencyStoreOptions = {}) {
    this.ttlMs = options.ttlMs ?? 24 * 3600_000;
    this.maxKeys = options.maxKeys ?? 100_000;
    this.now = options.now ?? Date.now;
  }

  get size(): number {
    return this.entries.size;
  }

  begin(key: string, fingerprint: string): Begin {
    this.evict(0);
    const entry = this.entries.get(key);
    if (entry) {
      if (entry.fingerprint !== fingerprint) return { kind: 'mismatch' };
      return entry.payment ? { kind: 'replay', payment: entry.payment } : { kind: 'in_flight' };
    }
    this.evict(1);
    this.entries.set(key, { fingerprint, expiresAt: this.now() + this.ttlMs });
    return { kind: 'new' };
  }

  /** The payment was authorized: repeats get this answer until the key expires. */
  complete(key: string, payment: RememberedPayment): void {
    const entry = this.entries.get(key);
    if (entry) entry.payment = payment;
  }

  /** Nothing was charged (failed, aborted): forget the key so a retry is processed afresh. */
  abandon(key: string): void {
    if (!this.entries.get(key)?.payment) this.entries.delete(key);
  }

  /** Drops expired keys, then the oldest answered ones until `room` more fit within `maxKeys`. */
  private evict(room: number): void {
    const now = this.now();
    let over = this.entries.size + room - this.maxKeys;
    for (const [key, entry] of this.entries) {
      const expired = entry.expiresAt <= now;
      if (!expired && over <= 0) break;
      if (expired || entry.payment) {
        this.entries.delete(key);
        over--;
      }
    }
  }
}
