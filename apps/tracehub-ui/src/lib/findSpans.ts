import { findQuery, spanMatches } from '@tracelab/trace-explain';
import type { SpanTree } from './spanTree';

/**
 * Indices (tree order) of spans whose name, service, ids, attribute keys or
 * values, or event names contain `query` (case-insensitive). The rule is
 * shared with tracehub's /api/v1/traces/{id}/search (@tracelab/trace-explain).
 */
export function findSpans(tree: SpanTree, query: string): number[] {
  const q = findQuery(query);
  if (!q) return [];
  const out: number[] = [];
  for (let i = 0; i < tree.spans.length; i++) {
    if (spanMatches(tree.spans[i]!, q)) out.push(i);
  }
  return out;
}

/** Tree indexes (ascending, i.e. tree order) of the given span ids; ids not in the tree are left out. */
export function indexesOf(tree: SpanTree, spanIds: readonly string[]): number[] {
  const out: number[] = [];
  for (const id of spanIds) {
    const i = tree.indexById.get(id);
    if (i !== undefined) out.push(i);
  }
  return out.sort((a, b) => a - b);
}
