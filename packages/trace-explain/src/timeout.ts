/**
 * Timeouts: a caller that stopped waiting. Found from what the caller says
 * (an ERROR with timeout, deadline or abort on the CLIENT span or the step
 * around it) or from timing (the callee's SERVER span ran on well after the
 * CLIENT span ended in error). The cause is then on the callee's side: the
 * span there with the largest self time; errors there that say the caller
 * went away are consequences.
 */
import { selfTime } from './critical-path.js';
import { isClient, isError, isServer, saysTimedOut } from './signals.js';
import type { SpanTree } from './tree.js';
import type { ExplainSpan } from './types.js';

export interface Timeout {
  /** The span that gave up: the CLIENT span or the step around it. */
  gaveUp: number;
  /** The CLIENT span whose call was abandoned, -1 when none was recorded. */
  client: number;
  /** The slow span on the callee's side, -1 when the callee recorded nothing. */
  slow: number;
}

const endOf = (s: ExplainSpan) => s.startUs + s.durationUs;

/** For each span, the nearest SERVER span at or above it, -1 when none (one pass: parents come before children). */
function nearestServers(tree: SpanTree<ExplainSpan>): Int32Array {
  const near = new Int32Array(tree.spans.length);
  for (let i = 0; i < tree.spans.length; i++) {
    const p = tree.parent[i]!;
    near[i] = isServer(tree.spans[i]!) ? i : p >= 0 ? near[p]! : -1;
  }
  return near;
}

/** The caller's CLIENT span at or below `top` that ended last (the call it was waiting on). */
function abandonedClient(tree: SpanTree<ExplainSpan>, near: Int32Array, top: number): number {
  const { spans, subtreeEnd, depth } = tree;
  let best = -1;
  for (let i = top; i < subtreeEnd[top]!; i++) {
    // Skip the callee's side of a call made under `top`: spans with a SERVER span between them and `top`.
    const server = near[i]!;
    if (!isClient(spans[i]!) || (server >= 0 && depth[server]! > depth[top]!)) continue;
    if (best < 0 || endOf(spans[i]!) > endOf(spans[best]!)) best = i;
  }
  return best;
}

/** The span below `client` with the largest self time, the deeper one on a tie. */
function slowestBelow(tree: SpanTree<ExplainSpan>, client: number): number {
  let best = -1;
  let bestSelf = -1;
  for (let i = client + 1; i < tree.subtreeEnd[client]!; i++) {
    const self = selfTime(tree, i);
    if (self > bestSelf || (self === bestSelf && tree.depth[i]! > tree.depth[best]!)) {
      best = i;
      bestSelf = self;
    }
  }
  return best;
}

/** How much later than its caller a callee must end to count as "still running" (clocks and rounding differ). */
const marginUs = (clientUs: number) => Math.max(10_000, clientUs * 0.05);

export function findTimeout(tree: SpanTree<ExplainSpan>): Timeout | null {
  const { spans, parent, subtreeEnd } = tree;
  // Spans that say they timed out and waited on a call. Within one service the deepest gave up and those
  // above passed it on; across services the innermost timeout is the one that fired (the callers above it
  // only heard of it), so the deepest of all wins, then the earliest.
  const near = nearestServers(tree);
  const deeper = (a: number, b: number) => tree.depth[b]! > tree.depth[a]! || (tree.depth[b] === tree.depth[a] && spans[b]!.startUs < spans[a]!.startUs);
  let gaveUp = -1;
  let client = -1;
  for (let i = 0; i < spans.length; i++) {
    if (!saysTimedOut(spans[i]!) || (gaveUp >= 0 && !deeper(gaveUp, i))) continue;
    const c = abandonedClient(tree, near, i);
    if (c >= 0) [gaveUp, client] = [i, c];
  }

  if (gaveUp < 0) {
    // Timing: an ERROR call (or its ERROR step) whose callee ran on after it ended.
    for (let c = 0; c < spans.length && gaveUp < 0; c++) {
      const s = spans[c]!;
      if (!isClient(s)) continue;
      const p = parent[c]!;
      const failing = isError(s) ? c : p >= 0 && isError(spans[p]!) ? p : -1;
      if (failing < 0) continue;
      for (let k = c + 1; k < subtreeEnd[c]!; k = subtreeEnd[k]!) {
        if (isServer(spans[k]!) && endOf(spans[k]!) - endOf(s) > marginUs(s.durationUs)) {
          gaveUp = failing;
          client = c;
          break;
        }
      }
    }
  }
  if (gaveUp < 0) return null;
  return { gaveUp, client, slow: client >= 0 ? slowestBelow(tree, client) : -1 };
}
