import { selfTime } from './criticalPath';
import { byText } from './format';
import { findSpans } from './findSpans';
import type { SpanTree } from './spanTree';

export type SpanListColumn = 'service' | 'name' | 'start' | 'duration' | 'self' | 'status' | 'kind';

/** Self time of every span, by tree index (µs). */
export function selfTimes(tree: SpanTree): Float64Array {
  const out = new Float64Array(tree.spans.length);
  for (let i = 0; i < out.length; i++) out[i] = selfTime(tree, i);
  return out;
}

/**
 * The span list's rows: the spans matching `filter` (the trace page's find:
 * name, service, span id, attributes, events), sorted by `column`; ties keep
 * the start order.
 */
export function spanListRows(tree: SpanTree, self: Float64Array, filter: string, column: SpanListColumn, dir: 'asc' | 'desc'): number[] {
  const rows = filter.trim() ? findSpans(tree, filter) : Array.from({ length: tree.spans.length }, (_, i) => i);
  const { spans } = tree;
  const key = (i: number): number | string => {
    const s = spans[i]!;
    switch (column) {
      case 'service':
        return s.service;
      case 'name':
        return s.name;
      case 'start':
        return s.startUs;
      case 'duration':
        return s.durationUs;
      case 'self':
        return self[i]!;
      case 'status':
        return s.status.code;
      case 'kind':
        return s.kind;
    }
  };
  const sign = dir === 'asc' ? 1 : -1;
  return rows.sort((a, b) => {
    const x = key(a);
    const y = key(b);
    const c = typeof x === 'string' ? byText(x, y as string) : x - (y as number);
    return sign * c || spans[a]!.startUs - spans[b]!.startUs || a - b;
  });
}
