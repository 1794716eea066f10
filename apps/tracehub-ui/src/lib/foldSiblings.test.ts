import { describe, expect, it } from 'vitest';
import { criticalPath, sectionsBySpan } from './criticalPath';
import { findFolds, foldMembers, foldOnCriticalPath, foldsHiding, unfoldFor } from './foldSiblings';
import { buildSpanTree } from './spanTree';
import { span } from './testSpans';
import { collapseAll, visibleRows } from './visibleRows';

// root
// ├─ setup
// ├─ SELECT ×12 (q0..q11, each 1 µs longer than the last; q3 has a child "parse"; q7 fails)
// ├─ other
// ├─ SELECT ×3 (r0..r2: too short a run to fold)
// └─ SELECT on another service ×12 (p0..p11: a run of its own)
function loopTrace() {
  const spans = [span('root', null, 0, 1000, { name: 'GET /orders' }), span('setup', 'root', 1, 5, { name: 'setup' })];
  for (let k = 0; k < 12; k++) {
    spans.push(span(`q${k}`, 'root', 10 + k * 20, 10 + k, { name: 'SELECT', service: 'db', ...(k === 7 ? { status: { code: 'error', message: 'x' } } : {}) }));
  }
  spans.push(span('parse', 'q3', 71, 2, { name: 'parse' }));
  spans.push(span('other', 'root', 300, 5, { name: 'other' }));
  for (let k = 0; k < 3; k++) spans.push(span(`r${k}`, 'root', 310 + k * 10, 5, { name: 'SELECT', service: 'db' }));
  for (let k = 0; k < 12; k++) spans.push(span(`p${k}`, 'root', 400 + k * 10, 5, { name: 'SELECT', service: 'db2' }));
  return buildSpanTree(spans);
}
const ids = (tree: ReturnType<typeof loopTrace>, xs: ArrayLike<number>) => Array.from(xs, (i) => tree.spans[i]!.spanId);

describe('findFolds', () => {
  const tree = loopTrace();
  const folds = findFolds(tree);

  it('finds runs of at least 10 siblings with the same service and name, with their durations', () => {
    const runs = [...folds.byFirst.values()];
    expect(runs.map((f) => [tree.spans[f.first]!.spanId, tree.spans[f.last]!.spanId, f.count])).toEqual([
      ['q0', 'q11', 12],
      ['p0', 'p11', 12],
    ]);
    const q = runs[0]!;
    expect(q.totalUs).toBe(12 * 10 + (0 + 11) * 6); // 10+11+...+21
    expect([q.minUs, q.maxUs, q.errorCount]).toEqual([10, 21, 1]);
    expect([q.startUs, q.endUs]).toEqual([10, 10 + 11 * 20 + 21]);
    expect(ids(tree, foldMembers(tree, q))).toEqual(Array.from({ length: 12 }, (_, k) => `q${k}`));
    expect(tree.spans[q.end]!.spanId).toBe('other');
  });

  it('shows a folded run as one row and continues after it; unfolded it shows every span', () => {
    const q0 = tree.indexById.get('q0')!;
    const p0 = tree.indexById.get('p0')!;
    expect(ids(tree, visibleRows(tree, new Set(), folds))).toEqual(['root', 'setup', 'q0', 'other', 'r0', 'r1', 'r2', 'p0']);
    const open = ids(tree, visibleRows(tree, new Set(), folds, new Set([q0])));
    expect(open.slice(0, 8)).toEqual(['root', 'setup', 'q0', 'q1', 'q2', 'q3', 'parse', 'q4']);
    expect(open).toHaveLength(2 + 12 + 1 + 1 + 3 + 1);
    expect(visibleRows(tree, new Set(), folds, new Set([q0, p0]))).toHaveLength(tree.spans.length);
    // Collapsing still wins above a fold.
    expect(ids(tree, visibleRows(tree, collapseAll(tree), folds))).toEqual(['root']);
  });

  it('unfolds what hides a span (Find, ?span=), not the run whose row the span is', () => {
    const at = (id: string) => tree.indexById.get(id)!;
    const q0 = at('q0');
    expect(foldsHiding(tree, folds, new Set(), at('q5'))).toEqual([q0]);
    expect(foldsHiding(tree, folds, new Set(), at('parse'))).toEqual([q0]);
    expect(foldsHiding(tree, folds, new Set(), q0)).toEqual([]);
    expect(foldsHiding(tree, folds, new Set(), at('other'))).toEqual([]);
    const next = unfoldFor(tree, folds, new Set(), at('parse'));
    expect(ids(tree, visibleRows(tree, new Set(), folds, next))).toContain('parse');
  });

  it('marks a run on the critical path when one of its members is', () => {
    const critical = sectionsBySpan(criticalPath(tree));
    const q = folds.byFirst.get(tree.indexById.get('q0')!)!;
    expect(foldOnCriticalPath(tree, q, critical)).toBe(foldMembers(tree, q).some((m) => critical.has(m)));
    expect(foldOnCriticalPath(tree, q, null)).toBe(false);
  });

  it('takes roots as siblings too, and nothing for a trace without repeats', () => {
    const roots = buildSpanTree(Array.from({ length: 10 }, (_, k) => span(`o${k}`, 'missing', k, 1, { name: 'orphan' })));
    expect([...findFolds(roots).byFirst.values()].map((f) => f.count)).toEqual([10]);
    expect(findFolds(buildSpanTree([span('a', null, 0, 1), span('b', 'a', 0, 1)])).byFirst.size).toBe(0);
  });
});
