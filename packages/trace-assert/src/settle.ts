// When is a trace read from tracehub complete? Pure, so it can be tested.
// Spans arrive in batches from several processes, each exporting on its own
// schedule: a trace is taken as complete once it is whole (one root, every
// parent present) and its span count has not changed for the settle time.
import type { TraceSpan } from './types.js';

/** One root and no span whose parent is missing. */
export function isWhole(spans: TraceSpan[]): boolean {
  if (spans.length === 0) return false;
  const ids = new Set(spans.map((s) => s.spanId));
  let roots = 0;
  for (const s of spans) {
    if (s.parentSpanId === null) roots++;
    else if (!ids.has(s.parentSpanId)) return false;
  }
  return roots === 1;
}

export interface SettleState {
  count: number;
  /** When the count last changed (ms). */
  since: number;
}

/** Feeds one observation; returns the new state and whether the trace has settled. */
export function observe(prev: SettleState | undefined, spans: TraceSpan[], now: number, settleMs: number): { state: SettleState; settled: boolean } {
  const state = prev && prev.count === spans.length ? prev : { count: spans.length, since: now };
  return { state, settled: isWhole(spans) && now - state.since >= settleMs };
}
