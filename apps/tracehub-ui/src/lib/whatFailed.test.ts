import { describe, expect, it } from 'vitest';
import { buildSpanTree } from './spanTree';
import { span } from './testSpans';
import { whatFailed } from './whatFailed';
import { findSpans } from './findSpans';

const err = (message = '') => ({ status: { code: 'error' as const, message } });

const exception = (type: string, message: string) => ({
  events: [
    {
      name: 'exception',
      timeUs: 0,
      timeUnixNano: '1',
      attributes: [
        { key: 'exception.type', value: { type: 'string' as const, value: type } },
        { key: 'exception.message', value: { type: 'string' as const, value: message } },
      ],
    },
  ],
});

describe('whatFailed (the explain answer placed in the tree)', () => {
  it('says where the time went in a trace without ERROR spans, and points at that span', () => {
    const tree = buildSpanTree([span('a', null, 0, 10_000, { name: 'GET /', service: 'web' }), span('b', 'a', 1000, 8000, { name: 'work', service: 'web' })]);
    const f = whatFailed(tree)!;
    expect(f.status).toBe('ok');
    expect(f.summary).toBe('No errors; most time in web work (8 ms of 10 ms).');
    expect(tree.spans[f.index]!.name).toBe('work');
    expect(f.errorCount).toBe(0);
  });

  // GET /order (ERROR) → check-stock (ERROR, exception) ; save-order ok
  it('names the span where the error started, with its exception', () => {
    const tree = buildSpanTree([
      span('root', null, 0, 100, { name: 'GET /order', ...err('HTTP 500') }),
      span('stock', 'root', 10, 20, { name: 'check-stock', ...err('stock check failed'), ...exception('OutOfStockError', 'Out of stock: OutOfStockItem') }),
      span('save', 'root', 40, 20, { name: 'save-order' }),
    ]);
    const f = whatFailed(tree)!;
    expect(tree.spans[f.index]!.name).toBe('check-stock');
    expect(f.summary).toBe('svc check-stock failed with OutOfStockError: Out of stock: OutOfStockItem.');
    expect(f.cause?.kind).toBe('error');
    expect(f.errorCount).toBe(2);
  });

  // The deepest ERROR span is the callee's "caller aborted": a consequence, not the cause.
  it('does not blame the callee error that only says the caller gave up', () => {
    const tree = buildSpanTree([
      span('root', null, 0, 510_000, { name: 'GET /order', service: 'order-service', ...err('') }),
      span('call', 'root', 1000, 500_000, { name: 'call-payment-api', service: 'order-service', kind: 'client', ...err('Payment did not answer within 500 ms'), ...exception('PAYMENT_TIMEOUT', 'Payment did not answer within 500 ms') }),
      span('pay', 'call', 2000, 502_000, { name: 'process-payment', service: 'payment-service', kind: 'server', ...err('The caller aborted after 500 ms'), ...exception('CLIENT_ABORTED', 'The caller aborted after 500 ms') }),
    ]);
    const f = whatFailed(tree)!;
    expect(f.cause).toMatchObject({ name: 'process-payment', kind: 'timeout' });
    expect(f.summary).toBe('order-service call-payment-api gave up after 500 ms (its timeout); payment-service process-payment took 502 ms and was cut off.');
    expect(f.chain.map((c) => c.role)).toEqual(['cause', 'gave-up', 'root']);
  });
});

describe('findSpans', () => {
  const tree = buildSpanTree([
    span('a', null, 0, 10, { name: 'GET /order' }),
    span('b', 'a', 1, 5, {
      name: 'check-stock',
      attributes: [{ key: 'product.id', value: { type: 'string', value: 'OutOfStockItem' } }],
    }),
    span('c', 'a', 6, 1, { name: 'save-order', service: 'payments' }),
  ]);
  it('matches names, services and attribute keys and values, case-insensitively', () => {
    expect(findSpans(tree, 'order')).toEqual([0, 2]);
    expect(findSpans(tree, 'outofstock')).toEqual([1]);
    expect(findSpans(tree, 'PRODUCT.ID')).toEqual([1]);
    expect(findSpans(tree, 'payments')).toEqual([2]);
    expect(findSpans(tree, '  ')).toEqual([]);
  });
});
