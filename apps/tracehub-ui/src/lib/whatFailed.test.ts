import { describe, expect, it } from 'vitest';
import { buildSpanTree } from './spanTree';
import { span } from './testSpans';
import { whatFailed } from './whatFailed';
import { findSpans } from './findSpans';

const err = (message = '') => ({ status: { code: 'error' as const, message } });

describe('whatFailed', () => {
  it('is null for a trace without ERROR spans', () => {
    expect(whatFailed(buildSpanTree([span('a', null, 0, 10)]))).toBeNull();
  });

  // GET /order (ERROR) → check-stock (ERROR, exception event) ; save-order ok
  it('names the deepest, earliest ERROR span and its exception message', () => {
    const tree = buildSpanTree([
      span('root', null, 0, 100, { name: 'GET /order', ...err('HTTP 500') }),
      span('stock', 'root', 10, 20, {
        name: 'check-stock',
        ...err('stock check failed'),
        events: [
          {
            name: 'exception',
            timeUs: 15,
            timeUnixNano: '1',
            attributes: [
              { key: 'exception.type', value: { type: 'string', value: 'OutOfStockError' } },
              { key: 'exception.message', value: { type: 'string', value: 'Out of stock: OutOfStockItem' } },
            ],
          },
        ],
      }),
      span('save', 'root', 40, 20, { name: 'save-order' }),
    ]);
    const f = whatFailed(tree)!;
    expect(tree.spans[f.index]!.name).toBe('check-stock');
    expect(f.message).toBe('Out of stock: OutOfStockItem');
    expect(f.exceptionType).toBe('OutOfStockError');
    expect(f.errorCount).toBe(2);
  });

  it('falls back to the status message', () => {
    const tree = buildSpanTree([span('a', null, 0, 10, { name: 'call-payment-api', ...err('payment timeout') })]);
    expect(whatFailed(tree)!.message).toBe('payment timeout');
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
