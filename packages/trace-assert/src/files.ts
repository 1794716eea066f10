// Spec paths (files or directories) → specs, in a stable order.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseSpecs, SpecError } from './spec.js';
import type { Spec } from './types.js';

export function loadSpecFiles(paths: string[]): Spec[] {
  const files: string[] = [];
  for (const p of paths) {
    let st;
    try {
      st = statSync(p);
    } catch {
      throw new SpecError(`${p}: no such file or directory`);
    }
    if (st.isDirectory()) {
      const found = readdirSync(p)
        .filter((f) => /\.ya?ml$/.test(f))
        .sort()
        .map((f) => join(p, f));
      if (found.length === 0) throw new SpecError(`${p}: no .yaml or .yml files in this directory`);
      files.push(...found);
    } else {
      files.push(p);
    }
  }
  return files.flatMap((f) => parseSpecs(readFileSync(f, 'utf8'), f));
}
