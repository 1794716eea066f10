// The `explanation` of an error answer, built from the error order-service raised (pure, no servers).
import { describe, expect, it } from 'vitest';
import { errors, ServiceError, toErrorResponse } from '../src/errors.js';

const explanation = (err: unknown) => toErrorResponse(err).body.explanation;

describe('explanation on error answers', () => {
  it('names the step that raised an order error, in the explain engine words', () => {
    expect(explanation(errors.outOfStock('Book', 3, 1))).toBe('order-service check-stock failed with OUT_OF_STOCK: Not enough stock for "Book": wanted 3, 1 left.');
    expect(explanation(errors.unknownProduct('Kite'))).toBe('order-service check-stock failed with UNKNOWN_PRODUCT: No product named "Kite"; try "Book" or "OutOfStockItem".');
  });

  it('says who gave up on a timeout, and after how long', () => {
    expect(explanation(errors.paymentTimeout(750))).toBe('order-service call-payment-api gave up after 750 ms (its timeout); payment-service did not answer in time.');
  });

  it('tells an unreachable payment-service from one that answered with an error', () => {
    expect(explanation(errors.paymentUnreachable('http://127.0.0.1:9/', 'ECONNREFUSED'))).toBe('order-service could not reach 127.0.0.1:9 (ECONNREFUSED).');
    expect(explanation(errors.paymentAnswered(503, 'busy.'))).toBe('payment-service failed with HTTP 503: busy.');
  });

  it('covers unexpected errors without leaking them, and leaves errors of the request itself alone', () => {
    expect(explanation(new Error('secret'))).toBe('order-service failed with INTERNAL_ERROR: Unexpected error; open the trace to see which step failed.');
    expect(explanation(Object.assign(new Error('x'), { code: 'ECONNREFUSED' }))).toBe('order-service failed with DATABASE_UNAVAILABLE: PostgreSQL is not reachable; check DATABASE_URL.');
    expect(explanation(new ServiceError('INVALID_REQUEST', 'delay must be a number.', 'delay'))).toBeUndefined();
  });
});
