import { describe, expect, it } from 'vitest';
import { labFaultsOf } from './labFaults';
import { span } from './testSpans';

const faults = (value: string) => ({ attributes: [{ key: 'lab.faults', value: { type: 'string' as const, value } }] });

describe('labFaultsOf', () => {
  it('is empty for a trace made with every switch off', () => {
    expect(labFaultsOf([span('a', null, 0, 10), span('b', 'a', 1, 2)])).toEqual([]);
  });
  it('lists the distinct settings in span order', () => {
    const spans = [
      span('a', null, 0, 10, faults('payment.errorRate=50%')),
      span('b', 'a', 1, 2, faults('payment.errorRate=50%')),
      span('c', 'a', 3, 2),
      span('d', 'a', 5, 2, faults('payment.errorRate=50%,order.nPlusOne=3')),
    ];
    expect(labFaultsOf(spans)).toEqual(['payment.errorRate=50%', 'payment.errorRate=50%,order.nPlusOne=3']);
  });
  it('ignores non-string and empty values', () => {
    expect(labFaultsOf([span('a', null, 0, 1, { attributes: [{ key: 'lab.faults', value: { type: 'int', value: '3' } }] }), span('b', 'a', 0, 1, faults(''))])).toEqual([]);
  });
});
