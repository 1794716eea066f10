/**
 * GET /api/v1/traces/{id}/explain: tracehub's records → @tracelab/trace-explain.
 * The rules themselves (error origin, timeouts, unreachable peers, critical
 * path and self time, database patterns, the sentence) live in that package,
 * which the UI shares; this file only adapts the stored model. Pure.
 */
import { type ExplainSpan, type Explanation, explain } from '@tracelab/trace-explain';
import { SPAN_KIND_NAMES, STATUS_CODE_NAMES, type SpanRecord } from '../model.js';

/** A stored span in the engine's shape: times in µs from the earliest start of the trace. */
export function toExplainSpan(s: SpanRecord, traceStartNs: bigint): ExplainSpan {
  return {
    spanId: s.spanId,
    parentSpanId: s.parentSpanId === '' ? null : s.parentSpanId,
    name: s.name,
    service: s.resource.serviceName,
    kind: SPAN_KIND_NAMES[s.kind] ?? 'unspecified',
    startUs: Number(s.startTimeUnixNano - traceStartNs) / 1000,
    durationUs: Number(s.endTimeUnixNano - s.startTimeUnixNano) / 1000,
    status: { code: STATUS_CODE_NAMES[s.statusCode] ?? 'unset', message: s.statusMessage },
    attributes: s.attributes,
    events: s.events,
  };
}

export function explainTrace(spans: readonly SpanRecord[]): Explanation {
  let start = spans[0]?.startTimeUnixNano ?? 0n;
  for (const s of spans) if (s.startTimeUnixNano < start) start = s.startTimeUnixNano;
  return explain(spans.map((s) => toExplainSpan(s, start)));
}
