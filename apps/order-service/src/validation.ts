import { createHash } from 'node:crypto';
import { errors, type ServiceError } from './errors.js';

/** Limits a request must stay within; bigger values are refused with 400, never clamped. */
export const LIMITS = {
  productNameMaxLength: 100,
  maxDelayMs: 10_000,
  maxQuantity: 1_000,
  idempotencyKeyMaxLength: 255,
} as const;

export interface OrderInput {
  productName: string;
  quantity: number;
  /** Simulated payment delay in ms, passed on to payment-service. */
  delay: number;
  /** Ask payment-service to fail, to show a payment error in the trace. */
  fail: boolean;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: ServiceError };

function show(v: unknown): string {
  const s = typeof v === 'string' ? JSON.stringify(v) : JSON.stringify(v) ?? String(v);
  return s.length > 40 ? `${s.slice(0, 40)}...` : s;
}

function integer(field: string, raw: unknown, min: number, max: number, fallback: number): number | ServiceError {
  if (raw === undefined || raw === null || raw === '') return fallback;
  let n: number;
  if (typeof raw === 'number') n = raw;
  else if (typeof raw === 'string' && /^-?\d{1,12}$/.test(raw.trim())) n = Number(raw.trim());
  else return errors.invalid(field, `${field} must be an integer between ${min} and ${max} (got ${show(raw)}).`);
  if (!Number.isInteger(n) || n < min || n > max) {
    return errors.invalid(field, `${field} must be an integer between ${min} and ${max} (got ${show(raw)}).`);
  }
  return n;
}

function boolean(field: string, raw: unknown): boolean | ServiceError {
  if (raw === undefined || raw === null || raw === '' || raw === false || raw === 'false') return false;
  if (raw === true || raw === 'true') return true;
  return errors.invalid(field, `${field} must be true or false (got ${show(raw)}).`);
}

/**
 * Validates an order from a query string (all strings) or a JSON body
 * (numbers, booleans or the same strings). Pure; the first problem wins.
 */
export function parseOrderInput(raw: unknown): Parsed<OrderInput> {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    return { ok: false, error: errors.invalid('body', 'The order must be a JSON object like {"productName":"Book","quantity":1,"delay":100}.') };
  }
  const r = raw as Record<string, unknown>;
  const name = r.productName;
  if (name === undefined || name === null || (typeof name === 'string' && name.trim() === '')) {
    return { ok: false, error: errors.invalid('productName', 'productName is required, e.g. productName=Book.') };
  }
  if (typeof name !== 'string') {
    return { ok: false, error: errors.invalid('productName', `productName must be a single string (got ${show(name)}).`) };
  }
  if (name.length > LIMITS.productNameMaxLength) {
    return { ok: false, error: errors.invalid('productName', `productName must be at most ${LIMITS.productNameMaxLength} characters.`) };
  }
  const quantity = integer('quantity', r.quantity, 1, LIMITS.maxQuantity, 1);
  if (typeof quantity !== 'number') return { ok: false, error: quantity };
  const delay = integer('delay', r.delay, 0, LIMITS.maxDelayMs, 0);
  if (typeof delay !== 'number') return { ok: false, error: delay };
  const fail = boolean('fail', r.fail);
  if (typeof fail !== 'boolean') return { ok: false, error: fail };
  return { ok: true, value: { productName: name, quantity, delay, fail } };
}

/** Visible ASCII only (0x21..0x7E): a UUID, a ULID or base64 fits; spaces, commas (two headers joined) and control characters do not. */
const IDEMPOTENCY_KEY = /^[\x21-\x7e]+$/;

/**
 * Validates the `Idempotency-Key` header: absent → `undefined` (no
 * idempotency), else 1..255 visible ASCII characters. Pure.
 */
export function parseIdempotencyKey(raw: string | string[] | undefined): Parsed<string | undefined> {
  if (raw === undefined) return { ok: true, value: undefined };
  const bad = (why: string) => ({ ok: false as const, error: errors.invalid('Idempotency-Key', `Idempotency-Key ${why}; send one key of 1 to ${LIMITS.idempotencyKeyMaxLength} visible ASCII characters, e.g. a UUID.`) });
  if (Array.isArray(raw)) return bad('was sent more than once');
  if (raw.length === 0) return bad('is empty');
  if (raw.length > LIMITS.idempotencyKeyMaxLength) return bad(`is ${raw.length} characters long`);
  if (!IDEMPOTENCY_KEY.test(raw)) return bad(`contains a character that is not visible ASCII (got ${show(raw)})`);
  return { ok: true, value: raw };
}

/** What makes two orders "the same request" for an idempotency key: the validated order, not its JSON spelling. Pure. */
export function orderFingerprint(input: OrderInput): string {
  const canonical = JSON.stringify([input.productName, input.quantity, input.delay, input.fail]);
  return createHash('sha256').update(canonical).digest('hex');
}
