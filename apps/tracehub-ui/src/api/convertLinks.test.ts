import { describe, expect, it } from 'vitest';
import { WireFormatError } from './convert';
import { toIncomingLinks } from './convertLinks';

describe('toIncomingLinks', () => {
  it('passes the incoming links through, attributes checked', () => {
    const link = { traceId: 'a'.repeat(32), spanId: 'b'.repeat(16), service: 'worker', name: 'process', linkedSpanId: 'c'.repeat(16), attributes: [{ key: 'k', value: { type: 'int', value: '3' } }] };
    expect(toIncomingLinks({ incoming: [link] })).toEqual([link]);
    expect(toIncomingLinks({ incoming: [] })).toEqual([]);
  });

  it('names the field that is wrong', () => {
    expect(() => toIncomingLinks({})).toThrow(WireFormatError);
    expect(() => toIncomingLinks({ incoming: [{ traceId: 'a', spanId: 'b', service: 's', name: 'n', attributes: [] }] })).toThrow(/incoming\[0\]\.linkedSpanId/);
    expect(() => toIncomingLinks({ incoming: [{ traceId: 'a', spanId: 'b', service: 's', name: 'n', linkedSpanId: 'c', attributes: [{ key: 1 }] }] })).toThrow(/incoming\[0\]\.attributes\[0\]/);
  });
});
