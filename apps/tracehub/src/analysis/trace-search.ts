/**
 * Find inside one trace on the server (`GET /api/v1/traces/{id}/search`), with
 * the UI's Find rule from @tracelab/trace-explain. Pure.
 */
import { findQuery, spanMatches } from '@tracelab/trace-explain';
import { STATUS_CODE_NAMES, type SpanRecord } from '../model.js';

/** Ids of the spans that match `query`, in the trace's order ([] for a blank query). */
export function searchTraceSpans(spans: readonly SpanRecord[], query: string): string[] {
  const q = findQuery(query);
  if (!q) return [];
  const out: string[] = [];
  for (const s of spans) {
    const view = {
      spanId: s.spanId,
      name: s.name,
      service: s.resource.serviceName,
      status: { code: STATUS_CODE_NAMES[s.statusCode] ?? 'unset', message: s.statusMessage },
      attributes: s.attributes,
      events: s.events,
    };
    if (spanMatches(view, q)) out.push(s.spanId);
  }
  return out;
}
