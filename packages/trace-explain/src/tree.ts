import type { TreeSpan } from './types.js';

/**
 * A trace normalised once into a flat list in tree order (depth-first,
 * children by start time). A span's subtree is the contiguous range
 * [index, subtreeEnd[index]), which makes collapsing and visible-row
 * computation linear scans instead of tree walks.
 */
export interface SpanTree<S extends TreeSpan = TreeSpan> {
  spans: S[];
  depth: Int32Array;
  /** Index of the parent in `spans`, -1 for roots (including orphans whose parent never arrived). */
  parent: Int32Array;
  subtreeEnd: Int32Array;
  childCount: Int32Array;
  /** Span id → index in `spans` (the first span of a duplicated id); built on first use when the parents came as indexes. */
  indexById: Map<string, number>;
  /** Microseconds from the trace start to the latest span end. */
  durationUs: number;
  maxDepth: number;
}

function byStart(spans: readonly TreeSpan[]) {
  // Ties keep input order, the same as when the input is already sorted.
  return (a: number, b: number) => spans[a]!.startUs - spans[b]!.startUs || a - b;
}

function sortedByStart(spans: readonly TreeSpan[]): boolean {
  for (let i = 1; i < spans.length; i++) if (spans[i]!.startUs < spans[i - 1]!.startUs) return false;
  return true;
}

export function buildSpanTree<S extends TreeSpan>(input: readonly S[], parentIndex?: ArrayLike<number>): SpanTree<S> {
  const n = input.length;
  // With `parentIndex` (each span's parent as an index into `input`, -1 for none, as the compact trace
  // format sends it: the first span of the parent's id) no id map is needed to link the tree.
  const hinted = parentIndex !== undefined && parentIndex.length === n;
  const firstById = new Map<string, number>();
  if (!hinted) {
    for (let i = 0; i < n; i++) {
      const id = input[i]!.spanId;
      if (!firstById.has(id)) firstById.set(id, i);
    }
  }

  // Children as one flat array (compressed sparse rows: the children of i are
  // kids[first[i] .. first[i + 1]) ), which avoids an array per parent.
  const parentIn = new Int32Array(n).fill(-1);
  const counts = new Int32Array(n + 1);
  const roots: number[] = [];
  for (let i = 0; i < n; i++) {
    let pi: number | undefined;
    if (hinted) {
      const h = parentIndex[i]!;
      pi = Number.isInteger(h) && h >= 0 && h < n ? h : undefined;
    } else {
      const p = input[i]!.parentSpanId;
      pi = p === null || p === '' ? undefined : firstById.get(p);
    }
    if (pi === undefined || pi === i) roots.push(i);
    else {
      parentIn[i] = pi;
      counts[pi]!++;
    }
  }
  const first = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) first[i + 1] = first[i]! + counts[i]!;
  const fill = first.slice(0, n);
  const kids = new Int32Array(first[n]!);
  for (let i = 0; i < n; i++) {
    const p = parentIn[i]!;
    if (p >= 0) kids[fill[p]!++] = i;
  }
  // The API sends spans ordered by start time; then every child list is
  // already in order and sorting can be skipped.
  if (!sortedByStart(input)) {
    const cmp = byStart(input);
    roots.sort(cmp);
    for (let i = 0; i < n; i++) {
      if (first[i + 1]! - first[i]! > 1) kids.subarray(first[i]!, first[i + 1]!).sort(cmp);
    }
  }

  const order: number[] = [];
  const depthIn = new Int32Array(n);
  const visited = new Uint8Array(n);
  // Iterative DFS: synthetic and real traces can nest deeper than the JS stack.
  const visit = (root: number) => {
    const stack = [root];
    depthIn[root] = 0;
    while (stack.length > 0) {
      const i = stack.pop()!;
      if (visited[i]) continue;
      visited[i] = 1;
      order.push(i);
      for (let k = first[i + 1]! - 1; k >= first[i]!; k--) {
        const c = kids[k]!;
        if (!visited[c]) {
          depthIn[c] = depthIn[i]! + 1;
          stack.push(c);
        }
      }
    }
  };
  for (const r of roots) visit(r);
  // Spans in a parent cycle are unreachable from any root; show them as roots rather than drop them.
  for (let i = 0; i < n; i++) if (!visited[i]) visit(i);

  const spans = new Array<S>(n);
  const depth = new Int32Array(n);
  const newIndex = new Int32Array(n);
  for (let k = 0; k < n; k++) {
    const i = order[k]!;
    spans[k] = input[i]!;
    depth[k] = depthIn[i]!;
    newIndex[i] = k;
  }

  const parent = new Int32Array(n).fill(-1);
  const childCount = new Int32Array(n);
  const subtreeEnd = new Int32Array(n);
  // A stack of open ancestors, by depth, assigns parents and subtree ends in one pass.
  const open: number[] = [];
  let durationUs = 0;
  let maxDepth = 0;
  for (let k = 0; k < n; k++) {
    const d = depth[k]!;
    while (open.length > d) subtreeEnd[open.pop()!] = k;
    if (d > 0) {
      const p = open[d - 1]!;
      parent[k] = p;
      childCount[p]!++;
    }
    open.push(k);
    const s = spans[k]!;
    const end = s.startUs + s.durationUs;
    if (end > durationUs) durationUs = end;
    if (d > maxDepth) maxDepth = d;
  }
  while (open.length > 0) subtreeEnd[open.pop()!] = n;

  let indexById: Map<string, number> | undefined;
  if (!hinted) {
    // Reuse the id map: updating existing keys is cheaper than a second map of n entries.
    indexById = firstById;
    for (const [id, i] of firstById) indexById.set(id, newIndex[i]!);
  }
  return {
    spans,
    depth,
    parent,
    subtreeEnd,
    childCount,
    get indexById() {
      if (indexById === undefined) {
        indexById = new Map<string, number>();
        for (let i = 0; i < n; i++) {
          const id = input[i]!.spanId;
          if (!indexById.has(id)) indexById.set(id, newIndex[i]!);
        }
      }
      return indexById;
    },
    durationUs,
    maxDepth,
  };
}

/** Indices of the ancestors of `index`, nearest first. */
export function ancestorsOf(tree: SpanTree<TreeSpan>, index: number): number[] {
  const out: number[] = [];
  let p = tree.parent[index]!;
  while (p >= 0) {
    out.push(p);
    p = tree.parent[p]!;
  }
  return out;
}
