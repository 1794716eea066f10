/**
 * SpanRecord[] / LogRecordData[] → OTLP protobuf (ExportTraceServiceRequest,
 * wire-identical to TracesData and Tempo's tempopb.Trace; ExportLogsServiceRequest),
 * through protobufjs and the .proto definitions in apps/tracehub/proto.
 */
import type { AnyValue, Attribute, LogRecordData, Resource, Scope, SpanRecord } from '../model.js';
import { groupByResourceAndScope } from './group.js';
import { otlpTypes } from './schema.js';
import { doubleNumber } from './values.js';

/** protobufjs accepts any {low, high} object where it expects a Long. */
interface LongBits {
  low: number;
  high: number;
  unsigned: boolean;
}

function u64(v: bigint): LongBits {
  const x = BigInt.asUintN(64, v);
  return { low: Number(x & 0xffffffffn) | 0, high: Number(x >> 32n) | 0, unsigned: true };
}

function i64(decimal: string): LongBits {
  const x = BigInt.asUintN(64, BigInt(decimal));
  return { low: Number(x & 0xffffffffn) | 0, high: Number(x >> 32n) | 0, unsigned: false };
}

function idBytes(hex: string): Buffer {
  return Buffer.from(hex, 'hex');
}

type PbObject = Record<string, unknown>;

export function pbAnyValue(v: AnyValue): PbObject {
  switch (v.type) {
    case 'string':
      return { stringValue: v.value };
    case 'bool':
      return { boolValue: v.value };
    case 'int':
      return { intValue: i64(v.value) };
    case 'double':
      return { doubleValue: doubleNumber(v.value) };
    case 'bytes':
      return { bytesValue: Buffer.from(v.value, 'base64') };
    case 'array':
      return { arrayValue: { values: v.value.map(pbAnyValue) } };
    case 'kvlist':
      return { kvlistValue: { values: pbAttributes(v.value) } };
    default:
      return {};
  }
}

export function pbAttributes(attrs: Attribute[]): PbObject[] {
  return attrs.map((a) => ({ key: a.key, value: pbAnyValue(a.value) }));
}

/** Sets only non-default fields: protobufjs writes every present field. */
function put(o: PbObject, key: string, v: unknown): void {
  if (v === '' || v === 0 || v === undefined) return;
  if (Array.isArray(v) && v.length === 0) return;
  o[key] = v;
}

function pbResource(r: Resource): PbObject {
  const o: PbObject = {};
  put(o, 'attributes', pbAttributes(r.attributes));
  put(o, 'droppedAttributesCount', r.droppedAttributesCount);
  return o;
}

function pbScope(s: Scope): PbObject {
  const o: PbObject = {};
  put(o, 'name', s.name);
  put(o, 'version', s.version);
  put(o, 'attributes', pbAttributes(s.attributes));
  put(o, 'droppedAttributesCount', s.droppedAttributesCount);
  return o;
}

function pbSpan(s: SpanRecord): PbObject {
  const o: PbObject = { traceId: idBytes(s.traceId), spanId: idBytes(s.spanId) };
  put(o, 'traceState', s.traceState);
  if (s.parentSpanId !== '') o.parentSpanId = idBytes(s.parentSpanId);
  put(o, 'flags', s.flags);
  put(o, 'name', s.name);
  put(o, 'kind', s.kind);
  o.startTimeUnixNano = u64(s.startTimeUnixNano);
  o.endTimeUnixNano = u64(s.endTimeUnixNano);
  put(o, 'attributes', pbAttributes(s.attributes));
  put(o, 'droppedAttributesCount', s.droppedAttributesCount);
  put(
    o,
    'events',
    s.events.map((e) => {
      const eo: PbObject = { timeUnixNano: u64(e.timeUnixNano) };
      put(eo, 'name', e.name);
      put(eo, 'attributes', pbAttributes(e.attributes));
      put(eo, 'droppedAttributesCount', e.droppedAttributesCount);
      return eo;
    }),
  );
  put(o, 'droppedEventsCount', s.droppedEventsCount);
  put(
    o,
    'links',
    s.links.map((l) => {
      const lo: PbObject = {};
      if (l.traceId !== '') lo.traceId = idBytes(l.traceId);
      if (l.spanId !== '') lo.spanId = idBytes(l.spanId);
      put(lo, 'traceState', l.traceState);
      put(lo, 'attributes', pbAttributes(l.attributes));
      put(lo, 'droppedAttributesCount', l.droppedAttributesCount);
      put(lo, 'flags', l.flags);
      return lo;
    }),
  );
  put(o, 'droppedLinksCount', s.droppedLinksCount);
  if (s.statusCode !== 0 || s.statusMessage !== '') {
    const st: PbObject = {};
    put(st, 'code', s.statusCode);
    put(st, 'message', s.statusMessage);
    o.status = st;
  }
  return o;
}

function pbLogRecord(l: LogRecordData): PbObject {
  const o: PbObject = {};
  if (l.timeUnixNano !== 0n) o.timeUnixNano = u64(l.timeUnixNano);
  if (l.observedTimeUnixNano !== 0n) o.observedTimeUnixNano = u64(l.observedTimeUnixNano);
  put(o, 'severityNumber', l.severityNumber);
  put(o, 'severityText', l.severityText);
  if (l.body.type !== 'empty') o.body = pbAnyValue(l.body);
  put(o, 'attributes', pbAttributes(l.attributes));
  put(o, 'droppedAttributesCount', l.droppedAttributesCount);
  put(o, 'flags', l.flags);
  if (l.traceId !== '') o.traceId = idBytes(l.traceId);
  if (l.spanId !== '') o.spanId = idBytes(l.spanId);
  put(o, 'eventName', l.eventName);
  return o;
}

/** The request as protobufjs objects (also what encodeTracesProtobuf serialises). */
export function tracesRequestObject(spans: SpanRecord[]): PbObject {
  return {
    resourceSpans: groupByResourceAndScope(spans).map((rg) => {
      const o: PbObject = { resource: pbResource(rg.resource) };
      o.scopeSpans = rg.scopes.map((sg) => {
        const so: PbObject = { scope: pbScope(sg.scope), spans: sg.items.map(pbSpan) };
        put(so, 'schemaUrl', sg.scope.schemaUrl);
        return so;
      });
      put(o, 'schemaUrl', rg.resource.schemaUrl);
      return o;
    }),
  };
}

export function encodeTracesProtobuf(spans: SpanRecord[]): Uint8Array {
  const { ExportTraceServiceRequest } = otlpTypes();
  return ExportTraceServiceRequest.encode(tracesRequestObject(spans)).finish();
}

export function encodeLogsProtobuf(logs: LogRecordData[]): Uint8Array {
  const { ExportLogsServiceRequest } = otlpTypes();
  const req = {
    resourceLogs: groupByResourceAndScope(logs).map((rg) => {
      const o: PbObject = { resource: pbResource(rg.resource) };
      o.scopeLogs = rg.scopes.map((sg) => {
        const so: PbObject = { scope: pbScope(sg.scope), logRecords: sg.items.map(pbLogRecord) };
        put(so, 'schemaUrl', sg.scope.schemaUrl);
        return so;
      });
      put(o, 'schemaUrl', rg.resource.schemaUrl);
      return o;
    }),
  };
  return ExportLogsServiceRequest.encode(req).finish();
}
