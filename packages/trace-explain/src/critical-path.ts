import type { SpanTree } from './tree.js';

/** A stretch of time during which `index` itself (not a child) holds up the trace. */
export interface CriticalSection {
  index: number;
  startUs: number;
  endUs: number;
}

/**
 * How far a child may run past the point the walk has reached and still be
 * taken as the step before it: SDKs that stamp starts to the millisecond make
 * sequential steps overlap by a fraction of one. At most 1 ms, and at most 5 %
 * of the child, so real parallel work is never mistaken for a sequence.
 */
const overlapSlack = (cs: number, ce: number) => Math.min(1000, 0.05 * (ce - cs));

/**
 * The critical path: the chain of spans that sets when the trace ends.
 * From each root, walk back from the span's end: the child that finished last
 * (before the cursor) is on the path, the gap after it is the parent's own
 * time, then continue from that child's start. Children that overflow their
 * parent are clipped to it, since the parent cannot have waited on time
 * outside itself (the same rules as Jaeger UI's critical path), and a child
 * that overlaps the next step by a rounding error is clipped, not skipped.
 */
export function criticalPath(tree: SpanTree): CriticalSection[] {
  const c = criticalPathColumns(tree);
  const out = new Array<CriticalSection>(c.length);
  for (let k = 0; k < c.length; k++) out[k] = { index: c.index[k]!, startUs: c.startUs[k]!, endUs: c.endUs[k]! };
  return out;
}

/** The critical path's sections as columns (section k is index[k], startUs[k], endUs[k]; `length` of them). */
export interface CriticalColumns {
  length: number;
  index: Int32Array;
  startUs: Float64Array;
  endUs: Float64Array;
}

/** The same sections as criticalPath, in the same order, without an object per section (for large traces). */
export function criticalPathColumns(tree: SpanTree): CriticalColumns {
  const { spans, parent, subtreeEnd } = tree;
  const n = spans.length;
  // Most spans of a trace are on its path, with one or two sections each.
  let cap = 2 * n + 16;
  let oIndex = new Int32Array(cap);
  let oStart = new Float64Array(cap);
  let oEnd = new Float64Array(cap);
  let length = 0;
  const emit = (index: number, startUs: number, endUs: number) => {
    if (length === cap) {
      cap *= 2;
      const i2 = new Int32Array(cap);
      i2.set(oIndex);
      oIndex = i2;
      const s2 = new Float64Array(cap);
      s2.set(oStart);
      oStart = s2;
      const e2 = new Float64Array(cap);
      e2.set(oEnd);
      oEnd = e2;
    }
    oIndex[length] = index;
    oStart[length] = startUs;
    oEnd[length] = endUs;
    length++;
  };

  // Children are enumerated from the tree order (each child's subtree is
  // skipped in one step). The walk keeps no object per span: the open frames
  // are columns indexed by stack depth, and each frame's children
  // ([index, clippedStart, clippedEnd], latest end first) sit in one shared
  // pool of columns, as a stack of ranges (a frame's range is dropped with it).
  const fIndex: number[] = [];
  const fStart: number[] = [];
  const fCursor: number[] = [];
  const fNext: number[] = [];
  const fEnd: number[] = [];
  const kc: number[] = [];
  const ks: number[] = [];
  const ke: number[] = [];
  let top = -1;
  const push = (index: number, start: number, end: number) => {
    const base = top >= 0 ? fEnd[top]! : 0;
    let m = base;
    let ascending = true;
    for (let c = index + 1; c < subtreeEnd[index]!; c = subtreeEnd[c]!) {
      const s = spans[c]!;
      const cs = Math.max(s.startUs, start);
      const ce = Math.min(s.startUs + s.durationUs, end);
      if (ce > start && cs < end && ce >= cs) {
        if (m > base && ce <= ke[m - 1]!) ascending = false;
        kc[m] = c;
        ks[m] = cs;
        ke[m] = ce;
        m++;
      }
    }
    if (ascending) {
      // Ends strictly increasing (sequential children, the usual case): latest end first is the reverse.
      for (let a = base, b = m - 1; a < b; a++, b--) {
        const c = kc[a]!, cs = ks[a]!, ce = ke[a]!;
        kc[a] = kc[b]!; ks[a] = ks[b]!; ke[a] = ke[b]!;
        kc[b] = c; ks[b] = cs; ke[b] = ce;
      }
    } else {
      const list: [number, number, number][] = [];
      for (let k = base; k < m; k++) list.push([kc[k]!, ks[k]!, ke[k]!]);
      list.sort((a, b) => b[2] - a[2] || a[1] - b[1]);
      for (let k = 0; k < list.length; k++) [kc[base + k], ks[base + k], ke[base + k]] = list[k]!;
    }
    top++;
    fIndex[top] = index;
    fStart[top] = start;
    fCursor[top] = end;
    fNext[top] = base;
    fEnd[top] = m;
  };

  for (let r = 0; r < n; r++) {
    if (parent[r] !== -1) continue;
    const root = spans[r]!;
    push(r, root.startUs, root.startUs + root.durationUs);
    while (top >= 0) {
      const f = top;
      let next = fNext[f]!;
      const kidsEnd = fEnd[f]!;
      const cursor = fCursor[f]!;
      while (next < kidsEnd && ke[next]! > cursor + overlapSlack(ks[next]!, ke[next]!)) next++;
      if (next < kidsEnd) {
        const c = kc[next]!;
        const cs = ks[next]!;
        const ce = Math.min(ke[next]!, cursor);
        fNext[f] = next + 1;
        if (cursor > ce) emit(fIndex[f]!, ce, cursor);
        fCursor[f] = cs;
        push(c, cs, ce);
      } else {
        fNext[f] = next;
        if (cursor > fStart[f]!) emit(fIndex[f]!, fStart[f]!, cursor);
        top--;
      }
    }
  }
  return { length, index: oIndex, startUs: oStart, endUs: oEnd };
}

/** Sections grouped by span index, for drawing on the bars. */
export function sectionsBySpan(sections: readonly CriticalSection[]): Map<number, CriticalSection[]> {
  const m = new Map<number, CriticalSection[]>();
  for (const s of sections) {
    const list = m.get(s.index);
    if (list) list.push(s);
    else m.set(s.index, [s]);
  }
  return m;
}

/** Microseconds each span spends itself on the critical path (spans off the path are absent). */
export function selfTimeOnPath(sections: readonly CriticalSection[]): Map<number, number> {
  const m = new Map<number, number>();
  for (const s of sections) m.set(s.index, (m.get(s.index) ?? 0) + s.endUs - s.startUs);
  return m;
}

/** The stretches of a span's time covered by none of its children (clipped to it), in order: its own work. */
export function selfStretches(tree: SpanTree, index: number): [number, number][] {
  const { spans, subtreeEnd } = tree;
  const s = spans[index]!;
  const start = s.startUs;
  const end = s.startUs + s.durationUs;
  const kids: [number, number][] = [];
  for (let c = index + 1; c < subtreeEnd[index]!; c = subtreeEnd[c]!) {
    const k = spans[c]!;
    const ks = Math.max(k.startUs, start);
    const ke = Math.min(k.startUs + k.durationUs, end);
    if (ke > ks) kids.push([ks, ke]);
  }
  kids.sort((a, b) => a[0] - b[0]);
  const out: [number, number][] = [];
  let cursor = start;
  for (const [ks, ke] of kids) {
    if (ks > cursor) out.push([cursor, ks]);
    if (ke > cursor) cursor = ke;
  }
  if (end > cursor) out.push([cursor, end]);
  return out;
}

/** A span's own time: its duration less the time covered by its children (clipped to it). */
export function selfTime(tree: SpanTree, index: number): number {
  let self = 0;
  for (const [a, b] of selfStretches(tree, index)) self += b - a;
  return self;
}
