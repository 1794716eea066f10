import { describe, expect, it } from 'vitest';
import { BadParameterError } from '../src/api/params.js';
import { parseBytes, parseConfig } from '../src/config.js';

describe('config sizes and ages (through @tracelab/units)', () => {
  it('reads the sizes it did before', () => {
    expect(parseBytes('16MiB', 'max-body')).toBe(16 * 2 ** 20);
    expect(parseBytes('10GiB', 'retention-size')).toBe(10 * 2 ** 30);
    expect(parseBytes('2GB', 'retention-size')).toBe(2e9);
    expect(parseBytes('512kB', 'max-body')).toBe(512_000);
    expect(parseBytes('1.5 MB', 'max-body')).toBe(1_500_000);
    expect(parseBytes('4096', 'max-body')).toBe(4096);
  });

  it('refuses a bad size naming the flag', () => {
    expect(() => parseBytes('big', 'max-body')).toThrow(BadParameterError);
    expect(() => parseBytes('big', 'max-body')).toThrow('--max-body: "big" is not a size (e.g. 16MiB, 2GB, or bytes)');
    expect(() => parseBytes('10PB', 'max-body')).toThrow('--max-body: "10PB" is not a size');
    expect(() => parseBytes('9'.repeat(400), 'max-body')).toThrow(/^--max-body: "9+" is too large/);
  });

  it('reads retention ages in days, Go units or ms, and off', () => {
    const age = (v: string) => parseConfig(['--retention-age', v], {}).retentionAgeNs;
    expect(age('7d')).toBe(7n * 86_400_000_000_000n);
    expect(age('36h')).toBe(36n * 3_600_000_000_000n);
    expect(age('1d12h')).toBe(36n * 3_600_000_000_000n);
    expect(age('60000')).toBe(60_000_000_000n);
    expect(age('off')).toBeNull();
    expect(() => age('a week')).toThrow('--retention-age: "a week" is not a duration');
    expect(() => age('999999d')).toThrow('--retention-age: "999999d" is out of range (at most 292 years)');
    expect(parseConfig(['--max-body', '1MiB', '--retention-size', 'off'], {})).toMatchObject({ maxBodyBytes: 2 ** 20, retentionMaxBytes: null });
  });
});
