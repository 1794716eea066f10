import { describe, expect, it } from 'vitest';
import { WireFormatError } from './convert';
import { toComparison } from './convertCompare';

const trace = (traceId: string) => ({ traceId, rootService: 'order-service', rootName: 'GET /order', durationMs: 12.5, spanCount: 4, error: false });
const row = {
  path: 'order-service: GET /order > payment-service: POST',
  depth: 1,
  service: 'payment-service',
  name: 'POST',
  in: 'both',
  a: { count: 2, durationMs: 30, selfMs: 20, errorCount: 1, spanIds: ['00000000000000aa'] },
  b: { count: 1, durationMs: 10, selfMs: 10, errorCount: 0, presence: 0.5 },
  diffDurationMs: 20,
  diffSelfMs: 10,
  impact: 10,
};

describe('toComparison', () => {
  it('reads a baseline answer: window as ms, path segments, presence', () => {
    const c = toComparison({
      a: trace('a'.repeat(32)),
      baseline: { traceCount: 3, window: { startTimeUnixNano: '1700000000000000000', endTimeUnixNano: '1700003600000000000' }, traceIds: ['b'.repeat(32)] },
      rows: [row, { ...row, path: 'x: y', in: 'only-b', a: null }],
      summary: 'payment-service: POST took 20 ms longer in this trace.',
    });
    expect(c.b).toBeNull();
    expect(c.baseline).toEqual({ traceCount: 3, startMs: 1_700_000_000_000, endMs: 1_700_003_600_000, traceIds: ['b'.repeat(32)] });
    expect(c.rows[0]!.segments).toEqual(['order-service: GET /order', 'payment-service: POST']);
    expect(c.rows[0]!.a!.spanIds).toEqual(['00000000000000aa']);
    expect(c.rows[0]!.a!.presence).toBeNull();
    expect(c.rows[0]!.b).toMatchObject({ presence: 0.5, spanIds: [] });
    expect(c.rows[1]!.a).toBeNull();
  });

  it('reads a two-trace answer', () => {
    const c = toComparison({ a: trace('a'.repeat(32)), b: trace('c'.repeat(32)), rows: [], summary: 's' });
    expect(c.b!.traceId).toBe('c'.repeat(32));
    expect(c.baseline).toBeNull();
  });

  it('rejects answers of another shape', () => {
    expect(() => toComparison({ a: trace('a'), rows: [{ ...row, in: 'sometimes' }], summary: 's' })).toThrow(WireFormatError);
    expect(() => toComparison({ a: trace('a'), rows: [{ ...row, diffSelfMs: '10' }], summary: 's' })).toThrow(/rows\[0\]\.diffSelfMs/);
    expect(() => toComparison({ a: trace('a'), rows: {}, summary: 's' })).toThrow(/rows should be an array/);
  });
});
