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
  return { ...e, index: e.cause ? (tree.indexById.get(e.cause.spanId) ?? -1) : -1, errorCount };
}
