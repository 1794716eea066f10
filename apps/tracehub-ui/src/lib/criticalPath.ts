import type { SpanTree } from './spanTree';

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
 * The critical path: the chain of spans that sets when the trace ends.
 * From each root, walk back from the span's end: the child that finished last
 * (before the cursor) is on the path, the gap after it is the parent's own
 * time, then continue from that child's start. Children that overflow their
 * parent are clipped to it, since the parent cannot have waited on time
 * outside itself (the same rules as Jaeger UI's critical path).
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
      while (f.next < f.kids.length && f.kids[f.next]![2] > f.cursor) f.next++;
      if (f.next < f.kids.length) {
        const [c, cs, ce] = f.kids[f.next++]!;
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
