/**
 * SpanRecord[] / LogRecordData[] → OTLP/JSON objects (hex ids, int64 as decimal
 * strings, enums as integers, default values omitted). JSON.stringify-safe.
 */
import type { AnyValue, Attribute, LogRecordData, Resource, Scope, SpanRecord } from '../model.js';
import { groupByResourceAndScope } from './group.js';

type JsonObj = Record<string, unknown>;

export function jsonAnyValue(v: AnyValue): JsonObj {
  switch (v.type) {
    case 'string':
      return { stringValue: v.value };
    case 'bool':
      return { boolValue: v.value };
    case 'int':
      return { intValue: v.value };
    case 'double':
      // 'NaN' / 'Infinity' / '-Infinity' are already their proto3 JSON spelling.
      return { doubleValue: v.value };
    case 'bytes':
      return { bytesValue: v.value };
    case 'array':
      return { arrayValue: { values: v.value.map(jsonAnyValue) } };
    case 'kvlist':
      return { kvlistValue: { values: jsonAttributes(v.value) } };
    default:
      return {};
  }
}

export function jsonAttributes(attrs: Attribute[]): JsonObj[] {
  return attrs.map((a) => ({ key: a.key, value: jsonAnyValue(a.value) }));
}

function put(o: JsonObj, key: string, v: unknown): void {
  if (v === '' || v === 0 || v === undefined) return;
  if (Array.isArray(v) && v.length === 0) return;
  o[key] = v;
}

function jsonResource(r: Resource): JsonObj {
  const o: JsonObj = { attributes: jsonAttributes(r.attributes) };
  put(o, 'droppedAttributesCount', r.droppedAttributesCount);
  return o;
}

function jsonScope(s: Scope): JsonObj {
  const o: JsonObj = {};
  put(o, 'name', s.name);
  put(o, 'version', s.version);
  put(o, 'attributes', jsonAttributes(s.attributes));
  put(o, 'droppedAttributesCount', s.droppedAttributesCount);
  return o;
}

export function jsonSpan(s: SpanRecord): JsonObj {
  const o: JsonObj = { traceId: s.traceId, spanId: s.spanId };
  put(o, 'parentSpanId', s.parentSpanId);
  put(o, 'traceState', s.traceState);
  put(o, 'flags', s.flags);
  o.name = s.name;
  o.kind = s.kind;
  o.startTimeUnixNano = s.startTimeUnixNano.toString();
  o.endTimeUnixNano = s.endTimeUnixNano.toString();
  o.attributes = jsonAttributes(s.attributes);
  put(o, 'droppedAttributesCount', s.droppedAttributesCount);
  put(
    o,
    'events',
    s.events.map((e) => {
      const eo: JsonObj = { timeUnixNano: e.timeUnixNano.toString(), name: e.name };
      put(eo, 'attributes', jsonAttributes(e.attributes));
      put(eo, 'droppedAttributesCount', e.droppedAttributesCount);
      return eo;
    }),
  );
  put(o, 'droppedEventsCount', s.droppedEventsCount);
  put(
    o,
    'links',
    s.links.map((l) => {
      const lo: JsonObj = { traceId: l.traceId, spanId: l.spanId };
      put(lo, 'traceState', l.traceState);
      put(lo, 'attributes', jsonAttributes(l.attributes));
      put(lo, 'droppedAttributesCount', l.droppedAttributesCount);
      put(lo, 'flags', l.flags);
      return lo;
    }),
  );
  put(o, 'droppedLinksCount', s.droppedLinksCount);
  const status: JsonObj = {};
  put(status, 'code', s.statusCode);
  put(status, 'message', s.statusMessage);
  o.status = status;
  return o;
}

function jsonLogRecord(l: LogRecordData): JsonObj {
  const o: JsonObj = {
    timeUnixNano: l.timeUnixNano.toString(),
    observedTimeUnixNano: l.observedTimeUnixNano.toString(),
  };
  put(o, 'severityNumber', l.severityNumber);
  put(o, 'severityText', l.severityText);
  if (l.body.type !== 'empty') o.body = jsonAnyValue(l.body);
  put(o, 'attributes', jsonAttributes(l.attributes));
  put(o, 'droppedAttributesCount', l.droppedAttributesCount);
  put(o, 'flags', l.flags);
  put(o, 'traceId', l.traceId);
  put(o, 'spanId', l.spanId);
  put(o, 'eventName', l.eventName);
  return o;
}

/** OTLP/JSON ExportTraceServiceRequest (= TracesData) object. */
export function encodeTracesJson(spans: SpanRecord[]): { resourceSpans: JsonObj[] } {
  return {
    resourceSpans: groupByResourceAndScope(spans).map((rg) => {
      const o: JsonObj = { resource: jsonResource(rg.resource) };
      o.scopeSpans = rg.scopes.map((sg) => {
        const so: JsonObj = { scope: jsonScope(sg.scope), spans: sg.items.map(jsonSpan) };
        put(so, 'schemaUrl', sg.scope.schemaUrl);
        return so;
      });
      put(o, 'schemaUrl', rg.resource.schemaUrl);
      return o;
    }),
  };
}

export function encodeLogsJson(logs: LogRecordData[]): { resourceLogs: JsonObj[] } {
  return {
    resourceLogs: groupByResourceAndScope(logs).map((rg) => {
      const o: JsonObj = { resource: jsonResource(rg.resource) };
      o.scopeLogs = rg.scopes.map((sg) => {
        const so: JsonObj = { scope: jsonScope(sg.scope), logRecords: sg.items.map(jsonLogRecord) };
        put(so, 'schemaUrl', sg.scope.schemaUrl);
        return so;
      });
      put(o, 'schemaUrl', rg.resource.schemaUrl);
      return o;
    }),
  };
}
