import { describe, expect, it } from 'vitest';
import { analysisWindow, boxSelection, filterForValue, filterLabel } from './attributeFilter';
import { DEFAULT_SEARCH, searchToApiParams } from './searchState';

describe('filterForValue', () => {
  it('adds span and resource values as attr.<key>=<value>, replacing a filter on the same key', () => {
    const s = filterForValue({ ...DEFAULT_SEARCH, attrs: [{ key: 'lab.faults', value: 'x' }, { key: 'a', value: 'b' }] }, 'span', 'lab.faults', 'payment.latency=500ms')!;
    expect(s.attrs).toEqual([{ key: 'a', value: 'b' }, { key: 'lab.faults', value: 'payment.latency=500ms' }]);
    expect(searchToApiParams(s, 0).get('attr.lab.faults')).toBe('payment.latency=500ms');
    expect(filterForValue(DEFAULT_SEARCH, 'resource', 'service.name', 'payment')!.attrs).toEqual([{ key: 'service.name', value: 'payment' }]);
  });

  it('maps intrinsics to their search field where there is one', () => {
    expect(filterForValue(DEFAULT_SEARCH, 'intrinsic', 'span.name', 'GET /order')!.operation).toBe('GET /order');
    expect(filterForValue(DEFAULT_SEARCH, 'intrinsic', 'span.status', 'error')!.status).toBe('error');
    expect(filterForValue(DEFAULT_SEARCH, 'intrinsic', 'span.kind', 'client')!.q).toBe('{ kind = client }');
    expect(filterForValue({ ...DEFAULT_SEARCH, q: '{ duration > 1s }' }, 'intrinsic', 'span.kind', 'client')).toBeNull();
    expect(filterForValue(DEFAULT_SEARCH, 'intrinsic', 'span.kind', 'weird')).toBeNull();
    expect(filterForValue(DEFAULT_SEARCH, 'intrinsic', 'span.other', 'x')).toBeNull();
    expect(filterLabel('intrinsic', 'span.name', 'GET /order')).toBe('operation GET /order');
    expect(filterLabel('span', 'k', 'v')).toBe('attribute k = v');
  });
});

describe('analysisWindow and boxSelection', () => {
  it('uses the search range, closing open ends with the earliest trace shown and now', () => {
    expect(analysisWindow({ ...DEFAULT_SEARCH, range: '15m' }, 1_000_000, 5)).toEqual({ start: String((1_000_000 - 900_000) * 1e6), end: String(1_000_000 * 1e6) });
    expect(analysisWindow({ ...DEFAULT_SEARCH, range: 'all' }, 1_000_000, 400_000)).toEqual({ start: '400000000000', end: '1000000000000' });
  });

  it('turns a box in ms into ns strings covering the whole last millisecond', () => {
    expect(boxSelection({ startMs: 1000.7, endMs: 2000.2, minDurationMs: -1, maxDurationMs: 50 })).toEqual({
      box: { startTimeUnixNano: '1000000000', endTimeUnixNano: '2001999999', minDurationMs: 0, maxDurationMs: 50 },
    });
  });
});
