// --mix normal:80,out-of-stock:10,payment-timeout:10 → weighted choice. Pure.
import { LOAD_SCENARIOS } from './scenarios.js';

export interface MixEntry {
  name: string;
  weight: number;
}

export function parseMix(text: string): MixEntry[] {
  const entries: MixEntry[] = [];
  for (const part of text.split(',').map((p) => p.trim()).filter(Boolean)) {
    const m = /^([a-z-]+)(?::(\d+(?:\.\d+)?))?$/.exec(part);
    if (!m) throw new Error(`--mix: ${JSON.stringify(part)} is not name:weight (e.g. normal:80)`);
    const name = m[1]!;
    if (!(name in LOAD_SCENARIOS)) throw new Error(`--mix: unknown scenario ${JSON.stringify(name)}; choose from ${Object.keys(LOAD_SCENARIOS).join(', ')}`);
    if (entries.some((e) => e.name === name)) throw new Error(`--mix: ${name} is listed twice`);
    const weight = m[2] === undefined ? 1 : Number(m[2]);
    if (weight <= 0) throw new Error(`--mix: the weight of ${name} must be above 0`);
    entries.push({ name, weight });
  }
  if (entries.length === 0) throw new Error('--mix: name at least one scenario, e.g. normal:80,out-of-stock:20');
  return entries;
}

/**
 * Deterministic interleaving: the i-th request's scenario, so that over any
 * run the counts follow the weights exactly (±1) instead of by chance.
 * Smooth weighted round robin, as nginx balances upstreams.
 */
export function makeMixSequence(mix: MixEntry[]): () => string {
  const total = mix.reduce((t, e) => t + e.weight, 0);
  const current = mix.map(() => 0);
  return () => {
    let best = 0;
    for (let i = 0; i < mix.length; i++) {
      current[i]! += mix[i]!.weight;
      if (current[i]! > current[best]!) best = i;
    }
    current[best]! -= total;
    return mix[best]!.name;
  };
}
