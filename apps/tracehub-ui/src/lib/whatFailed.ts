import { explainTree, type Explanation } from '@tracelab/trace-explain';
import type { SpanTree } from './spanTree';

/** The trace's explanation (the same as tracehub's GET /api/v1/traces/{id}/explain), placed in the tree. */
export interface Failure extends Explanation {
  /** The cause span's index in the tree, -1 when there is none. */
  index: number;
  errorCount: number;
}

/**
 * Why the trace failed (where the error started, not merely the deepest
 * ERROR span: a callee that failed because its caller gave up is a
 * consequence), or, for a clean trace, where its time went. Null only for an
 * empty tree.
 */
export function whatFailed(tree: SpanTree): Failure | null {
  if (tree.spans.length === 0) return null;
  const e = explainTree(tree);
  let errorCount = 0;
  for (const s of tree.spans) if (s.status.code === 'error') errorCount++;
  return { ...e, index: e.cause ? indexOfId(tree, e.cause.spanId) : -1, errorCount };
}

/** The span's index (the first of a duplicated id, as indexById has it) without building the id map for one look-up. */
function indexOfId(tree: SpanTree, spanId: string): number {
  let found = -1;
  for (let i = 0; i < tree.spans.length; i++) {
    if (tree.spans[i]!.spanId !== spanId) continue;
    // A duplicated id: the map knows which of them came first.
    if (found >= 0) return tree.indexById.get(spanId) ?? -1;
    found = i;
  }
  return found;
}
