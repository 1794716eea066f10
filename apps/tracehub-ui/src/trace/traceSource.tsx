// Where the trace views get what they do not hold themselves: the hub's API
// (the app), or data embedded in an offline HTML file (offline/main.tsx).
import { createContext, useContext } from 'react';
import { getLogs } from '../api/client';
import type { LogRecord } from '../lib/types';

export interface TraceSource {
  /** False in the offline file: nothing to link to or fetch, no exports. */
  online: boolean;
  logs(traceId: string, spanId: string, signal: AbortSignal): Promise<LogRecord[]>;
}

export const hubSource: TraceSource = { online: true, logs: getLogs };

export const TraceSourceContext = createContext<TraceSource>(hubSource);

export const useTraceSource = () => useContext(TraceSourceContext);
