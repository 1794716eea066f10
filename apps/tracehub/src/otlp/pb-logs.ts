/**
 * opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest (wire-identical
 * to LogsData) → LogRecordData[], in one pass over the bytes.
 */
import type { AnyValue, Attribute, DecodedLogs, LogRecordData, Resource, Scope } from '../model.js';
import { withPath } from './errors.js';
import { logIdProblem, normalizeLogSpanId, normalizeLogTraceId } from './ids.js';
import { readAnyValue, readAttributeInto } from './pb-common.js';
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

const LOGS: Signal<LogRecordData> = {
  resourceField: 'resourceLogs',
  scopeField: 'scopeLogs',
  recordField: 'logRecords',
  readRecord: readLogRecord,
  problem: (s) => logIdProblem(s.traceId, s.spanId),
};

export function decodeLogsProtobuf(body: Uint8Array): DecodedLogs {
  const { records, rejected, rejectReasons } = decodeEnvelope(body, LOGS);
  return { logs: records, rejected, rejectReasons };
}

function readLogRecord(r: PbReader, end: number, resource: Resource, scope: Scope): LogRecordData {
  let timeUnixNano = 0n;
  let observedTimeUnixNano = 0n;
  let severityNumber = 0;
  let severityText = '';
  let body: AnyValue = { type: 'empty' };
  const attributes: Attribute[] = [];
  let droppedAttributesCount = 0;
  let flags = 0;
  let traceId = '';
  let spanId = '';
  let eventName = '';
  while (r.pos < end) {
    const tag = readTag(r);
    switch (tag >>> 3) {
      case 1:
        expectWire(tag, WT_FIXED64, 'timeUnixNano');
        timeUnixNano = readFixed64(r, end);
        break;
      case 2:
        expectWire(tag, WT_VARINT, 'severityNumber');
        severityNumber = readEnum(r);
        break;
      case 3:
        expectWire(tag, WT_LEN, 'severityText');
        severityText = readString(r, end);
        break;
      case 5: {
        expectWire(tag, WT_LEN, 'body');
        const e = readLenEnd(r, end);
        try {
          body = readAnyValue(r, e, 0);
        } catch (err) {
          throw withPath(err, 'body');
        }
        break;
      }
      case 6:
        expectWire(tag, WT_LEN, 'attributes');
        readAttributeInto(r, end, attributes);
        break;
      case 7:
        expectWire(tag, WT_VARINT, 'droppedAttributesCount');
        droppedAttributesCount = readUint32(r);
        break;
      case 8:
        expectWire(tag, WT_FIXED32, 'flags');
        flags = readFixed32(r, end);
        break;
      case 9:
        expectWire(tag, WT_LEN, 'traceId');
        traceId = normalizeLogTraceId(readHex(r, end));
        break;
      case 10:
        expectWire(tag, WT_LEN, 'spanId');
        spanId = normalizeLogSpanId(readHex(r, end));
        break;
      case 11:
        expectWire(tag, WT_FIXED64, 'observedTimeUnixNano');
        observedTimeUnixNano = readFixed64(r, end);
        break;
      case 12:
        expectWire(tag, WT_LEN, 'eventName');
        eventName = readString(r, end);
        break;
      default:
        skipField(r, tag);
    }
  }
  checkEnd(r, end);
  return {
    timeUnixNano,
    observedTimeUnixNano,
    severityNumber,
    severityText,
    body,
    attributes,
    droppedAttributesCount,
    flags,
    traceId,
    spanId,
    eventName,
    resource,
    scope,
  };
}
