/**
 * Records → the /api/v1 JSON shapes of @tracelab/api-contract (typed, so the compiler checks them). Pure.
 */
import type * as wire from '@tracelab/api-contract';
import {
  type LogRecordData,
  MISSING_ROOT_NAME,
  SPAN_KIND_NAMES,
  STATUS_CODE_NAMES,
  type SpanRecord,
  type TraceSummary,
} from '../model.js';
import { tracePartsOf } from '../store/rows.js';
import type { SpansetAnswer } from '../traceql/answer.js';
import type { Value } from '../traceql/values.js';

const NS_PER_MS = 1_000_000;

function durationMs(ns: bigint): number {
  return Number(ns) / NS_PER_MS;
}

/** A TraceQL value as JSON: numbers and booleans as such, durations as nanoseconds, the rest as text. */
function valueJson(v: Value | null): string | number | boolean | null {
  return v === null ? null : v.value;
}

/** One spanset of a TraceQL search: matched spans (the first spss), their count, by()/aggregate values. */
export function spansetJson(a: SpansetAnswer): wire.SpanSet {
  return {
    matched: a.matched,
    attributes: a.attributes.map(({ key, value }) => ({ key, value: valueJson(value) })),
    spans: a.spans.map((s) => ({
      spanId: s.spanId,
      name: s.name,
      service: s.service,
      status: STATUS_CODE_NAMES[s.statusCode] ?? 'unset',
      startTimeUnixNano: s.startTimeUnixNano.toString(),
      durationNs: s.durationNs.toString(),
      attributes: s.attributes.map(({ key, value }) => ({ key, value: valueJson(value) })),
    })),
  };
}

export function summaryJson(s: TraceSummary): wire.TraceSummary {
  return {
    traceId: s.traceId,
    rootService: s.rootService,
    rootName: s.rootName,
    startTimeUnixNano: s.startTimeUnixNano.toString(),
    start: new Date(Number(s.startTimeUnixNano / 1_000_000n)).toISOString(),
    durationMs: durationMs(s.endTimeUnixNano - s.startTimeUnixNano),
    spanCount: s.spanCount,
    errorCount: s.errorCount,
    services: s.services,
  };
}

export function spanJson(s: SpanRecord): wire.Span {
  const { serviceName, ...resource } = s.resource;
  return {
    traceId: s.traceId,
    spanId: s.spanId,
    parentSpanId: s.parentSpanId === '' ? null : s.parentSpanId,
    name: s.name,
    kind: SPAN_KIND_NAMES[s.kind] ?? 'unspecified',
    service: serviceName,
    startTimeUnixNano: s.startTimeUnixNano.toString(),
    endTimeUnixNano: s.endTimeUnixNano.toString(),
    durationNs: (s.endTimeUnixNano - s.startTimeUnixNano).toString(),
    durationMs: durationMs(s.endTimeUnixNano - s.startTimeUnixNano),
    status: { code: STATUS_CODE_NAMES[s.statusCode] ?? 'unset', message: s.statusMessage },
    traceState: s.traceState,
    flags: s.flags,
    attributes: s.attributes,
    droppedAttributesCount: s.droppedAttributesCount,
    events: s.events.map((e) => ({ ...e, timeUnixNano: e.timeUnixNano.toString() })),
    droppedEventsCount: s.droppedEventsCount,
    links: s.links,
    droppedLinksCount: s.droppedLinksCount,
    resource,
    scope: s.scope,
  };
}

/** The summary of a whole trace, from its spans. */
export function summarizeSpans(spans: SpanRecord[]): TraceSummary {
  const part = [...tracePartsOf(spans).values()][0]!;
  return {
    traceId: part.traceId,
    rootService: part.rootService ?? '',
    rootName: part.rootName ?? MISSING_ROOT_NAME,
    startTimeUnixNano: part.startNs,
    endTimeUnixNano: part.endNs,
    spanCount: part.spanCount,
    errorCount: part.errorCount,
    services: [...part.services]
      .map(([name, c]) => ({ name, ...c }))
      .sort((a, b) => b.spanCount - a.spanCount || a.name.localeCompare(b.name)),
  };
}

export function traceDetailJson(spans: SpanRecord[]): wire.TraceDetail {
  return { ...summaryJson(summarizeSpans(spans)), spans: spans.map(spanJson) };
}

export function logJson(l: LogRecordData): wire.LogRecord {
  const { serviceName, ...resource } = l.resource;
  return {
    timeUnixNano: l.timeUnixNano.toString(),
    observedTimeUnixNano: l.observedTimeUnixNano.toString(),
    severityNumber: l.severityNumber,
    severityText: l.severityText,
    body: l.body,
    attributes: l.attributes,
    droppedAttributesCount: l.droppedAttributesCount,
    flags: l.flags,
    traceId: l.traceId === '' ? null : l.traceId,
    spanId: l.spanId === '' ? null : l.spanId,
    eventName: l.eventName,
    service: serviceName,
    resource,
    scope: l.scope,
  };
}
