import { describe, expect, it } from 'vitest';
import { band, localInput, searchHref, sparkPath, yOf } from './sparkline';
import { parseSearch, timeWindow } from './searchState';

const f = { width: 100, height: 20, startMs: 0, endMs: 10_000, max: 4 };

describe('sparkline geometry', () => {
  it('draws each value at its bucket middle, breaking at gaps', () => {
    expect(sparkPath(f, [0, 4, null, 2], 2500)).toBe('M12.5,18.0L37.5,2.0M87.5,10.0');
    expect(yOf({ ...f, max: 0 }, 0)).toBe(18);
  });
  it('clips fault bands to the chart and keeps them visible', () => {
    expect(band(f, -5000, 2500)).toEqual({ x: 0, width: 25 });
    expect(band(f, 5000, 5000)).toEqual({ x: 50, width: 1 });
  });
  it('links a bucket to a custom-range search the search page reads back', () => {
    const start = new Date(2024, 0, 2, 3, 4, 5, 600).getTime();
    const href = searchHref('order-service', 'GET /order', start, start + 10_000);
    const s = parseSearch(new URL(href, 'http://x').searchParams);
    expect(s).toMatchObject({ service: 'order-service', operation: 'GET /order', range: 'custom', start: localInput(start - 600), end: localInput(start + 10_400) });
    expect(timeWindow(s, 0)).toEqual({ startMs: start - 600, endMs: start + 10_400 });
  });
});
