import { createHash } from 'node:crypto';
import { errors, type ServiceError } from './errors.js';

export const MAX_DELAY_MS = 60_000;
const IDEMPOTENCY_KEY_MAX_LENGTH = 255;

export interface PaymentInput {
  orderId: string;
  productName: string;
  quantity: number;
  /** Simulated processing time in ms. */
  delay: number;
  /** Simulate a failed payment. */
  fail: boolean;
}

/** Validates a payment request body. Pure; the first problem wins. */
export function parsePaymentInput(raw: unknown): { ok: true; value: PaymentInput } | { ok: false; error: ServiceError } {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    return { ok: false, error: errors.invalid('body', 'The payment must be a JSON object.') };
  }
  const r = raw as Record<string, unknown>;
  if (typeof r.orderId !== 'string' || r.orderId.length === 0 || r.orderId.length > 100) {
    return { ok: false, error: errors.invalid('orderId', 'orderId must be a non-empty string of at most 100 characters.') };
  }
  if (typeof r.productName !== 'string' || r.productName.length === 0 || r.productName.length > 100) {
    return { ok: false, error: errors.invalid('productName', 'productName must be a non-empty string of at most 100 characters.') };
  }
  if (typeof r.quantity !== 'number' || !Number.isInteger(r.quantity) || r.quantity < 1 || r.quantity > 1_000_000) {
    return { ok: false, error: errors.invalid('quantity', 'quantity must be a positive integer.') };
  }
  const delay = r.delay ?? 0;
  if (typeof delay !== 'number' || !Number.isInteger(delay) || delay < 0 || delay > MAX_DELAY_MS) {
    return { ok: false, error: errors.invalid('delay', `delay must be an integer between 0 and ${MAX_DELAY_MS}.`) };
  }
  const fail = r.fail ?? false;
  if (typeof fail !== 'boolean') return { ok: false, error: errors.invalid('fail', 'fail must be true or false.') };
  return { ok: true, value: { orderId: r.orderId, productName: r.productName, quantity: r.quantity, delay, fail } };
}

/** `Idempotency-Key`: optional; else 1..255 visible ASCII characters (0x21..0x7E). Pure. */
export function parseIdempotencyKey(raw: string | string[] | undefined): { ok: true; value: string | undefined } | { ok: false; error: ServiceError } {
  if (raw === undefined) return { ok: true, value: undefined };
  if (typeof raw === 'string' && raw.length >= 1 && raw.length <= IDEMPOTENCY_KEY_MAX_LENGTH && /^[\x21-\x7e]+$/.test(raw)) return { ok: true, value: raw };
  return {
    ok: false,
    error: errors.invalid('Idempotency-Key', `Idempotency-Key must be sent once, as 1 to ${IDEMPOTENCY_KEY_MAX_LENGTH} visible ASCII characters (no spaces), e.g. the order id.`),
  };
}

/** Two payments are the same request when their validated fields are equal. Pure. */
export function paymentFingerprint(input: PaymentInput): string {
  return createHash('sha256').update(JSON.stringify([input.orderId, input.productName, input.quantity, input.delay, input.fail])).digest('hex');
}
