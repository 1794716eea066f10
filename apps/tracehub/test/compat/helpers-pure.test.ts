import { describe, expect, it } from 'vitest';
import { parseGoDuration } from '../../src/compat/go-duration.js';
import { hexToBase64, normalizeTraceId, secondsToNs } from '../../src/compat/ids.js';
import { parseLogfmt } from '../../src/compat/logfmt.js';

describe('normalizeTraceId', () => {
  it('left-pads short ids and lower-cases', () => {
    expect(normalizeTraceId('ABC')).toBe('0'.repeat(29) + 'abc');
    expect(normalizeTraceId('d6e9329d67b6146a')).toBe('0000000000000000d6e9329d67b6146a');
    expect(normalizeTraceId('0af7651916cd43dd8448eb211c80319c')).toBe('0af7651916cd43dd8448eb211c80319c');
  });
  it('rejects non-hex, empty and over-long ids', () => {
    expect(normalizeTraceId('xyz')).toBeNull();
    expect(normalizeTraceId('')).toBeNull();
    expect(normalizeTraceId('0'.repeat(33))).toBeNull();
  });
});

describe('hexToBase64 / secondsToNs', () => {
  it('encodes ids as proto3 JSON bytes', () => {
    expect(hexToBase64('0af7651916cd43dd8448eb211c80319c')).toBe('CvdlGRbNQ92ESOshHIAxnA==');
    expect(hexToBase64('')).toBe('');
  });
  it('converts unix seconds exactly', () => {
    expect(secondsToNs('1732560000')).toBe(1_732_560_000_000_000_000n);
    expect(secondsToNs('-1')).toBeNull();
    expect(secondsToNs('1.5')).toBeNull();
  });
});

describe('parseGoDuration', () => {
  it.each([
    ['100ms', 100_000_000n],
    ['1.5s', 1_500_000_000n],
    ['1m30s', 90_000_000_000n],
    ['250us', 250_000n],
    ['250µs', 250_000n],
    ['2h', 7_200_000_000_000n],
    ['0', 0n],
    ['10ns', 10n],
  ])('%s', (text, ns) => expect(parseGoDuration(text)).toBe(ns));
  it.each(['', '100', 'ms', '1x', '1s garbage', '-1s'])('rejects %j', (text) => expect(parseGoDuration(text)).toBeNull());
});

describe('parseLogfmt', () => {
  it('reads bare and quoted values', () => {
    expect(parseLogfmt('service.name=cart http.url="/api/a b" x=')).toEqual([
      { key: 'service.name', value: 'cart' },
      { key: 'http.url', value: '/api/a b' },
      { key: 'x', value: '' },
    ]);
    expect(parseLogfmt('a="q\\"uote"')).toEqual([{ key: 'a', value: 'q"uote' }]);
  });
  it('rejects malformed input', () => {
    expect(parseLogfmt('novalue')).toBeNull();
    expect(parseLogfmt('a="open')).toBeNull();
  });
});
