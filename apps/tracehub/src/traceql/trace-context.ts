// What the evaluator needs to know about one trace, computed once: spans by
// id, parent and children, Tempo-style nested-set numbers (a depth-first
// walk from each root, children by start time, numbered from 1; a root's
// nestedSetParent is -1), and the trace-level intrinsics. Pure.
import type { SpanRecord } from '../model.js';

export interface SpanRelations {
  parent: SpanRecord | undefined;
  children: SpanRecord[];
  childCount: number;
  nestedSetLeft: number;
  nestedSetRight: number;
  nestedSetParent: number;
}

export interface TraceContext {
  traceId: string;
  spans: SpanRecord[];
  relations: Map<SpanRecord, SpanRelations>;
  /** max(end) - min(start) over the spans, ns. */
  durationNs: bigint;
  /** The root span's name and service; '' while the root has not arrived. */
  rootName: string;
  rootService: string;
}

export function buildTraceContext(spans: SpanRecord[]): TraceContext {
  const byId = new Map<string, SpanRecord>();
  for (const s of spans) if (!byId.has(s.spanId)) byId.set(s.spanId, s);
  const children = new Map<SpanRecord, SpanRecord[]>();
  const roots: SpanRecord[] = [];
  for (const s of spans) {
    const parent = s.parentSpanId === '' || s.parentSpanId === s.spanId ? undefined : byId.get(s.parentSpanId);
    if (parent && byId.get(s.spanId) === s) {
      const list = children.get(parent);
      if (list) list.push(s);
      else children.set(parent, [s]);
    } else {
      // A root, or a span whose parent has not arrived: the top of its own tree.
      roots.push(s);
    }
  }
  const byStart = (a: SpanRecord, b: SpanRecord): number =>
    a.startTimeUnixNano < b.startTimeUnixNano ? -1 : a.startTimeUnixNano > b.startTimeUnixNano ? 1 : a.spanId < b.spanId ? -1 : 1;
  roots.sort(byStart);
  const relations = new Map<SpanRecord, SpanRelations>();
  let counter = 0;
  // Iterative depth-first walk (deep traces must not overflow the stack).
  for (const root of roots) {
    const stack: { span: SpanRecord; parent: SpanRecord | undefined; entered: boolean }[] = [{ span: root, parent: undefined, entered: false }];
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      const kids = children.get(top.span) ?? [];
      if (!top.entered) {
        top.entered = true;
        const parentRel = top.parent ? relations.get(top.parent) : undefined;
        relations.set(top.span, {
          parent: top.parent,
          children: kids,
          childCount: kids.length,
          nestedSetLeft: ++counter,
          nestedSetRight: 0,
          nestedSetParent: parentRel ? parentRel.nestedSetLeft : -1,
        });
        const sorted = [...kids].sort(byStart);
        for (let i = sorted.length - 1; i >= 0; i--) {
          if (!relations.has(sorted[i])) stack.push({ span: sorted[i], parent: top.span, entered: false });
        }
      } else {
        relations.get(top.span)!.nestedSetRight = ++counter;
        stack.pop();
      }
    }
  }
  // Duplicated span ids: the copies share the first's relations.
  for (const s of spans) {
    if (!relations.has(s)) relations.set(s, relations.get(byId.get(s.spanId)!)!);
  }

  let min: bigint | undefined;
  let max: bigint | undefined;
  for (const s of spans) {
    if (min === undefined || s.startTimeUnixNano < min) min = s.startTimeUnixNano;
    if (max === undefined || s.endTimeUnixNano > max) max = s.endTimeUnixNano;
  }
  const root = roots.find((s) => s.parentSpanId === '');
  return {
    traceId: spans[0]?.traceId ?? '',
    spans,
    relations,
    durationNs: min === undefined || max === undefined ? 0n : max - min,
    rootName: root?.name ?? '',
    rootService: root?.resource.serviceName ?? '',
  };
}
