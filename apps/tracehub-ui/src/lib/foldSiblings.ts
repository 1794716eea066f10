import type { SpanTree } from './spanTree';

/**
 * Runs of repeated siblings (a loop of identical queries): consecutive children
 * of one parent (or consecutive roots) with the same service and name. The
 * waterfall shows a run as ONE row "× N" until it is unfolded.
 */
export interface Fold {
  /** Tree index of the run's first span: the row that stands for the run. */
  first: number;
  /** Tree index of the run's last span. */
  last: number;
  count: number;
  /** Tree index just past the last span's subtree: where the rows continue. */
  end: number;
  totalUs: number;
  minUs: number;
  maxUs: number;
  /** The run's time range, microseconds since the trace start. */
  startUs: number;
  endUs: number;
  errorCount: number;
}

export interface Folds {
  /** By the first span's index. */
  byFirst: Map<number, Fold>;
  /** For each span, the first index of the run it belongs to, or -1. */
  runOf: Int32Array;
}

/** Runs shorter than this stay as they are. */
export const FOLD_MIN_RUN = 10;

export function findFolds(tree: SpanTree, minRun = FOLD_MIN_RUN): Folds {
  const n = tree.spans.length;
  const byFirst = new Map<number, Fold>();
  const runOf = new Int32Array(n).fill(-1);
  const same = (a: number, b: number) => {
    const x = tree.spans[a]!;
    const y = tree.spans[b]!;
    return x.name === y.name && x.service === y.service;
  };
  // Siblings from `from` to `to` (exclusive), next sibling = subtreeEnd.
  const scan = (from: number, to: number) => {
    let c = from;
    while (c < to) {
      let last = c;
      let count = 1;
      let next = tree.subtreeEnd[c]!;
      while (next < to && same(next, c)) {
        last = next;
        count++;
        next = tree.subtreeEnd[next]!;
      }
      if (count >= minRun) {
        let totalUs = 0;
        let minUs = Infinity;
        let maxUs = -Infinity;
        let startUs = Infinity;
        let endUs = -Infinity;
        let errorCount = 0;
        for (let m = c; m < next; m = tree.subtreeEnd[m]!) {
          const s = tree.spans[m]!;
          totalUs += s.durationUs;
          minUs = Math.min(minUs, s.durationUs);
          maxUs = Math.max(maxUs, s.durationUs);
          startUs = Math.min(startUs, s.startUs);
          endUs = Math.max(endUs, s.startUs + s.durationUs);
          if (s.status.code === 'error') errorCount++;
          runOf[m] = c;
        }
        byFirst.set(c, { first: c, last, count, end: next, totalUs, minUs, maxUs, startUs, endUs, errorCount });
      }
      c = next;
    }
  };
  scan(0, n);
  for (let i = 0; i < n; i++) if (tree.childCount[i]! >= minRun) scan(i + 1, tree.subtreeEnd[i]!);
  return { byFirst, runOf };
}

/** The folds (by first index) that hide `index`: the runs of the span and of its ancestors, still folded. */
export function foldsHiding(tree: SpanTree, folds: Folds, unfolded: ReadonlySet<number>, index: number): number[] {
  const out: number[] = [];
  for (let a = index; a >= 0; a = tree.parent[a]!) {
    const run = folds.runOf[a]!;
    // The run's first span is its row, so a run hides its first span's subtree too, but not the row itself.
    if (run >= 0 && !unfolded.has(run) && (run !== a || a !== index)) out.push(run);
  }
  return out;
}

/** `unfolded` plus every fold that hides `index`, so the span gets a row of its own. */
export function unfoldFor(tree: SpanTree, folds: Folds, unfolded: ReadonlySet<number>, index: number): ReadonlySet<number> {
  const hiding = foldsHiding(tree, folds, unfolded, index);
  if (hiding.length === 0) return unfolded;
  const next = new Set(unfolded);
  for (const f of hiding) next.add(f);
  return next;
}

/** The run's members (tree indexes of the sibling spans themselves, not their descendants). */
export function foldMembers(tree: SpanTree, fold: Fold): number[] {
  const out: number[] = [];
  for (let m = fold.first; m < fold.end; m = tree.subtreeEnd[m]!) out.push(m);
  return out;
}

/** Whether any member of the run is on the critical path (sections by span, from criticalPath.ts). */
export function foldOnCriticalPath(tree: SpanTree, fold: Fold, critical: { has(index: number): boolean } | null): boolean {
  if (!critical) return false;
  for (let m = fold.first; m < fold.end; m = tree.subtreeEnd[m]!) if (critical.has(m)) return true;
  return false;
}
