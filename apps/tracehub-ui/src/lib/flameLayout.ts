import { selfStretches } from './criticalPath';
import type { SpanTree } from './spanTree';

/**
 * A span as a flame graph box. Times are microseconds since the trace start
 * (the UI's span time unit). `row` is the box's lane: its depth in the tree
 * unless an overlapping sibling (parallel work) or a child that outlived its
 * parent already holds that lane, then the next free lane below.
 */
export interface FlameBox {
  index: number;
  row: number;
  depth: number;
  startUs: number;
  endUs: number;
  /** The span's own time: its stretches not covered by any child (children clipped to the span). */
  selfUs: number;
  self: [startUs: number, endUs: number][];
}

export interface FlameLayout {
  /** One box per span, in tree order (boxes[i].index === i). */
  boxes: FlameBox[];
  rows: number;
}

/** Lay out every span of the tree; children always sit in a lane below their parent's. */
export function flameLayout(tree: SpanTree): FlameLayout {
  const { spans, parent, depth } = tree;
  const n = spans.length;
  // The latest end of any box in each lane: a box fits a lane that is free from its start on.
  const laneEnd: number[] = [];
  const row = new Int32Array(n);
  const boxes: FlameBox[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const s = spans[i]!;
    const start = s.startUs;
    const end = s.startUs + s.durationUs;
    let r = parent[i]! >= 0 ? row[parent[i]!]! + 1 : 0;
    while (r < laneEnd.length && laneEnd[r]! > start) r++;
    row[i] = r;
    laneEnd[r] = Math.max(laneEnd[r] ?? -Infinity, end);
    const self = selfStretches(tree, i);
    let selfUs = 0;
    for (const [a, b] of self) selfUs += b - a;
    boxes[i] = { index: i, row: r, depth: depth[i]!, startUs: start, endUs: end, selfUs, self };
  }
  return { boxes, rows: laneEnd.length };
}

/** What the flame graph shows when zoomed into a span's subtree (or the whole trace for -1). */
export interface FlameView {
  /** Box index range [first, end) in tree order: a subtree is contiguous. */
  first: number;
  end: number;
  startUs: number;
  endUs: number;
  /** The lane drawn at the top, and how many lanes are shown. */
  topRow: number;
  rows: number;
}

export function flameView(tree: SpanTree, layout: FlameLayout, zoom: number): FlameView {
  const first = zoom >= 0 ? zoom : 0;
  const end = zoom >= 0 ? tree.subtreeEnd[zoom]! : tree.spans.length;
  let startUs = Infinity;
  let endUs = -Infinity;
  let topRow = Infinity;
  let bottom = -1;
  for (let i = first; i < end; i++) {
    const b = layout.boxes[i]!;
    if (b.startUs < startUs) startUs = b.startUs;
    if (b.endUs > endUs) endUs = b.endUs;
    if (b.row < topRow) topRow = b.row;
    if (b.row > bottom) bottom = b.row;
  }
  if (end <= first) return { first, end, startUs: 0, endUs: 0, topRow: 0, rows: 0 };
  return { first, end, startUs, endUs, topRow, rows: bottom - topRow + 1 };
}

/**
 * Keyboard moves in the flame graph: up to the parent, down to the first
 * child, left/right to the previous/next sibling (roots are siblings of each
 * other). -1 when there is nowhere to go.
 */
export function flameNeighbour(tree: SpanTree, index: number, move: 'parent' | 'child' | 'prev' | 'next'): number {
  const { parent, subtreeEnd, spans } = tree;
  const p = parent[index]!;
  switch (move) {
    case 'parent':
      return p;
    case 'child':
      return subtreeEnd[index]! > index + 1 ? index + 1 : -1;
    case 'next': {
      const n = subtreeEnd[index]!;
      return n < spans.length && parent[n] === p ? n : -1;
    }
    case 'prev': {
      // Siblings are the parent's children in order, each one subtree long.
      let c = p >= 0 ? p + 1 : 0;
      let prev = -1;
      while (c < index) {
        prev = c;
        c = subtreeEnd[c]!;
      }
      return c === index ? prev : -1;
    }
  }
}
