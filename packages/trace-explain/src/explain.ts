/**
 * explain(spans): why a trace failed, or where its time went, as one
 * sentence plus the cause span and the chain up to the root. Pure; the rules
 * read semantic conventions only (see signals.ts), never span or service names.
 */
import { criticalPath, selfTimeOnPath } from './critical-path.js';
import { findNPlusOne, isDbSpan, queryShape } from './db-patterns.js';
import { errorOrigins, primaryOrigin, unreachableAt } from './error-origin.js';
import { type Finding, renderSummary, type SpanRef } from './sentence.js';
import { connectCode, declaredTimeoutMs, errorInfo, isError, peerOf, saysCallerGaveUp } from './signals.js';
import { findTimeout } from './timeout.js';
import { buildSpanTree, type SpanTree } from './tree.js';
import type { CauseKind, ChainRole, ExplainSpan, Explanation } from './types.js';

/** A database query counts as the slow part when it holds up at least this share of the trace by itself. */
export const SLOW_QUERY_SHARE = 0.3;

type Tree = SpanTree<ExplainSpan>;

const ref = (s: ExplainSpan): SpanRef => ({ service: s.service, name: s.name });
const ms = (us: number) => us / 1000;

function chainOf(tree: Tree, cause: number, gaveUp = -1): Explanation['chain'] {
  const out: Explanation['chain'] = [];
  for (let i = cause; i >= 0; i = tree.parent[i]!) {
    const s = tree.spans[i]!;
    let role: ChainRole;
    if (i === cause) role = 'cause';
    else if (i === gaveUp) role = 'gave-up';
    else if (tree.parent[i]! < 0) role = 'root';
    else role = isError(s) && !saysCallerGaveUp(s) ? 'propagated' : 'waited';
    out.push({ spanId: s.spanId, service: s.service, name: s.name, role });
  }
  return out;
}

function answer(tree: Tree, status: Explanation['status'], cause: number, kind: CauseKind, finding: Finding, gaveUp = -1): Explanation {
  const s = tree.spans[cause]!;
  return {
    status,
    summary: renderSummary(finding),
    cause: { spanId: s.spanId, service: s.service, name: s.name, kind },
    chain: chainOf(tree, cause, gaveUp),
  };
}

function explainFailure(tree: Tree): Explanation {
  const { spans } = tree;
  const t = findTimeout(tree);
  if (t) {
    const g = spans[t.gaveUp]!;
    const client = t.client >= 0 ? spans[t.client]! : g;
    const timeoutMs = declaredTimeoutMs(g) ?? declaredTimeoutMs(client);
    const base = { kind: 'timeout' as const, gaveUp: ref(g), waitedMs: ms(client.durationUs), ...(timeoutMs !== undefined ? { timeoutMs } : {}) };
    if (t.slow < 0) return answer(tree, 'error', t.client >= 0 ? t.client : t.gaveUp, 'timeout', base, t.gaveUp);
    const slow = spans[t.slow]!;
    const cutOff = saysCallerGaveUp(slow) || slow.startUs + slow.durationUs >= client.startUs + client.durationUs;
    return answer(tree, 'error', t.slow, 'timeout', { ...base, callee: { ...ref(slow), durationMs: ms(slow.durationUs), cutOff } }, t.gaveUp);
  }

  const origins = errorOrigins(tree);
  // Only consequence errors ("the caller went away"): the earliest of them is all there is to show.
  const origin = primaryOrigin(tree, origins) ?? spans.findIndex(isError);
  const u = unreachableAt(tree, origin);
  if (u) {
    const s = spans[u.index]!;
    const peer = peerOf(s);
    const code = connectCode(s);
    if (u.attempts > 1) {
      const p = tree.parent[u.index]!;
      const gaveUp = p >= 0 && isError(spans[p]!) ? p : -1;
      const f: Finding = { kind: 'retries-exhausted', at: ref(s), peer, code, attempts: u.attempts, ...(gaveUp >= 0 ? { gaveUp: ref(spans[gaveUp]!) } : {}) };
      return answer(tree, 'error', u.index, 'retries-exhausted', f, gaveUp);
    }
    return answer(tree, 'error', u.index, 'unreachable', { kind: 'unreachable', at: ref(s), peer, code });
  }
  const s = spans[origin]!;
  const info = errorInfo(s);
  const f: Finding = { kind: 'error', at: ref(s), errorType: info.type, message: info.message, ...(info.httpStatus ? { httpStatus: info.httpStatus } : {}) };
  return answer(tree, 'error', origin, 'error', f);
}

function explainSuccess(tree: Tree): Explanation {
  const { spans } = tree;
  const traceMs = ms(tree.durationUs);
  const self = selfTimeOnPath(criticalPath(tree));
  let top = 0;
  let topUs = -1;
  for (const [i, us] of self) if (us > topUs) [top, topUs] = [i, us];
  const s = spans[top]!;
  const n1 = findNPlusOne(tree);
  // A dominant query that is one of an N+1 group is better explained by the group.
  const inGroup = n1 !== null && tree.parent[top] === n1.parent && queryShape(s) === n1.shape;
  if (isDbSpan(s) && topUs >= SLOW_QUERY_SHARE * tree.durationUs && !inGroup) {
    return answer(tree, 'ok', top, 'slow-query', { kind: 'slow-query', at: ref(s), durationMs: ms(s.durationUs), traceMs, query: queryShape(s) });
  }
  if (n1) {
    const f: Finding = { kind: 'n-plus-one', at: ref(spans[n1.parent]!), count: n1.count, query: n1.shape, totalMs: ms(n1.totalUs) };
    return answer(tree, 'ok', n1.parent, 'n-plus-one', f);
  }
  return answer(tree, 'ok', top, 'slow', { kind: 'slow', at: ref(s), selfMs: ms(topUs), traceMs });
}

/** The explanation of one trace from its spans (any order; a partial trace is explained as far as it goes). */
export function explain(input: readonly ExplainSpan[]): Explanation {
  if (input.length === 0) return { status: 'ok', summary: 'The trace has no spans yet.', cause: null, chain: [] };
  return explainTree(buildSpanTree(input));
}

/** The same, for a tree already built (the UI has one). */
export function explainTree(tree: Tree): Explanation {
  if (tree.spans.length === 0) return { status: 'ok', summary: 'The trace has no spans yet.', cause: null, chain: [] };
  return tree.spans.some(isError) ? explainFailure(tree) : explainSuccess(tree);
}
