import { describe, expect, it } from 'vitest';
import {
  DEFAULT_SEARCH,
  liveMatch,
  parseDurationMs,
  parseSearch,
  searchToApiParams,
  searchToParams,
  upsertSummary,
} from './searchState';
import type { TraceSummary } from './types';

const summary = (traceId: string, startMs: number, extra: Partial<TraceSummary> = {}): TraceSummary => ({
  traceId,
  rootService: 'order-service',
  rootName: 'GET /order',
  startTimeUnixNano: `${startMs}000000`,
  startMs,
  durationMs: 120,
  spanCount: 5,
  errorCount: 0,
  services: [{ name: 'order-service', spanCount: 5, errorCount: 0 }],
  ...extra,
});

describe('search state in the URL', () => {
  it('round-trips every field', () => {
    const s = {
      ...DEFAULT_SEARCH,
      service: 'order-service',
      operation: 'GET /order',
      status: 'error' as const,
      minDuration: '100ms',
      maxDuration: '2s',
      range: 'custom' as const,
      start: '2024-11-25T10:00',
      end: '2024-11-25T11:00',
      attrs: [{ key: 'http.route', value: '/order=x' }],
      q: '{ span.http.status_code = 500 }',
      limit: 100,
    };
    expect(parseSearch(searchToParams(s))).toEqual(s);
  });

  it('leaves defaults out and falls back on unknown values', () => {
    expect(searchToParams(DEFAULT_SEARCH).toString()).toBe('');
    const s = parseSearch(new URLSearchParams('status=broken&range=3y&limit=-4&attr=novalue'));
    expect(s).toEqual(DEFAULT_SEARCH);
  });

  it('builds API parameters with a relative range resolved against now', () => {
    const p = searchToApiParams(
      { ...DEFAULT_SEARCH, service: 'a', attrs: [{ key: 'http.route', value: '/x' }], range: '15m' },
      1_000_000_000,
    );
    expect(p.get('service')).toBe('a');
    expect(p.get('attr.http.route')).toBe('/x');
    expect(p.get('start')).toBe(String(1_000_000_000 - 15 * 60_000));
    expect(p.get('limit')).toBe('50');
    expect(searchToApiParams({ ...DEFAULT_SEARCH, range: 'all' }, 0).has('start')).toBe(false);
  });
});

describe('parseDurationMs', () => {
  it('reads Go-style durations and plain milliseconds', () => {
    expect(parseDurationMs('100ms')).toBe(100);
    expect(parseDurationMs('1.5s')).toBe(1500);
    expect(parseDurationMs('250us')).toBe(0.25);
    expect(parseDurationMs('42')).toBe(42);
    expect(parseDurationMs('fast')).toBeNaN();
  });
});

describe('live results', () => {
  const now = 10_000_000;
  it('filters by what a summary can tell and defers the rest to the server', () => {
    const t = summary('a', now - 1000, { errorCount: 1 });
    expect(liveMatch(DEFAULT_SEARCH, t, now)).toBe(true);
    expect(liveMatch({ ...DEFAULT_SEARCH, service: 'payment-service' }, t, now)).toBe(false);
    expect(liveMatch({ ...DEFAULT_SEARCH, status: 'error' }, summary('b', now), now)).toBe(false);
    expect(liveMatch({ ...DEFAULT_SEARCH, minDuration: '1s' }, t, now)).toBe(false);
    expect(liveMatch({ ...DEFAULT_SEARCH, q: '{ }' }, t, now)).toBeUndefined();
  });

  it('upserts newest first and respects the limit', () => {
    const list = [summary('c', 30), summary('b', 20), summary('a', 10)];
    expect(upsertSummary(list, summary('d', 25), 3).map((t) => t.traceId)).toEqual(['c', 'd', 'b']);
    expect(upsertSummary(list, summary('b', 20, { spanCount: 9 }), 3)[1]!.spanCount).toBe(9);
  });
});
