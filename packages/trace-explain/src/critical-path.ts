import type { SpanTree } from './tree.js';

/** A stretch of time during which `index` itself (not a child) holds up the trace. */
export interface CriticalSection {
  index: number;
  startUs: number;
  endUs: number;
}

interface Frame {
  index: number;
  start: number;
  cursor: number;
  /** Children as [index, clippedStart, clippedEnd], latest end first. */
  kids: [number, number, number][];
  next: number;
}

/**
 * How far a child may run past the point the walk has reached and still be
 * taken as the step before it: SDKs that stamp starts to the millisecond make
 * sequential steps overlap by a fraction of one. At most 1 ms, and at most 5 %
 * of the child, so real parallel work is never mistaken for a sequence.
 */
const overlapSlack = ([, cs, ce]: [number, number, number]) => Math.min(1000, 0.05 * (ce - cs));

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
  const { spans, parent, subtreeEnd } = tree;
  const n = spans.length;
  const out: CriticalSection[] = [];

  // Children are enumerated from the tree order (each child's subtree is
  // skipped in one step), so only spans on the path cost any allocation.
  const frameFor = (index: number, start: number, end: number): Frame => {
    const kids: [number, number, number][] = [];
    for (let c = index + 1; c < subtreeEnd[index]!; c = subtreeEnd[c]!) {
      const s = spans[c]!;
      const cs = Math.max(s.startUs, start);
      const ce = Math.min(s.startUs + s.durationUs, end);
      if (ce > start && cs < end && ce >= cs) kids.push([c, cs, ce]);
    }
    kids.sort((a, b) => b[2] - a[2] || a[1] - b[1]);
    return { index, start, cursor: end, kids, next: 0 };
  };

  for (let r = 0; r < n; r++) {
    if (parent[r] !== -1) continue;
    const root = spans[r]!;
    const stack: Frame[] = [frameFor(r, root.startUs, root.startUs + root.durationUs)];
    while (stack.length > 0) {
      const f = stack[stack.length - 1]!;
      while (f.next < f.kids.length && f.kids[f.next]![2] > f.cursor + overlapSlack(f.kids[f.next]!)) f.next++;
      if (f.next < f.kids.length) {
        const [c, cs, rawEnd] = f.kids[f.next++]!;
        const ce = Math.min(rawEnd, f.cursor);
        if (f.cursor > ce) out.push({ index: f.index, startUs: ce, endUs: f.cursor });
        f.cursor = cs;
        stack.push(frameFor(c, cs, ce));
      } else {
        if (f.cursor > f.start) out.push({ index: f.index, startUs: f.start, endUs: f.cursor });
        stack.pop();
      }
    }
  }
  return out;
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
