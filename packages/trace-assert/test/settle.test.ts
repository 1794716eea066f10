import { describe, expect, it } from 'vitest';
import { parseCliArgs } from '../src/cli-args.js';
import { isWhole, observe } from '../src/settle.js';
import { traceIdFrom } from '../src/trace-id.js';
import { normalTrace } from './fixtures.js';

describe('settle', () => {
  it('a trace is whole with one root and every parent present', () => {
    const t = normalTrace();
    expect(isWhole(t)).toBe(true);
    expect(isWhole(t.slice(5))).toBe(false); // payment-service's spans first: their parent is not there yet
    expect(isWhole([])).toBe(false);
  });
  it('settles once whole and unchanged for the settle time', () => {
    const t = normalTrace();
    let s = observe(undefined, t.slice(5), 0, 500);
    expect(s.settled).toBe(false);
    s = observe(s.state, t, 100, 500);
    expect(s.settled).toBe(false);
    s = observe(s.state, t, 550, 500);
    expect(s.settled).toBe(false);
    s = observe(s.state, t, 600, 500);
    expect(s.settled).toBe(true);
  });
});

describe('traceIdFrom', () => {
  const id = '0af7651916cd43dd8448eb211c80319c';
  it('prefers the traceresponse header, then the body', () => {
    expect(traceIdFrom(`00-${id}-b7ad6b7169203331-01`, { traceId: 'f'.repeat(32) })).toBe(id);
    expect(traceIdFrom(null, { traceId: id.toUpperCase() })).toBe(id);
    expect(traceIdFrom('garbage', { traceId: id })).toBe(id);
    expect(traceIdFrom(`00-${'0'.repeat(32)}-b7ad6b7169203331-01`, {})).toBeUndefined();
    expect(traceIdFrom(null, { traceId: 'xyz' })).toBeUndefined();
    expect(traceIdFrom(null, undefined)).toBeUndefined();
  });
});

describe('parseCliArgs', () => {
  it('defaults', () => {
    expect(parseCliArgs([], {})).toEqual({
      paths: ['specs'],
      orderUrl: 'http://127.0.0.1:8080',
      tracehubUrl: 'http://127.0.0.1:3000',
      junit: 'test-output/assert/junit.xml',
      timeoutMs: 5000,
      settleMs: 500,
      help: false,
    });
  });
  it('flags override the environment', () => {
    const o = parseCliArgs(['--url', 'http://a:1/', '--timeout', '2s', 'x.yaml'], { ORDER_URL: 'http://b:2', TRACEHUB_URL: 'http://h:3' });
    expect(o).toMatchObject({ paths: ['x.yaml'], orderUrl: 'http://a:1', tracehubUrl: 'http://h:3', timeoutMs: 2000 });
  });
  it('names the bad flag', () => {
    expect(() => parseCliArgs(['--url', 'nope'], {})).toThrow('--url: "nope" is not a URL');
    expect(() => parseCliArgs(['--settle', 'soon'], {})).toThrow('--settle: "soon" is not a duration');
    expect(() => parseCliArgs(['--bogus'], {})).toThrow(/bogus/);
  });
});
