import { formatValue } from './format';
import type { SpanTree } from './spanTree';
import type { SpanData } from './types';

/**
 * Indices (tree order) of spans whose name, service, ids, attribute keys or
 * values, or event names contain `query` (case-insensitive).
 */
export function findSpans(tree: SpanTree, query: string): number[] {
  const q = query.trim().toLowerCase();
  if (!q) return [];
  const out: number[] = [];
  for (let i = 0; i < tree.spans.length; i++) {
    if (spanMatches(tree.spans[i]!, q)) out.push(i);
  }
  return out;
}

function spanMatches(s: SpanData, q: string): boolean {
  if (s.name.toLowerCase().includes(q)) return true;
  if (s.service.toLowerCase().includes(q)) return true;
  if (s.spanId === q) return true;
  if (s.status.message.toLowerCase().includes(q)) return true;
  for (const a of s.attributes) {
    if (a.key.toLowerCase().includes(q)) return true;
    if (formatValue(a.value).toLowerCase().includes(q)) return true;
  }
  for (const e of s.events) {
    if (e.name.toLowerCase().includes(q)) return true;
  }
  return false;
}
