/**
 * Where an error starts: an ERROR span whose error did not come from below.
 * A parent with an ERROR descendant only passed it on. Errors that merely
 * report that the caller gave up (see signals.saysCallerGaveUp) are
 * consequences and never an origin.
 */
import { attrNumber, isClient, isError, isServer, peerOf, saysCallerGaveUp, saysCannotConnect } from './signals.js';
import type { SpanTree } from './tree.js';
import type { ExplainSpan } from './types.js';

/** Indices of the ERROR spans with no (non-consequence) ERROR span below them, in tree order. */
export function errorOrigins(tree: SpanTree<ExplainSpan>): number[] {
  const { spans, parent } = tree;
  const n = spans.length;
  // Children come after their parent in tree order: one backwards pass marks every span with an error below it.
  const errorBelow = new Uint8Array(n);
  const out: number[] = [];
  for (let i = n - 1; i >= 0; i--) {
    const s = spans[i]!;
    const counts = isError(s) && !saysCallerGaveUp(s);
    if (counts && !errorBelow[i]) out.push(i);
    const p = parent[i]!;
    if (p >= 0 && (counts || errorBelow[i])) errorBelow[p] = 1;
  }
  return out.reverse();
}

/** The origin that explains the most: the most ERROR ancestors (it reached furthest), then the earliest. */
export function primaryOrigin(tree: SpanTree<ExplainSpan>, origins: readonly number[]): number | null {
  let best: number | null = null;
  let bestReach = -1;
  for (const i of origins) {
    let reach = 0;
    for (let p = tree.parent[i]!; p >= 0; p = tree.parent[p]!) if (isError(tree.spans[p]!)) reach++;
    if (reach > bestReach || (reach === bestReach && tree.spans[i]!.startUs < tree.spans[best!]!.startUs)) {
      best = i;
      bestReach = reach;
    }
  }
  return best;
}

export interface Unreachable {
  /** The last attempt. */
  index: number;
  attempts: number;
}

/**
 * A CLIENT span that could not connect (no SERVER span answered under it).
 * Its failed siblings of the same name and peer are earlier attempts
 * (retries); http.request.resend_count counts them too when instrumented.
 */
export function unreachableAt(tree: SpanTree<ExplainSpan>, index: number): Unreachable | null {
  const { spans, parent, subtreeEnd } = tree;
  const isAttempt = (i: number) => {
    const s = spans[i]!;
    if (!isClient(s) || !saysCannotConnect(s)) return false;
    for (let c = i + 1; c < subtreeEnd[i]!; c++) if (isServer(spans[c]!)) return false;
    return true;
  };
  if (!isAttempt(index)) return null;
  const me = spans[index]!;
  const p = parent[index]!;
  let last = index;
  let attempts = 1;
  if (p >= 0) {
    attempts = 0;
    for (let c = p + 1; c < subtreeEnd[p]!; c = subtreeEnd[c]!) {
      const s = spans[c]!;
      if (s.name !== me.name || peerOf(s) !== peerOf(me) || !isAttempt(c)) continue;
      attempts++;
      if (s.startUs >= spans[last]!.startUs) last = c;
    }
  }
  const resends = attrNumber(spans[last]!, 'http.request.resend_count');
  if (resends !== undefined && resends + 1 > attempts) attempts = resends + 1;
  return { index: last, attempts };
}
