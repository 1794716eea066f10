import type { Folds } from './foldSiblings';
import type { SpanTree } from './spanTree';

const NONE: ReadonlySet<number> = new Set();

/**
 * The rows the waterfall shows: every span whose ancestors are all expanded.
 * Because subtrees are contiguous, a collapsed span skips its subtree in one step.
 * With `folds`, a folded run of repeated siblings is one row (its first span)
 * and the rows continue after the run, unless the run is in `unfolded`.
 */
export function visibleRows(tree: SpanTree, collapsed: ReadonlySet<number>, folds?: Folds, unfolded: ReadonlySet<number> = NONE): Int32Array {
  const n = tree.spans.length;
  const out = new Int32Array(n);
  let count = 0;
  let i = 0;
  while (i < n) {
    out[count++] = i;
    const fold = folds?.byFirst.get(i);
    if (fold && !unfolded.has(i)) i = fold.end;
    else i = collapsed.has(i) ? tree.subtreeEnd[i]! : i + 1;
  }
  return out.subarray(0, count);
}

/** Every span with children collapsed: only the roots remain visible. */
export function collapseAll(tree: SpanTree): Set<number> {
  const out = new Set<number>();
  for (let i = 0; i < tree.spans.length; i++) if (tree.childCount[i]! > 0) out.add(i);
  return out;
}

/**
 * Expand the shallowest level of collapsed spans that are currently visible,
 * so each press reveals one more level of the tree.
 */
export function expandOneLevel(tree: SpanTree, collapsed: ReadonlySet<number>): Set<number> {
  const rows = visibleRows(tree, collapsed);
  let minDepth = Infinity;
  for (const i of rows) if (collapsed.has(i) && tree.depth[i]! < minDepth) minDepth = tree.depth[i]!;
  const next = new Set(collapsed);
  if (minDepth === Infinity) return next;
  for (const i of rows) if (collapsed.has(i) && tree.depth[i] === minDepth) next.delete(i);
  return next;
}

/** Collapse the deepest visible level of expanded parents. */
export function collapseOneLevel(tree: SpanTree, collapsed: ReadonlySet<number>): Set<number> {
  const rows = visibleRows(tree, collapsed);
  let maxDepth = -1;
  for (const i of rows) {
    if (tree.childCount[i]! > 0 && !collapsed.has(i) && tree.depth[i]! > maxDepth) maxDepth = tree.depth[i]!;
  }
  const next = new Set(collapsed);
  for (const i of rows) {
    if (tree.childCount[i]! > 0 && tree.depth[i] === maxDepth) next.add(i);
  }
  return next;
}

/** Remove the ancestors of `index` from the collapsed set so the span becomes visible. */
export function revealSpan(tree: SpanTree, collapsed: ReadonlySet<number>, index: number): Set<number> {
  const next = new Set(collapsed);
  let p = tree.parent[index]!;
  while (p >= 0) {
    next.delete(p);
    p = tree.parent[p]!;
  }
  return next;
}
