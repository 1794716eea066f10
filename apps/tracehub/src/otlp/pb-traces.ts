/**
 * opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest (wire-identical
 * to TracesData) → SpanRecord[], in one pass over the bytes.
 */
import type { Attribute, DecodedTraces, Resource, Scope, SpanEvent, SpanLink, SpanRecord } from '../model.js';
import { withPath } from './errors.js';
import { spanProblem } from './ids.js';
import { readAttributeInto } from './pb-common.js';
import {
  type PbReader,
  WT_FIXED32,
  WT_FIXED64,
  WT_LEN,
  WT_VARINT,
  checkEnd,
  expectWire,
  readEnum,
  readFixed32,
  readFixed64,
  readHex,
  readLenEnd,
  readString,
  readTag,
  readUint32,
  skipField,
} from './pb-reader.js';
import { type Signal, decodeEnvelope } from './pb-envelope.js';

const TRACES: Signal<SpanRecord> = {
  resourceField: 'resourceSpans',
  scopeField: 'scopeSpans',
  recordField: 'spans',
  readRecord: readSpan,
  problem: (s) => spanProblem(s.traceId, s.spanId, s.parentSpanId, s.startTimeUnixNano, s.endTimeUnixNano),
};

export function decodeTracesProtobuf(body: Uint8Array): DecodedTraces {
  const { records, rejected, rejectReasons } = decodeEnvelope(body, TRACES);
  return { spans: records, rejected, rejectReasons };
}

function readSpan(r: PbReader, end: number, resource: Resource, scope: Scope): SpanRecord {
  let traceId = '';
  let spanId = '';
  let traceState = '';
  let parentSpanId = '';
  let flags = 0;
  let name = '';
  let kind = 0;
  let start = 0n;
  let endTime = 0n;
  const attributes: Attribute[] = [];
  let droppedAttributesCount = 0;
  const events: SpanEvent[] = [];
  let droppedEventsCount = 0;
  const links: SpanLink[] = [];
  let droppedLinksCount = 0;
  let statusCode = 0;
  let statusMessage = '';
  while (r.pos < end) {
    const tag = readTag(r);
    switch (tag >>> 3) {
      case 1:
        expectWire(tag, WT_LEN, 'traceId');
        traceId = readHex(r, end);
        break;
      case 2:
        expectWire(tag, WT_LEN, 'spanId');
        spanId = readHex(r, end);
        break;
      case 3:
        expectWire(tag, WT_LEN, 'traceState');
        traceState = readString(r, end);
        break;
      case 4:
        expectWire(tag, WT_LEN, 'parentSpanId');
        parentSpanId = readHex(r, end);
        break;
      case 5:
        expectWire(tag, WT_LEN, 'name');
        name = readString(r, end);
        break;
      case 6:
        expectWire(tag, WT_VARINT, 'kind');
        kind = readEnum(r);
        break;
      case 7:
        expectWire(tag, WT_FIXED64, 'startTimeUnixNano');
        start = readFixed64(r, end);
        break;
      case 8:
        expectWire(tag, WT_FIXED64, 'endTimeUnixNano');
        endTime = readFixed64(r, end);
        break;
      case 9:
        expectWire(tag, WT_LEN, 'attributes');
        readAttributeInto(r, end, attributes);
        break;
      case 10:
        expectWire(tag, WT_VARINT, 'droppedAttributesCount');
        droppedAttributesCount = readUint32(r);
        break;
      case 11: {
        expectWire(tag, WT_LEN, 'events');
        const e = readLenEnd(r, end);
        try {
          events.push(readEvent(r, e));
        } catch (err) {
          throw withPath(err, `events[${events.length}]`);
        }
        break;
      }
      case 12:
        expectWire(tag, WT_VARINT, 'droppedEventsCount');
        droppedEventsCount = readUint32(r);
        break;
      case 13: {
        expectWire(tag, WT_LEN, 'links');
        const e = readLenEnd(r, end);
        try {
          links.push(readLink(r, e));
        } catch (err) {
          throw withPath(err, `links[${links.length}]`);
        }
        break;
      }
      case 14:
        expectWire(tag, WT_VARINT, 'droppedLinksCount');
        droppedLinksCount = readUint32(r);
        break;
      case 15: {
        expectWire(tag, WT_LEN, 'status');
        const e = readLenEnd(r, end);
        while (r.pos < e) {
          const t = readTag(r);
          if (t >>> 3 === 2) {
            expectWire(t, WT_LEN, 'status.message');
            statusMessage = readString(r, e);
          } else if (t >>> 3 === 3) {
            expectWire(t, WT_VARINT, 'status.code');
            statusCode = readEnum(r);
          } else skipField(r, t);
        }
        checkEnd(r, e);
        break;
      }
      case 16:
        expectWire(tag, WT_FIXED32, 'flags');
        flags = readFixed32(r, end);
        break;
      default:
        skipField(r, tag);
    }
  }
  checkEnd(r, end);
  return {
    traceId,
    spanId,
    parentSpanId,
    traceState,
    flags,
    name,
    kind,
    startTimeUnixNano: start,
    endTimeUnixNano: endTime,
    attributes,
    droppedAttributesCount,
    events,
    droppedEventsCount,
    links,
    droppedLinksCount,
    statusCode,
    statusMessage,
    resource,
    scope,
  };
}

function readEvent(r: PbReader, end: number): SpanEvent {
  let timeUnixNano = 0n;
  let name = '';
  const attributes: Attribute[] = [];
  let droppedAttributesCount = 0;
  while (r.pos < end) {
    const tag = readTag(r);
    switch (tag >>> 3) {
      case 1:
        expectWire(tag, WT_FIXED64, 'timeUnixNano');
        timeUnixNano = readFixed64(r, end);
        break;
      case 2:
        expectWire(tag, WT_LEN, 'name');
        name = readString(r, end);
        break;
      case 3:
        expectWire(tag, WT_LEN, 'attributes');
        readAttributeInto(r, end, attributes);
        break;
      case 4:
        expectWire(tag, WT_VARINT, 'droppedAttributesCount');
        droppedAttributesCount = readUint32(r);
        break;
      default:
        skipField(r, tag);
    }
  }
  checkEnd(r, end);
  return { timeUnixNano, name, attributes, droppedAttributesCount };
}

function readLink(r: PbReader, end: number): SpanLink {
  let traceId = '';
  let spanId = '';
  let traceState = '';
  let flags = 0;
  const attributes: Attribute[] = [];
  let droppedAttributesCount = 0;
  while (r.pos < end) {
    const tag = readTag(r);
    switch (tag >>> 3) {
      case 1:
        expectWire(tag, WT_LEN, 'traceId');
        traceId = readHex(r, end);
        break;
      case 2:
        expectWire(tag, WT_LEN, 'spanId');
        spanId = readHex(r, end);
        break;
      case 3:
        expectWire(tag, WT_LEN, 'traceState');
        traceState = readString(r, end);
        break;
      case 4:
        expectWire(tag, WT_LEN, 'attributes');
        readAttributeInto(r, end, attributes);
        break;
      case 5:
        expectWire(tag, WT_VARINT, 'droppedAttributesCount');
        droppedAttributesCount = readUint32(r);
        break;
      case 6:
        expectWire(tag, WT_FIXED32, 'flags');
        flags = readFixed32(r, end);
        break;
      default:
        skipField(r, tag);
    }
  }
  checkEnd(r, end);
  return { traceId, spanId, traceState, flags, attributes, droppedAttributesCount };
}

