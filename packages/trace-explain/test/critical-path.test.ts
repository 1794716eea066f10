import { describe, expect, it } from 'vitest';
import { buildSpanTree, criticalPath, selfTime } from '../src/index.js';
import { span } from './spans.js';

const path = (spans: Parameters<typeof buildSpanTree>[0]) => {
  const tree = buildSpanTree(spans);
  return criticalPath(tree).map((s) => `${tree.spans[s.index]!.spanId}:${s.startUs / 1000}-${s.endUs / 1000}`);
};

describe('criticalPath with millisecond-stamped starts', () => {
  //  root [0 ................................ 100]
  //        a [1 ...... 60.09]                      (a ends 0.09 ms after b starts: rounding)
  //                     b [60 ....... 98]
  it('takes a step that overlaps the next by a rounding error, clipped', () => {
    expect(path([span('root', null, 0, 100), span('a', 'root', 1, 59.09), span('b', 'root', 60, 38)])).toEqual(['root:98-100', 'b:60-98', 'a:1-60', 'root:0-1']);
  });

  it('still skips real parallel work', () => {
    expect(path([span('root', null, 0, 100), span('a', 'root', 1, 70), span('b', 'root', 60, 38)])).toEqual(['root:98-100', 'b:60-98', 'root:0-60']);
  });
});

describe('selfTime', () => {
  it('is the duration less the union of the children, clipped to the span', () => {
    const tree = buildSpanTree([span('p', null, 0, 100), span('a', 'p', 10, 30), span('b', 'p', 20, 30), span('c', 'p', 90, 50)]);
    expect(selfTime(tree, 0)).toBe(100_000 - 40_000 - 10_000);
    expect(selfTime(tree, tree.indexById.get('c')!)).toBe(50_000);
  });
});
