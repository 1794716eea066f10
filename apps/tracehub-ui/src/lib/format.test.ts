import { describe, expect, it } from 'vitest';
import { byText, formatDuration, formatValue } from './format';
import { niceStep, timeTicks } from './timeScale';

describe('formatDuration', () => {
  it.each([
    [0.5, '500ns'],
    [850, '850µs'],
    [2.5, '2.5µs'],
    [1500, '1.5ms'],
    [12_340, '12.3ms'],
    [999_000, '999ms'],
    [4_560_000, '4.56s'],
    [123_000_000, '2m 3s'],
    [7_200_000_000, '2h 0m'],
  ])('%d µs → %s', (us, text) => {
    expect(formatDuration(us)).toBe(text);
  });
});

describe('formatValue', () => {
  it('renders every OTLP value type as text', () => {
    expect(formatValue({ type: 'string', value: '<b>x</b>' })).toBe('<b>x</b>');
    expect(formatValue({ type: 'int', value: '9007199254740993' })).toBe('9007199254740993');
    expect(formatValue({ type: 'bool', value: false })).toBe('false');
    expect(formatValue({ type: 'double', value: 'NaN' })).toBe('NaN');
    expect(
      formatValue({
        type: 'array',
        value: [
          { type: 'string', value: 'a' },
          { type: 'int', value: '1' },
        ],
      }),
    ).toBe('["a", 1]');
    expect(formatValue({ type: 'kvlist', value: [{ key: 'k', value: { type: 'bool', value: true } }] })).toBe('{k: true}');
    expect(formatValue({ type: 'empty' })).toBe('');
  });
});

describe('timeTicks', () => {
  it('chooses 1/2/5 steps', () => {
    expect(niceStep(0.7)).toBe(1);
    expect(niceStep(13)).toBe(20);
    expect(niceStep(300)).toBe(500);
    expect(niceStep(6000)).toBe(10000);
  });

  it('spans the window with nice ticks', () => {
    const ticks = timeTicks(0, 1000, 5);
    expect(ticks.map((t) => t.us)).toEqual([0, 200, 400, 600, 800, 1000]);
    expect(ticks[5]!.fraction).toBe(1);
  });

  it('starts with the window start when it is not on a tick', () => {
    const ticks = timeTicks(130, 1130, 4);
    expect(ticks[0]).toEqual({ us: 130, fraction: 0 });
    expect(ticks.slice(1).map((t) => t.us)).toEqual([500, 1000]);
  });

  it('copes with an empty window', () => {
    expect(timeTicks(5, 5, 4)).toEqual([{ us: 5, fraction: 0 }]);
  });
});

describe('byText', () => {
  it('orders text case-insensitively, numbers inside by value', () => {
    expect(['op-10', 'Op-2', 'alpha', 'op-1'].sort(byText)).toEqual(['alpha', 'op-1', 'Op-2', 'op-10']);
  });
});
