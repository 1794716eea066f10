import { describe, expect, it } from 'vitest';
import { parseLoadArgs } from '../src/args.js';
import { makeMixSequence, parseMix } from '../src/mix.js';
import { buildReport } from '../src/report.js';
import { finalTable, percentile, progressLine, summarize, type Outcome } from '../src/stats.js';

describe('parseLoadArgs', () => {
  it('defaults: 50 req/s for 60 s, the seed mix', () => {
    const o = parseLoadArgs([], {});
    expect(o).toMatchObject({ url: 'http://127.0.0.1:8080', rate: 50, durationMs: 60_000, maxRequests: 3000, timeoutMs: 10_000, maxInFlight: 1000, progress: true });
    expect(o.mix).toEqual([
      { name: 'normal', weight: 80 },
      { name: 'out-of-stock', weight: 10 },
      { name: 'payment-timeout', weight: 10 },
    ]);
  });
  it('reads flags; ORDER_URL from the environment', () => {
    const o = parseLoadArgs(['--rate', '12.5', '--duration', '1.5m', '--mix', 'fast', '--max-requests', '7', '--timeout', '500ms', '--no-progress'], { ORDER_URL: 'http://h:1/' });
    expect(o).toMatchObject({ url: 'http://h:1', rate: 12.5, durationMs: 90_000, maxRequests: 7, timeoutMs: 500, progress: false, mix: [{ name: 'fast', weight: 1 }] });
    expect(parseLoadArgs(['--duration', '10'], {}).durationMs).toBe(10_000);
  });
  it.each([
    [['--rate', '0'], '--rate: "0" must be a number above 0'],
    [['--rate', 'fast'], '--rate: "fast" must be a number above 0'],
    [['--rate', '20000'], '--rate: at most 10000'],
    [['--duration', 'soon'], '--duration: "soon" is not a duration'],
    [['--duration', '0s'], '--duration: must be above 0'],
    [['--max-requests=-3'], '--max-requests: "-3" must be a whole number'],
    [['--mix', 'normal:80,checkout:20'], '--mix: unknown scenario "checkout"'],
    [['--mix', 'normal:0'], '--mix: the weight of normal must be above 0'],
    [['--mix', 'normal,normal'], '--mix: normal is listed twice'],
    [['--mix', 'normal=3'], '--mix: "normal=3" is not name:weight'],
    [['--url', 'ftp://x'], '--url: ftp://x must be http(s)'],
    [['extra'], 'unexpected argument "extra"'],
  ])('rejects %j', (argv, message) => {
    expect(() => parseLoadArgs(argv, {})).toThrow(message);
  });
});

describe('mix', () => {
  it('follows the weights exactly over a full cycle, interleaved', () => {
    const next = makeMixSequence(parseMix('normal:80,out-of-stock:10,payment-timeout:10'));
    const seq = Array.from({ length: 100 }, next);
    const count = (n: string) => seq.filter((s) => s === n).length;
    expect([count('normal'), count('out-of-stock'), count('payment-timeout')]).toEqual([80, 10, 10]);
    // Interleaved, not 80 normals then the rest: the first 20 already hold each failure scenario.
    expect(seq.slice(0, 20)).toContain('out-of-stock');
    expect(seq.slice(0, 20)).toContain('payment-timeout');
  });
  it('fractional and uneven weights stay within one of their share', () => {
    const next = makeMixSequence(parseMix('normal:2.5,fast:1'));
    const seq = Array.from({ length: 70 }, next);
    expect(seq.filter((s) => s === 'normal').length).toBe(50);
  });
});

describe('stats', () => {
  it('nearest-rank percentiles', () => {
    const v = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(v, 50)).toBe(50);
    expect(percentile(v, 99)).toBe(99);
    expect(percentile(v, 100)).toBe(100);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([], 50)).toBeNaN();
  });
  const outcomes: Outcome[] = [
    { scenario: 'normal', status: 200, latencyMs: 100 },
    { scenario: 'normal', status: 200, latencyMs: 300 },
    { scenario: 'out-of-stock', status: 409, latencyMs: 10 },
    { scenario: 'normal', error: 'ECONNREFUSED', latencyMs: 1 },
  ];
  it('summarizes answers by code and failures by reason; latency of answers only', () => {
    expect(summarize(outcomes)).toEqual({ count: 4, byStatus: { 200: 2, 409: 1 }, failures: { ECONNREFUSED: 1 }, p50: 100, p90: 300, p99: 300, max: 300 });
  });
  it('progress line and final table', () => {
    const line = progressLine({ elapsedMs: 5000, durationMs: 10_000, sent: 250, planned: 500, inFlight: 3, summary: summarize(outcomes), width: 10 });
    expect(line).toBe('[#####-----]  50% 5s/10s  sent 250  50.0 req/s  in flight 3  p50 100ms p99 300ms  200:2 409:1 ECONNREFUSED:1');
    const table = finalTable(outcomes, ['normal', 'out-of-stock']).split('\n');
    expect(table[0]).toMatch(/^scenario +requests +answers by code +p50 +p90 +p99 +max$/);
    expect(table[2]).toMatch(/^normal +3 +200:2 ECONNREFUSED:1 +100ms +300ms +300ms +300ms$/);
    expect(table[5]).toMatch(/^total +4 +200:2 409:1 ECONNREFUSED:1 /);
  });
  it('report: achieved rate from send times, sends per second', () => {
    const opts = parseLoadArgs(['--rate', '4', '--duration', '2s'], {});
    const r = buildReport(opts, { outcomes, sendTimes: [0, 250, 500, 750, 1000, 1250, 1500, 1750], skipped: 0, elapsedMs: 2100 });
    expect(r.achievedRate).toBe(4);
    expect(r.sentPerSecond).toEqual([4, 4]);
    expect(r.connectionFailures).toBe(1);
    expect(r.scenarios['normal']!.count).toBe(3);
  });
});
