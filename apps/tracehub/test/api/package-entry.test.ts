// The package's entry points exist and export what they promise.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const pkgDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const pkg = JSON.parse(readFileSync(path.join(pkgDir, 'package.json'), 'utf8'));

describe('@tracelab/tracehub package entries', () => {
  it('point at sources that exist (dist/x.js is built from src/x.ts)', () => {
    const entries: string[] = [pkg.main, pkg.types, ...Object.values(pkg.exports as Record<string, string>), ...Object.values(pkg.bin as Record<string, string>)];
    for (const e of entries) {
      const src = e.replace(/^\.\//, '').replace(/^dist\//, 'src/').replace(/\.d\.ts$/, '.ts').replace(/\.js$/, '.ts');
      expect(existsSync(path.join(pkgDir, src)), `${e} ← ${src}`).toBe(true);
    }
  });

  it('the main entry exports startTracehub and buildTracehub', async () => {
    const lib = await import('../../src/index.js');
    expect(typeof lib.startTracehub).toBe('function');
    expect(typeof lib.buildTracehub).toBe('function');
    expect(typeof lib.parseConfig).toBe('function');
  });
});
