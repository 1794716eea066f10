import { describe, expect, it } from 'vitest';
import { parseSize, tryParseSize, UnitsError } from '../src/index.js';

describe('parseSize', () => {
  it.each<[string, number]>([
    ['16MiB', 16 * 2 ** 20],
    ['10GiB', 10 * 2 ** 30],
    ['384MiB', 384 * 2 ** 20],
    ['512KB', 512_000],
    ['512kB', 512_000],
    ['512kib', 512 * 1024],
    ['1.5GB', 1.5e9],
    ['2TB', 2e12],
    ['1TiB', 2 ** 40],
    ['4096', 4096],
    ['4096B', 4096],
    ['2 MiB', 2 * 2 ** 20],
    ['0 bytes', 0],
    ['16.0 KiB', 16_384],
    ['1.5B', 2],
    ['  7  ', 7],
  ])('%j = %d bytes', (text, bytes) => expect(parseSize(text)).toBe(bytes));

  it.each<[string, string, string | RegExp]>([
    ['', 'empty', 'empty size'],
    ['lots', 'syntax', '"lots" is not a size (e.g. 16MiB, 1.5GB, or bytes)'],
    ['-1MB', 'syntax', 'is not a size'],
    ['1.2.3MB', 'syntax', 'is not a size'],
    ['10PB', 'unknown-unit', 'unknown unit "PB" in size "10PB" (units: B, KB, MB, GB, TB, KiB, MiB, GiB, TiB)'],
    ['10 MiBs', 'unknown-unit', 'unknown unit "MiBs"'],
    ['9000TiB', 'range', 'size "9000TiB" is out of range (at most 8 PiB)'],
    ['9'.repeat(400), 'range', 'out of range'],
  ])('rejects %j (%s)', (text, why, message) => {
    expect(() => parseSize(text)).toThrow(UnitsError);
    expect(() => parseSize(text)).toThrow(message);
    try {
      parseSize(text);
    } catch (err) {
      expect((err as UnitsError).reason).toBe(why);
    }
    expect(tryParseSize(text)).toBeNull();
  });
});
