// The guide's I/O: runs every check's search, and again whenever tracehub's
// live feed reports a new or updated trace, so steps turn green without a reload.
import { useEffect, useState } from 'react';
import { getTrace, searchTraces, subscribeLive } from '../api/client';
import type { SpanData, TraceSummary } from '../lib/types';
import { CHECK_IDS, checkParams, concernsChecks, evaluateAll, type CheckId, type Progress } from './checks';

// Live events come in bursts (one per export batch), and without pause under
// load: at most one search round per interval, starting after the first event.
const THROTTLE_MS = 500;

export interface GuideLive {
  progress: Progress;
  /** False until the first round of searches has answered. */
  loaded: boolean;
  error: Error | null;
  connection: 'connecting' | 'open' | 'reconnecting';
}

export function useGuideProgress(): GuideLive {
  const [answers, setAnswers] = useState<Partial<Record<CheckId, TraceSummary[]>>>({});
  const [loaded, setLoaded] = useState(false);
  const [error, setError] = useState<Error | null>(null);
  const [connection, setConnection] = useState<GuideLive['connection']>('connecting');

  useEffect(() => {
    const ac = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    let running = false;
    let again = false;
    const refresh = async () => {
      if (running) {
        again = true;
        return;
      }
      running = true;
      try {
        const lists = await Promise.all(CHECK_IDS.map((id) => searchTraces(checkParams(id), ac.signal)));
        if (ac.signal.aborted) return;
        setAnswers(Object.fromEntries(CHECK_IDS.map((id, i) => [id, lists[i]])));
        setError(null);
        setLoaded(true);
      } catch (e) {
        if (!ac.signal.aborted) setError(e as Error);
      } finally {
        running = false;
        if (again && !ac.signal.aborted) {
          again = false;
          void refresh();
        }
      }
    };
    const soon = () => {
      if (timer !== undefined) return;
      timer = setTimeout(() => {
        timer = undefined;
        void refresh();
      }, THROTTLE_MS);
    };
    void refresh();
    // Only traces a check can be about (under load, other traffic would re-run every search twice a second).
    const close = subscribeLive((t) => concernsChecks(t) && soon(), (state) => {
      setConnection(state);
      // After a reconnect, catch up on whatever arrived meanwhile.
      if (state === 'open') soon();
    });
    return () => {
      ac.abort();
      close();
      clearTimeout(timer);
    };
  }, []);

  return { progress: evaluateAll(answers), loaded, error, connection };
}

/**
 * The spans of a trace a step found, to answer its question. Fetched again
 * when the trace grows (the services export separately, so spans trickle in).
 */
export function useTraceSpans(trace: TraceSummary | undefined): SpanData[] | undefined {
  const [spans, setSpans] = useState<{ key: string; spans: SpanData[] }>();
  const key = trace ? `${trace.traceId}:${trace.spanCount}` : '';
  useEffect(() => {
    if (!trace) return;
    const ac = new AbortController();
    getTrace(trace.traceId, ac.signal).then(
      (d) => !ac.signal.aborted && setSpans({ key, spans: d.spans }),
      // The answer stays hidden; the step itself already links to the trace.
      () => undefined,
    );
    return () => ac.abort();
    // `key` stands for the trace id and its span count.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);
  return trace && spans?.key.startsWith(`${trace.traceId}:`) ? spans.spans : undefined;
}
