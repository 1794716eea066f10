/**
 * SpanRecord[] / LogRecordData[] → OTLP protobuf (ExportTraceServiceRequest,
 * wire-identical to TracesData and Tempo's tempopb.Trace; ExportLogsServiceRequest).
 *
 * Written directly on protobufjs's Writer with the field numbers of the .proto
 * files in apps/tracehub/proto: building protobufjs message objects first was
 * 3-4x slower, and the Tempo API encodes whole traces per request. Default
 * values are omitted, as proto3 encoders do. roundtrip.test.ts checks the output
 * against protobufjs reflection over the .proto files.
 */
import protobuf from 'protobufjs/minimal.js';
import type { AnyValue, Attribute, LogRecordData, Resource, Scope, SpanEvent, SpanLink, SpanRecord } from '../model.js';
import { groupByResourceAndScope } from './group.js';
import { doubleNumber } from './values.js';

type Writer = protobuf.Writer;

// Tags: (field number << 3) | wire type (0 varint, 1 fixed64, 2 length-delimited, 5 fixed32).
const tag = (field: number, wire: number) => (field << 3) | wire;

interface Bits {
  low: number;
  high: number;
}
const ZERO_BITS: Bits = { low: 0, high: 0 };

function u64Bits(v: bigint): Bits {
  const x = BigInt.asUintN(64, v);
  return { low: Number(x & 0xffffffffn), high: Number(x >> 32n) };
}

function i64Bits(decimal: string): Bits | number {
  // Up to 15 digits is a safe JS integer: protobufjs handles numbers directly.
  if (decimal.length < 16) return Number(decimal);
  return u64Bits(BigInt(decimal));
}

function writeString(w: Writer, field: number, s: string): void {
  if (s !== '') w.uint32(tag(field, 2)).string(s);
}

function writeUint32(w: Writer, field: number, n: number): void {
  if (n !== 0) w.uint32(tag(field, 0)).uint32(n);
}

function writeEnum(w: Writer, field: number, n: number): void {
  if (n !== 0) w.uint32(tag(field, 0)).int32(n);
}

function writeFixed32(w: Writer, field: number, n: number): void {
  if (n !== 0) w.uint32(tag(field, 5)).fixed32(n);
}

function writeFixed64(w: Writer, field: number, v: bigint): void {
  if (v !== 0n) w.uint32(tag(field, 1)).fixed64(u64Bits(v) as unknown as number);
}

function writeId(w: Writer, field: number, hex: string): void {
  if (hex !== '') w.uint32(tag(field, 2)).bytes(Buffer.from(hex, 'hex'));
}

function writeAnyValue(w: Writer, v: AnyValue): void {
  switch (v.type) {
    case 'string':
      w.uint32(tag(1, 2)).string(v.value); // oneof: written even when empty
      break;
    case 'bool':
      w.uint32(tag(2, 0)).bool(v.value);
      break;
    case 'int':
      w.uint32(tag(3, 0)).int64(i64Bits(v.value) as number);
      break;
    case 'double':
      w.uint32(tag(4, 1)).double(doubleNumber(v.value));
      break;
    case 'array':
      w.uint32(tag(5, 2)).fork();
      for (const item of v.value) {
        w.uint32(tag(1, 2)).fork();
        writeAnyValue(w, item);
        w.ldelim();
      }
      w.ldelim();
      break;
    case 'kvlist':
      w.uint32(tag(6, 2)).fork();
      writeAttributes(w, 1, v.value);
      w.ldelim();
      break;
    case 'bytes':
      w.uint32(tag(7, 2)).bytes(Buffer.from(v.value, 'base64'));
      break;
    default:
      break; // empty: no field set
  }
}

function writeAttributes(w: Writer, field: number, attrs: Attribute[]): void {
  for (const a of attrs) {
    w.uint32(tag(field, 2)).fork();
    writeString(w, 1, a.key);
    w.uint32(tag(2, 2)).fork();
    writeAnyValue(w, a.value);
    w.ldelim();
    w.ldelim();
  }
}

function writeResource(w: Writer, field: number, r: Resource): void {
  w.uint32(tag(field, 2)).fork();
  writeAttributes(w, 1, r.attributes);
  writeUint32(w, 2, r.droppedAttributesCount);
  w.ldelim();
}

function writeScope(w: Writer, field: number, s: Scope): void {
  w.uint32(tag(field, 2)).fork();
  writeString(w, 1, s.name);
  writeString(w, 2, s.version);
  writeAttributes(w, 3, s.attributes);
  writeUint32(w, 4, s.droppedAttributesCount);
  w.ldelim();
}

function writeEvent(w: Writer, e: SpanEvent): void {
  w.uint32(tag(11, 2)).fork();
  writeFixed64(w, 1, e.timeUnixNano);
  writeString(w, 2, e.name);
  writeAttributes(w, 3, e.attributes);
  writeUint32(w, 4, e.droppedAttributesCount);
  w.ldelim();
}

function writeLink(w: Writer, l: SpanLink): void {
  w.uint32(tag(13, 2)).fork();
  writeId(w, 1, l.traceId);
  writeId(w, 2, l.spanId);
  writeString(w, 3, l.traceState);
  writeAttributes(w, 4, l.attributes);
  writeUint32(w, 5, l.droppedAttributesCount);
  writeFixed32(w, 6, l.flags);
  w.ldelim();
}

function writeSpan(w: Writer, s: SpanRecord): void {
  w.uint32(tag(2, 2)).fork();
  writeId(w, 1, s.traceId);
  writeId(w, 2, s.spanId);
  writeString(w, 3, s.traceState);
  writeId(w, 4, s.parentSpanId);
  writeString(w, 5, s.name);
  writeEnum(w, 6, s.kind);
  // Timestamps are always written: 0 and "absent" mean the same, but explicit is clearer to readers.
  w.uint32(tag(7, 1)).fixed64((s.startTimeUnixNano === 0n ? ZERO_BITS : u64Bits(s.startTimeUnixNano)) as unknown as number);
  w.uint32(tag(8, 1)).fixed64((s.endTimeUnixNano === 0n ? ZERO_BITS : u64Bits(s.endTimeUnixNano)) as unknown as number);
  writeAttributes(w, 9, s.attributes);
  writeUint32(w, 10, s.droppedAttributesCount);
  for (const e of s.events) writeEvent(w, e);
  writeUint32(w, 12, s.droppedEventsCount);
  for (const l of s.links) writeLink(w, l);
  writeUint32(w, 14, s.droppedLinksCount);
  if (s.statusCode !== 0 || s.statusMessage !== '') {
    w.uint32(tag(15, 2)).fork();
    writeString(w, 2, s.statusMessage);
    writeEnum(w, 3, s.statusCode);
    w.ldelim();
  }
  writeFixed32(w, 16, s.flags);
  w.ldelim();
}

function writeLogRecord(w: Writer, l: LogRecordData): void {
  w.uint32(tag(2, 2)).fork();
  writeFixed64(w, 1, l.timeUnixNano);
  writeEnum(w, 2, l.severityNumber);
  writeString(w, 3, l.severityText);
  if (l.body.type !== 'empty') {
    w.uint32(tag(5, 2)).fork();
    writeAnyValue(w, l.body);
    w.ldelim();
  }
  writeAttributes(w, 6, l.attributes);
  writeUint32(w, 7, l.droppedAttributesCount);
  writeFixed32(w, 8, l.flags);
  writeId(w, 9, l.traceId);
  writeId(w, 10, l.spanId);
  writeFixed64(w, 11, l.observedTimeUnixNano);
  writeString(w, 12, l.eventName);
  w.ldelim();
}

function encodeGrouped<T extends { resource: Resource; scope: Scope }>(items: T[], writeItem: (w: Writer, item: T) => void): Uint8Array {
  const w = protobuf.Writer.create();
  for (const rg of groupByResourceAndScope(items)) {
    w.uint32(tag(1, 2)).fork(); // resource_spans / resource_logs
    writeResource(w, 1, rg.resource);
    for (const sg of rg.scopes) {
      w.uint32(tag(2, 2)).fork(); // scope_spans / scope_logs
      writeScope(w, 1, sg.scope);
      for (const item of sg.items) writeItem(w, item); // field 2: spans / log_records
      writeString(w, 3, sg.scope.schemaUrl);
      w.ldelim();
    }
    writeString(w, 3, rg.resource.schemaUrl);
    w.ldelim();
  }
  return w.finish();
}

export function encodeTracesProtobuf(spans: SpanRecord[]): Uint8Array {
  return encodeGrouped(spans, writeSpan);
}

export function encodeLogsProtobuf(logs: LogRecordData[]): Uint8Array {
  return encodeGrouped(logs, writeLogRecord);
}
