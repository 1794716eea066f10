/** OTLP/JSON ExportTraceServiceRequest → SpanRecord[]. */
import type { DecodedTraces, Resource, Scope, SpanEvent, SpanLink, SpanRecord } from '../model.js';
import { withPath } from './errors.js';
import { spanProblem } from './ids.js';
import { type JsonSignal, convertEnvelope } from './json-envelope.js';
import { decodeJsonWith } from './json-parse.js';
import {
  asArray,
  asEnum,
  asHexId,
  asObject,
  asString,
  asUint32,
  asUint64,
  field,
  readKeyValues,
} from './json-values.js';

export const SPAN_KIND_ENUM: Record<string, number> = {
  SPAN_KIND_UNSPECIFIED: 0,
  SPAN_KIND_INTERNAL: 1,
  SPAN_KIND_SERVER: 2,
  SPAN_KIND_CLIENT: 3,
  SPAN_KIND_PRODUCER: 4,
  SPAN_KIND_CONSUMER: 5,
};
export const STATUS_CODE_ENUM: Record<string, number> = { STATUS_CODE_UNSET: 0, STATUS_CODE_OK: 1, STATUS_CODE_ERROR: 2 };

const SIGNAL: JsonSignal<SpanRecord> = {
  resourceField: ['resourceSpans', 'resource_spans'], scopeField: ['scopeSpans', 'scope_spans'], recordField: ['spans', 'spans'],
  convertRecord: convertSpan,
  problem: (s) => spanProblem(s.traceId, s.spanId, s.parentSpanId, s.startTimeUnixNano, s.endTimeUnixNano),
};

export function decodeTracesJson(text: string): DecodedTraces {
  return decodeJsonWith(text, (root) => {
    const { records, rejected, rejectReasons } = convertEnvelope(root, SIGNAL);
    return { spans: records, rejected, rejectReasons };
  });
}

function convertSpan(v: unknown, resource: Resource, scope: Scope): SpanRecord {
  const o = asObject(v, '') ?? {};
  const status = asObject(o.status, 'status');
  let statusCode = 0;
  let statusMessage = '';
  if (status !== null) {
    statusCode = asEnum(status.code, 'status.code', STATUS_CODE_ENUM);
    statusMessage = asString(status.message, 'status.message');
  }
  const evs = asArray(o.events, 'events');
  const events: SpanEvent[] = new Array(evs.length);
  for (let i = 0; i < evs.length; i++) {
    try {
      const e = asObject(evs[i], '') ?? {};
      events[i] = {
        timeUnixNano: asUint64(field(e, 'timeUnixNano', 'time_unix_nano'), 'timeUnixNano'),
        name: asString(e.name, 'name'),
        attributes: readKeyValues(e.attributes, 'attributes'),
        droppedAttributesCount: asUint32(field(e, 'droppedAttributesCount', 'dropped_attributes_count'), 'droppedAttributesCount'),
      };
    } catch (err) {
      throw withPath(err, `events[${i}]`);
    }
  }
  const lks = asArray(o.links, 'links');
  const links: SpanLink[] = new Array(lks.length);
  for (let i = 0; i < lks.length; i++) {
    try {
      const l = asObject(lks[i], '') ?? {};
      links[i] = {
        traceId: asHexId(field(l, 'traceId', 'trace_id'), 'traceId'),
        spanId: asHexId(field(l, 'spanId', 'span_id'), 'spanId'),
        traceState: asString(field(l, 'traceState', 'trace_state'), 'traceState'),
        flags: asUint32(l.flags, 'flags'),
        attributes: readKeyValues(l.attributes, 'attributes'),
        droppedAttributesCount: asUint32(field(l, 'droppedAttributesCount', 'dropped_attributes_count'), 'droppedAttributesCount'),
      };
    } catch (err) {
      throw withPath(err, `links[${i}]`);
    }
  }
  return {
    traceId: asHexId(field(o, 'traceId', 'trace_id'), 'traceId'),
    spanId: asHexId(field(o, 'spanId', 'span_id'), 'spanId'),
    parentSpanId: asHexId(field(o, 'parentSpanId', 'parent_span_id'), 'parentSpanId'),
    traceState: asString(field(o, 'traceState', 'trace_state'), 'traceState'),
    flags: asUint32(o.flags, 'flags'),
    name: asString(o.name, 'name'),
    kind: asEnum(o.kind, 'kind', SPAN_KIND_ENUM),
    startTimeUnixNano: asUint64(field(o, 'startTimeUnixNano', 'start_time_unix_nano'), 'startTimeUnixNano'),
    endTimeUnixNano: asUint64(field(o, 'endTimeUnixNano', 'end_time_unix_nano'), 'endTimeUnixNano'),
    attributes: readKeyValues(o.attributes, 'attributes'),
    droppedAttributesCount: asUint32(field(o, 'droppedAttributesCount', 'dropped_attributes_count'), 'droppedAttributesCount'),
    events,
    droppedEventsCount: asUint32(field(o, 'droppedEventsCount', 'dropped_events_count'), 'droppedEventsCount'),
    links,
    droppedLinksCount: asUint32(field(o, 'droppedLinksCount', 'dropped_links_count'), 'droppedLinksCount'),
    statusCode,
    statusMessage,
    resource,
    scope,
  };
}
