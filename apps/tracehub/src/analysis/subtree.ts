/**
 * One span's subtree of a trace (`GET /api/v1/traces/{id}?root=<spanId>`):
 * the span and all its descendants, in the trace's order. Pure.
 */
import type { SpanRecord } from '../model.js';

/** The spans of the subtree under `rootSpanId`, or null when no span has that id. */
export function subtreeSpans(spans: readonly SpanRecord[], rootSpanId: string): SpanRecord[] | null {
  const children = new Map<string, number[]>();
  let root = -1;
  for (let i = 0; i < spans.length; i++) {
    const s = spans[i]!;
    if (root < 0 && s.spanId === rootSpanId) root = i;
    if (s.parentSpanId === '') continue;
    const list = children.get(s.parentSpanId);
    if (list) list.push(i);
    else children.set(s.parentSpanId, [i]);
  }
  if (root < 0) return null;
  const keep = new Uint8Array(spans.length);
  const seen = new Set<string>([rootSpanId]);
  const stack = [rootSpanId];
  keep[root] = 1;
  while (stack.length > 0) {
    for (const c of children.get(stack.pop()!) ?? []) {
      keep[c] = 1;
      const id = spans[c]!.spanId;
      // A span id seen twice (a cycle, or duplicated ids) is walked once.
      if (!seen.has(id)) {
        seen.add(id);
        stack.push(id);
      }
    }
  }
  return spans.filter((_, i) => keep[i] === 1);
}
