import { describe, expect, it } from 'vitest';
import { ancestorsOf, buildSpanTree } from './spanTree';
import { collapseAll, collapseOneLevel, expandOneLevel, revealSpan, visibleRows } from './visibleRows';
import { span } from './testSpans';

// The test tree (time runs left to right; input order is shuffled on purpose):
//
//   a  [0 ........................ 100]
//   ├─ b   [10 ...... 50]
//   │  ├─ d   [12 .. 20]
//   │  └─ e         [30 .. 45]
//   └─ c                 [60 ..... 95]
//      └─ f               [61 .. 70]
//   x (orphan: parent "zz" never arrived) [5 .. 7]
const input = [
  span('e', 'b', 30, 15),
  span('c', 'a', 60, 35),
  span('a', null, 0, 100),
  span('f', 'c', 61, 9),
  span('x', 'zz', 5, 2),
  span('d', 'b', 12, 8),
  span('b', 'a', 10, 40),
];
const names = (tree: ReturnType<typeof buildSpanTree>, rows: ArrayLike<number>) =>
  Array.from(rows, (i) => tree.spans[i]!.spanId).join(' ');

describe('buildSpanTree', () => {
  const tree = buildSpanTree(input);

  it('orders spans depth-first with children by start time, orphans as roots', () => {
    expect(tree.spans.map((s) => s.spanId).join(' ')).toBe('a b d e c f x');
    expect(Array.from(tree.depth)).toEqual([0, 1, 2, 2, 1, 2, 0]);
  });

  it('records parents, child counts and contiguous subtree ends', () => {
    expect(Array.from(tree.parent)).toEqual([-1, 0, 1, 1, 0, 4, -1]);
    expect(Array.from(tree.childCount)).toEqual([2, 2, 0, 0, 1, 0, 0]);
    expect(Array.from(tree.subtreeEnd)).toEqual([6, 4, 3, 4, 6, 6, 7]);
    expect(tree.durationUs).toBe(100);
    expect(tree.maxDepth).toBe(2);
    expect(tree.indexById.get('f')).toBe(5);
    expect(ancestorsOf(tree, 5)).toEqual([4, 0]);
  });

  it('keeps spans caught in a parent cycle instead of dropping them', () => {
    const t = buildSpanTree([span('p', 'q', 0, 10), span('q', 'p', 1, 5), span('r', null, 2, 1)]);
    expect(t.spans.map((s) => s.spanId).sort()).toEqual(['p', 'q', 'r']);
    expect(t.spans[0]!.spanId).toBe('r');
  });

  it('links the same tree from parent indexes (the compact format\'s) as from parent ids, and finds ids lazily', () => {
    // Orphan, cycle, self-parent and a duplicated id (its first span is the parent, as in the id map).
    const spans = [...input, span('p', 'q', 0, 10), span('q', 'p', 1, 5), span('s', 's', 3, 1), span('b', 'a', 80, 5), span('g', 'b', 81, 1)];
    const first = new Map<string, number>();
    spans.forEach((s, i) => first.has(s.spanId) || first.set(s.spanId, i));
    const parents = Int32Array.from(spans, (s) => (s.parentSpanId === null ? -1 : (first.get(s.parentSpanId) ?? -1)));
    const byId = buildSpanTree(spans);
    const byIndex = buildSpanTree(spans, parents);
    expect(byIndex.spans).toEqual(byId.spans);
    for (const k of ['depth', 'parent', 'subtreeEnd', 'childCount'] as const) expect(Array.from(byIndex[k])).toEqual(Array.from(byId[k]));
    expect([...byIndex.indexById]).toEqual([...byId.indexById]);
    expect(byIndex.indexById.get('b')).toBe(byId.spans.findIndex((s) => s.spanId === 'b' && s.startUs === 10));
  });

  it('handles very deep chains without recursion limits', () => {
    const chain = Array.from({ length: 50_000 }, (_, i) => span(`s${i}`, i === 0 ? null : `s${i - 1}`, i, 1));
    const t = buildSpanTree(chain);
    expect(t.maxDepth).toBe(49_999);
    expect(t.subtreeEnd[0]).toBe(50_000);
  });
});

describe('visible rows', () => {
  const tree = buildSpanTree(input);
  const b = tree.indexById.get('b')!;
  const a = tree.indexById.get('a')!;
  const c = tree.indexById.get('c')!;

  it('shows everything when nothing is collapsed', () => {
    expect(names(tree, visibleRows(tree, new Set()))).toBe('a b d e c f x');
  });

  it('hides the subtree of a collapsed span but not the span', () => {
    expect(names(tree, visibleRows(tree, new Set([b])))).toBe('a b c f x');
    expect(names(tree, visibleRows(tree, new Set([a, b])))).toBe('a x');
  });

  it('collapse all leaves only roots; expand one level reveals one level at a time', () => {
    const all = collapseAll(tree);
    expect(names(tree, visibleRows(tree, all))).toBe('a x');
    const one = expandOneLevel(tree, all);
    expect(names(tree, visibleRows(tree, one))).toBe('a b c x');
    const two = expandOneLevel(tree, one);
    expect(names(tree, visibleRows(tree, two))).toBe('a b d e c f x');
  });

  it('collapse one level folds the deepest expanded parents', () => {
    const s = collapseOneLevel(tree, new Set());
    expect([...s].sort()).toEqual([b, c].sort());
    expect(names(tree, visibleRows(tree, s))).toBe('a b c x');
  });

  it('reveals a span by expanding its ancestors', () => {
    const f = tree.indexById.get('f')!;
    const s = revealSpan(tree, collapseAll(tree), f);
    expect(Array.from(visibleRows(tree, s))).toContain(f);
  });
});
