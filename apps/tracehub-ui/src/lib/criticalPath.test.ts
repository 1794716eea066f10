import { describe, expect, it } from 'vitest';
import { criticalPath, criticalPathColumns, sectionsBySpan, spanSections } from './criticalPath';
import { buildSpanTree } from './spanTree';
import { span } from './testSpans';

const path = (spans: Parameters<typeof buildSpanTree>[0]) => {
  const tree = buildSpanTree(spans);
  return criticalPath(tree).map((s) => `${tree.spans[s.index]!.spanId}:${s.startUs}-${s.endUs}`);
};

describe('criticalPath', () => {
  it('is the whole span when it has no children', () => {
    expect(path([span('a', null, 0, 10)])).toEqual(['a:0-10']);
  });

  //  a [0 ........................ 100]
  //     b [10 ... 40]   c [50 ... 90]
  it('walks sequential children back from the end, giving gaps to the parent', () => {
    expect(path([span('a', null, 0, 100), span('b', 'a', 10, 30), span('c', 'a', 50, 40)])).toEqual([
      'a:90-100',
      'c:50-90',
      'a:40-50',
      'b:10-40',
      'a:0-10',
    ]);
  });

  //  a [0 ..................... 100]
  //     b [10 ........ 60]
  //        c [20 ............ 80]      (parallel with b; ends later)
  it('picks the last-finishing child of parallel children and skips those overlapping it', () => {
    expect(path([span('a', null, 0, 100), span('b', 'a', 10, 50), span('c', 'a', 20, 60)])).toEqual([
      'a:80-100',
      'c:20-80',
      'a:0-20',
    ]);
  });

  //  a [0 ........ 50]
  //     b [40 ................ 90]   (overflows its parent: clipped to 40-50)
  it('clips children that end after their parent', () => {
    expect(path([span('a', null, 0, 50), span('b', 'a', 40, 50)])).toEqual(['b:40-50', 'a:0-40']);
  });

  //  a [0 .................. 100]
  //     b [10 ........... 90]
  //        d [20 .. 30]   e [50 .. 85]
  it('recurses into grandchildren', () => {
    const p = path([
      span('a', null, 0, 100),
      span('b', 'a', 10, 80),
      span('d', 'b', 20, 10),
      span('e', 'b', 50, 35),
    ]);
    expect(p).toEqual(['a:90-100', 'b:85-90', 'e:50-85', 'b:30-50', 'd:20-30', 'b:10-20', 'a:0-10']);
    const total = criticalPath(buildSpanTree([span('a', null, 0, 100), span('b', 'a', 10, 80)])).reduce(
      (sum, s) => sum + s.endUs - s.startUs,
      0,
    );
    expect(total).toBe(100);
  });

  it('groups sections by span', () => {
    const tree = buildSpanTree([span('a', null, 0, 100), span('b', 'a', 10, 30)]);
    const m = sectionsBySpan(criticalPath(tree));
    expect(m.get(0)!.length).toBe(2);
    expect(m.get(1)!.length).toBe(1);
  });

  it('looks sections up by span as sectionsBySpan groups them, one array per span', () => {
    // a [0 .. 100] with b, e and d in sequence; c runs inside b's time, so it is off the path.
    const tree = buildSpanTree([span('a', null, 0, 100), span('b', 'a', 10, 30), span('c', 'a', 12, 20), span('e', 'a', 41, 2), span('d', 'a', 45, 50)]);
    const bySpan = sectionsBySpan(criticalPath(tree));
    const columns = criticalPathColumns(tree);
    expect(columns.length).toBe(criticalPath(tree).length);
    const index = spanSections(tree.spans.length, columns);
    for (let i = -1; i <= tree.spans.length; i++) {
      expect(index.has(i)).toBe(bySpan.has(i));
      expect(index.get(i)).toEqual(bySpan.get(i));
    }
    expect(index.has(0) && !index.has(tree.indexById.get('c')!)).toBe(true);
    expect(index.get(0)).toBe(index.get(0));
  });
});
