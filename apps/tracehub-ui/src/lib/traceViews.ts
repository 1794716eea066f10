// The trace page's views and its URL: /trace/<id>?view=<view>&span=<spanId>.

export const TRACE_VIEWS = [
  { id: 'timeline', label: 'Timeline' },
  { id: 'flame', label: 'Flame graph' },
  { id: 'stats', label: 'Statistics' },
  { id: 'spans', label: 'Spans' },
] as const;

export type TraceViewId = (typeof TRACE_VIEWS)[number]['id'];

/** The view named by ?view=, the timeline when absent or unknown. */
export function parseTraceView(raw: string | null): TraceViewId {
  return TRACE_VIEWS.find((v) => v.id === raw)?.id ?? 'timeline';
}

/** The trace page's address; the timeline (the default view) and no selection leave their parameters out. */
export function traceHref(traceId: string, opts: { view?: TraceViewId; span?: string; root?: string } = {}): string {
  const q = new URLSearchParams();
  if (opts.root) q.set('root', opts.root);
  if (opts.view && opts.view !== 'timeline') q.set('view', opts.view);
  if (opts.span) q.set('span', opts.span);
  const s = q.toString();
  return s ? `/trace/${traceId}?${s}` : `/trace/${traceId}`;
}
