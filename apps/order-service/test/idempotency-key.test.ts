// The Idempotency-Key header and the order fingerprint: pure, no servers.
import { describe, expect, it } from 'vitest';
import { orderFingerprint, parseIdempotencyKey, parseOrderInput, type OrderInput } from '../src/validation.js';

describe('parseIdempotencyKey', () => {
  it('absent → no key; a UUID, 255 visible ASCII characters → the key', () => {
    expect(parseIdempotencyKey(undefined)).toEqual({ ok: true, value: undefined });
    expect(parseIdempotencyKey('0b6f5a52-8d55-4b1c-9d1e-6f7f2c1a9e00')).toEqual({ ok: true, value: '0b6f5a52-8d55-4b1c-9d1e-6f7f2c1a9e00' });
    expect(parseIdempotencyKey('!~'.repeat(127) + 'x').ok).toBe(true);
  });

  it.each([
    ['', /is empty/],
    ['k'.repeat(256), /is 256 characters long/],
    ['two words', /not visible ASCII.*"two words"/],
    ['tab\there', /not visible ASCII/],
    ['clé', /not visible ASCII/],
  ])('%j → 400 on field Idempotency-Key saying why', (raw, why) => {
    const r = parseIdempotencyKey(raw);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error).toMatchObject({ code: 'INVALID_REQUEST', status: 400, field: 'Idempotency-Key' });
    expect(r.error.message).toMatch(why);
  });

  it('a header sent twice → 400', () => {
    const r = parseIdempotencyKey(['a', 'b']);
    expect(r.ok ? '' : r.error.message).toMatch(/more than once/);
  });
});

describe('orderFingerprint', () => {
  const parsed = (raw: unknown): OrderInput => {
    const r = parseOrderInput(raw);
    if (!r.ok) throw r.error;
    return r.value;
  };

  it('is the meaning of the order, not its spelling', () => {
    const a = orderFingerprint(parsed({ productName: 'Book', quantity: 1, delay: 0, fail: false }));
    expect(orderFingerprint(parsed({ delay: '0', productName: 'Book' }))).toBe(a);
    expect(a).toMatch(/^[0-9a-f]{64}$/);
  });

  it('changes with every field', () => {
    const base = { productName: 'Book', quantity: 1, delay: 0, fail: false };
    const a = orderFingerprint(base);
    for (const other of [{ productName: 'Pen' }, { quantity: 2 }, { delay: 1 }, { fail: true }]) {
      expect(orderFingerprint({ ...base, ...other })).not.toBe(a);
    }
  });
});
