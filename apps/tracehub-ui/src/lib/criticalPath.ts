// The critical path and self time are shared with tracehub's explain engine (@tracelab/trace-explain).
import type { CriticalColumns, CriticalSection } from '@tracelab/trace-explain';
export {
  criticalPath,
  criticalPathColumns,
  sectionsBySpan,
  selfStretches,
  selfTime,
  selfTimeOnPath,
  type CriticalColumns,
  type CriticalSection,
} from '@tracelab/trace-explain';

/** A span's critical-path sections, looked up by tree index (what the views ask of the path). */
export interface SpanSections {
  /** The span's sections in path order, the same array on every call; undefined when it is off the path. */
  get(index: number): CriticalSection[] | undefined;
  has(index: number): boolean;
}

/**
 * The sections (criticalPathColumns) grouped by span as sectionsBySpan groups criticalPath's, for a tree
 * of `n` spans, without an object per section, a map entry or an array per span: the grouping is two
 * typed arrays (each span's range in a by-span order), and a span's array of sections is made when the
 * span is first asked about, which views do for the rows they show.
 */
export function spanSections(n: number, sections: CriticalColumns): SpanSections {
  const start = new Int32Array(n + 1);
  for (let k = 0; k < sections.length; k++) {
    const i = sections.index[k]!;
    if (i >= 0 && i < n) start[i + 1]!++;
  }
  for (let i = 0; i < n; i++) start[i + 1]! += start[i]!;
  const fill = start.slice(0, n);
  const order = new Int32Array(start[n]!);
  for (let k = 0; k < sections.length; k++) {
    const i = sections.index[k]!;
    if (i >= 0 && i < n) order[fill[i]!++] = k;
  }
  const made = new Map<number, CriticalSection[]>();
  const has = (index: number) => index >= 0 && index < n && start[index + 1]! > start[index]!;
  return {
    has,
    get(index) {
      if (!has(index)) return undefined;
      let list = made.get(index);
      if (list === undefined) {
        list = [];
        for (let k = start[index]!; k < start[index + 1]!; k++) {
          const o = order[k]!;
          list.push({ index, startUs: sections.startUs[o]!, endUs: sections.endUs[o]! });
        }
        made.set(index, list);
      }
      return list;
    },
  };
}
