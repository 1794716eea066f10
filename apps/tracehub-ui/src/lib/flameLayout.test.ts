import { describe, expect, it } from 'vitest';
import { selfTime } from './criticalPath';
import { flameLayout, flameNeighbour, flameView } from './flameLayout';
import { buildSpanTree } from './spanTree';
import { span } from './testSpans';
import type { SpanData } from './types';

const layoutOf = (spans: SpanData[]) => {
  const tree = buildSpanTree(spans);
  const layout = flameLayout(tree);
  const by = Object.fromEntries(layout.boxes.map((b) => [tree.spans[b.index]!.spanId, b]));
  return { tree, layout, by };
};

describe('flameLayout', () => {
  //  a [0 .................... 100]
  //     b [10 .. 40]  c [50 .. 90]
  it('puts sequential children in the lane under their parent, with x and width from the span times', () => {
    const { layout, by } = layoutOf([span('a', null, 0, 100), span('b', 'a', 10, 30), span('c', 'a', 50, 40)]);
    expect(layout.rows).toBe(2);
    expect(by.a).toMatchObject({ row: 0, depth: 0, startUs: 0, endUs: 100, selfUs: 30, self: [[0, 10], [40, 50], [90, 100]] });
    expect(by.b).toMatchObject({ row: 1, depth: 1, startUs: 10, endUs: 40, selfUs: 30, self: [[10, 40]] });
    expect(by.c).toMatchObject({ row: 1, depth: 1, startUs: 50, endUs: 90 });
  });

  //  a [0 ...................... 100]
  //     b [10 ....... 60]
  //        b1 [20 . 30]
  //        c [20 .............. 80]     (parallel with b)
  it('moves an overlapping sibling to the next free lane, below the other sibling’s children', () => {
    const { layout, by } = layoutOf([span('a', null, 0, 100), span('b', 'a', 10, 50), span('b1', 'b', 20, 10), span('c', 'a', 20, 60)]);
    expect([by.a!.row, by.b!.row, by.b1!.row, by.c!.row]).toEqual([0, 1, 2, 3]);
    expect(by.c!.depth).toBe(1);
    expect(layout.rows).toBe(4);
    // Parallel children cover [10, 80] together.
    expect(by.a).toMatchObject({ selfUs: 30, self: [[0, 10], [80, 100]] });
  });

  //  a [0 ...... 50]          r [60 ........ 100]
  //       b [40 .......... 90]     r1 [70 .. 80]
  it('draws a child that outlives its parent at its real times; the next root’s child avoids it', () => {
    const { by } = layoutOf([span('a', null, 0, 50), span('b', 'a', 40, 50), span('r', null, 60, 40), span('r1', 'r', 70, 10)]);
    expect(by.b).toMatchObject({ row: 1, startUs: 40, endUs: 90 });
    // Only the part of b inside a covers a.
    expect(by.a).toMatchObject({ row: 0, selfUs: 40, self: [[0, 40]] });
    expect(by.r!.row).toBe(0);
    expect(by.r1!.row).toBe(2);
  });

  it('has the same self time as the explain engine for every span', () => {
    const spans = [span('a', null, 0, 1000)];
    for (let k = 0; k < 40; k++) spans.push(span(`k${k}`, k % 3 === 0 ? 'a' : `k${k - 1}`, (k * 37) % 900, 30 + ((k * 53) % 200)));
    const { tree, layout } = layoutOf(spans);
    for (const b of layout.boxes) expect(b.selfUs).toBeCloseTo(selfTime(tree, b.index));
    // No two boxes overlap in one lane.
    const byRow = new Map<number, [number, number][]>();
    for (const b of layout.boxes) byRow.set(b.row, [...(byRow.get(b.row) ?? []), [b.startUs, b.endUs]]);
    for (const list of byRow.values()) {
      list.sort((x, y) => x[0] - y[0]);
      for (let k = 1; k < list.length; k++) expect(list[k]![0]).toBeGreaterThanOrEqual(list[k - 1]![1]);
    }
    // Children are always below their parent.
    for (const b of layout.boxes) {
      const p = tree.parent[b.index]!;
      if (p >= 0) expect(b.row).toBeGreaterThan(layout.boxes[p]!.row);
    }
  });

  it('lays out several roots (orphans whose parent never arrived) and zero-length spans', () => {
    //  a [0 .. 10]        z [12] (a zero-length root)
    //     o [5 ........ 20]  (an orphan: its parent x never arrived)
    //       o1 [6 . 8]
    const { layout, by } = layoutOf([span('a', null, 0, 10), span('o', 'x', 5, 15), span('o1', 'o', 6, 2), span('z', null, 12, 0)]);
    expect(by.a!.row).toBe(0);
    // The orphan overlaps a: next lane; its child below it.
    expect(by.o!.row).toBe(1);
    expect(by.o1!.row).toBe(2);
    // A zero-length span after a fits the top lane, with no self time.
    expect(by.z).toMatchObject({ row: 0, startUs: 12, endUs: 12, selfUs: 0, self: [] });
    expect(layout.rows).toBe(3);
  });
});

describe('flameView', () => {
  it('is the whole trace without zoom, and a subtree’s boxes, time range and lanes when zoomed', () => {
    const { tree, layout, by } = layoutOf([span('a', null, 0, 100), span('b', 'a', 10, 50), span('b1', 'b', 20, 50), span('c', 'a', 65, 30)]);
    expect(flameView(tree, layout, -1)).toEqual({ first: 0, end: 4, startUs: 0, endUs: 100, topRow: 0, rows: 3 });
    const b = by.b!.index;
    // b1 outlives b (ends at 70): the zoomed range reaches to it.
    expect(flameView(tree, layout, b)).toEqual({ first: b, end: b + 2, startUs: 10, endUs: 70, topRow: 1, rows: 2 });
  });
});

describe('flameNeighbour', () => {
  //  a ── b ── b1
  //   └── c
  //  r (a second root)
  const { tree, by } = layoutOf([span('a', null, 0, 100), span('b', 'a', 10, 50), span('b1', 'b', 20, 10), span('c', 'a', 65, 30), span('r', null, 120, 5)]);
  const at = (id: string, move: Parameters<typeof flameNeighbour>[2]) => {
    const i = flameNeighbour(tree, by[id]!.index, move);
    return i < 0 ? null : tree.spans[i]!.spanId;
  };
  it('goes to the parent, the first child and the siblings', () => {
    expect([at('b1', 'parent'), at('b', 'parent'), at('a', 'parent')]).toEqual(['b', 'a', null]);
    expect([at('a', 'child'), at('b', 'child'), at('b1', 'child'), at('c', 'child')]).toEqual(['b', 'b1', null, null]);
    expect([at('b', 'next'), at('c', 'next'), at('b1', 'next')]).toEqual(['c', null, null]);
    expect([at('c', 'prev'), at('b', 'prev'), at('b1', 'prev')]).toEqual(['b', null, null]);
    // Roots are siblings.
    expect([at('a', 'next'), at('r', 'prev'), at('a', 'prev'), at('r', 'next')]).toEqual(['r', 'a', null, null]);
  });
});
