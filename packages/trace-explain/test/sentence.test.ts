import { describe, expect, it } from 'vitest';
import { formatMs, renderSummary } from '../src/index.js';

describe('renderSummary', () => {
  it('renders each kind as one sentence', () => {
    expect(renderSummary({ kind: 'error', at: { service: 's', name: 'op' }, errorType: 'E', message: 'went wrong.' })).toBe('s op failed with E: went wrong.');
    expect(renderSummary({ kind: 'error', at: { service: 's' } })).toBe('s failed.');
    expect(renderSummary({ kind: 'timeout', gaveUp: { service: 'a', name: 'call' }, waitedMs: 499.6, timeoutMs: 500, callee: { service: 'b', name: 'work', durationMs: 612 } })).toBe(
      'a call gave up after 500 ms (its timeout); b work took 612 ms.',
    );
    expect(renderSummary({ kind: 'timeout', gaveUp: { service: 'a', name: 'call' }, waitedMs: 500, timeoutMs: 500, callee: { service: 'b' } })).toBe(
      'a call gave up after 500 ms (its timeout); b did not answer in time.',
    );
    expect(renderSummary({ kind: 'unreachable', at: { service: 'a' }, peer: 'h:1', code: 'ECONNREFUSED' })).toBe('a could not reach h:1 (ECONNREFUSED).');
    expect(renderSummary({ kind: 'retries-exhausted', at: { service: 'a', name: 'POST' }, peer: 'h:1', attempts: 3 })).toBe('a POST could not reach h:1 in 3 attempts.');
    expect(renderSummary({ kind: 'slow', at: { service: 'a', name: 'x' }, selfMs: 0.42, traceMs: 1500 })).toBe('No errors; most time in a x (0.4 ms of 1.5 s).');
  });

  it('keeps long or multi-line messages to one short clause', () => {
    const s = renderSummary({ kind: 'error', at: { service: 's' }, message: `line one\n${'x'.repeat(300)}` });
    expect(s).not.toContain('\n');
    expect(s.length).toBeLessThan(200);
    expect(s.endsWith('….')).toBe(true);
  });

  it('formats durations', () => {
    expect([formatMs(0.04), formatMs(12.4), formatMs(999.4), formatMs(1049), formatMs(61_000)]).toEqual(['0 ms', '12 ms', '999 ms', '1 s', '61 s']);
  });
});
