/**
 * SpanRecord[] → tempopb.Trace in proto3 JSON (what Tempo answers on
 * /api/traces/{id} and inside /api/v2/traces/{id} without
 * `Accept: application/protobuf`). Proto3 JSON differs from OTLP/JSON in
 * three ways that matter: ids are base64 (they are `bytes`), enums are names
 * (`SPAN_KIND_SERVER`), and default values are omitted. Attribute values are
 * the same in both, so they come from the OTLP/JSON encoder.
 */
import type { SpanRecord } from '../model.js';
import { jsonAttributes as attributesToProto3Json } from '../otlp/encode-json.js';
import { groupByResourceAndScope } from '../otlp/group.js';
import { hexToBase64 } from './ids.js';

export type JsonObject = Record<string, unknown>;

const KIND_ENUM = [
  'SPAN_KIND_UNSPECIFIED',
  'SPAN_KIND_INTERNAL',
  'SPAN_KIND_SERVER',
  'SPAN_KIND_CLIENT',
  'SPAN_KIND_PRODUCER',
  'SPAN_KIND_CONSUMER',
];
const STATUS_ENUM = ['STATUS_CODE_UNSET', 'STATUS_CODE_OK', 'STATUS_CODE_ERROR'];

/** Sets `obj[key] = value` unless value is a proto3 default (omitted on the wire). */
function put(obj: JsonObject, key: string, value: unknown): void {
  if (value === '' || value === 0 || value === undefined) return;
  if (Array.isArray(value) && value.length === 0) return;
  obj[key] = value;
}

function spanToProto3Json(s: SpanRecord): JsonObject {
  const out: JsonObject = {};
  put(out, 'traceId', hexToBase64(s.traceId));
  put(out, 'spanId', hexToBase64(s.spanId));
  put(out, 'traceState', s.traceState);
  put(out, 'parentSpanId', hexToBase64(s.parentSpanId));
  put(out, 'flags', s.flags);
  put(out, 'name', s.name);
  put(out, 'kind', s.kind === 0 ? undefined : (KIND_ENUM[s.kind] ?? undefined));
  put(out, 'startTimeUnixNano', s.startTimeUnixNano === 0n ? undefined : s.startTimeUnixNano.toString());
  put(out, 'endTimeUnixNano', s.endTimeUnixNano === 0n ? undefined : s.endTimeUnixNano.toString());
  put(out, 'attributes', attributesToProto3Json(s.attributes));
  put(out, 'droppedAttributesCount', s.droppedAttributesCount);
  put(
    out,
    'events',
    s.events.map((e) => {
      const ev: JsonObject = {};
      put(ev, 'timeUnixNano', e.timeUnixNano === 0n ? undefined : e.timeUnixNano.toString());
      put(ev, 'name', e.name);
      put(ev, 'attributes', attributesToProto3Json(e.attributes));
      put(ev, 'droppedAttributesCount', e.droppedAttributesCount);
      return ev;
    }),
  );
  put(out, 'droppedEventsCount', s.droppedEventsCount);
  put(
    out,
    'links',
    s.links.map((l) => {
      const link: JsonObject = {};
      put(link, 'traceId', hexToBase64(l.traceId));
      put(link, 'spanId', hexToBase64(l.spanId));
      put(link, 'traceState', l.traceState);
      put(link, 'attributes', attributesToProto3Json(l.attributes));
      put(link, 'droppedAttributesCount', l.droppedAttributesCount);
      put(link, 'flags', l.flags);
      return link;
    }),
  );
  put(out, 'droppedLinksCount', s.droppedLinksCount);
  const status: JsonObject = {};
  put(status, 'message', s.statusMessage);
  put(status, 'code', s.statusCode === 0 ? undefined : STATUS_ENUM[s.statusCode]);
  out.status = status;
  return out;
}

/** The `resourceSpans` array of a tempopb.Trace. */
export function spansToTempoResourceSpans(spans: SpanRecord[]): JsonObject[] {
  return groupByResourceAndScope(spans).map((g) => {
    const resource: JsonObject = {};
    put(resource, 'attributes', attributesToProto3Json(g.resource.attributes));
    put(resource, 'droppedAttributesCount', g.resource.droppedAttributesCount);
    const rs: JsonObject = {
      resource,
      scopeSpans: g.scopes.map((sg) => {
        const scope: JsonObject = {};
        put(scope, 'name', sg.scope.name);
        put(scope, 'version', sg.scope.version);
        put(scope, 'attributes', attributesToProto3Json(sg.scope.attributes));
        put(scope, 'droppedAttributesCount', sg.scope.droppedAttributesCount);
        const ss: JsonObject = { scope, spans: sg.items.map(spanToProto3Json) };
        put(ss, 'schemaUrl', sg.scope.schemaUrl);
        return ss;
      }),
    };
    put(rs, 'schemaUrl', g.resource.schemaUrl);
    return rs;
  });
}

/** tempopb.Trace (v1 body) */
export function spansToTempoTraceJson(spans: SpanRecord[]): JsonObject {
  return { resourceSpans: spansToTempoResourceSpans(spans) };
}

/** tempopb.TraceByIDResponse (v2 body); status COMPLETE is the default and so omitted. */
export function spansToTempoTraceByIdJson(spans: SpanRecord[]): JsonObject {
  return { trace: spansToTempoTraceJson(spans), metrics: {} };
}
