import { useEffect, useMemo, useState } from 'react';
import { searchInTrace } from '../api/client';
import { useAsync } from '../components/useAsync';
import { findSpans, indexesOf } from '../lib/findSpans';
import type { SpanTree } from '../lib/spanTree';

/** Above this many spans, Find asks the hub (GET /api/v1/traces/{id}/search) instead of scanning here. */
export const LARGE_TRACE_SPANS = 50_000;
/** The hub is asked once typing pauses this long: each search reads the whole trace there. */
const REMOTE_DEBOUNCE_MS = 300;

function useSettled(value: string, ms: number, on: boolean): string {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    if (!on) return;
    const t = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(t);
  }, [value, ms, on]);
  return on ? settled : value;
}

export interface TraceFind {
  /** Tree indexes of the matching spans, in tree order. */
  matches: number[];
  /** The hub searched. */
  remote: boolean;
  pending: boolean;
  error: string;
}

const NONE: number[] = [];

/** Find in the trace: the same rule either way (@tracelab/trace-explain), run where it is cheaper. */
export function useTraceFind(tree: SpanTree, traceId: string, query: string, online: boolean): TraceFind {
  const remote = online && tree.spans.length > LARGE_TRACE_SPANS;
  const q = query.trim();
  const local = useMemo(() => (remote ? NONE : findSpans(tree, q)), [remote, tree, q]);
  const asked = useSettled(q, REMOTE_DEBOUNCE_MS, remote);
  const hub = useAsync(
    (signal) => (remote && asked ? searchInTrace(traceId, asked, signal).then((r) => indexesOf(tree, r.spanIds)) : Promise.resolve(NONE)),
    remote && asked ? `${traceId}\u0000${asked}` : '',
  );
  if (!remote) return { matches: local, remote, pending: false, error: '' };
  if (q !== asked || hub.status === 'loading') return { matches: NONE, remote, pending: q !== '', error: '' };
  if (hub.status === 'error') return { matches: NONE, remote, pending: false, error: `search failed: ${hub.error.message}` };
  return { matches: hub.value, remote, pending: false, error: '' };
}
