/**
 * opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest (wire-identical
 * to LogsData) → LogRecordData[], in one pass over the bytes.
 */
import type { AnyValue, Attribute, DecodedLogs, LogRecordData, Resource, Scope } from '../model.js';
import { Rejections, toDecodeError, withPath } from './errors.js';
import { logIdProblem, normalizeLogSpanId, normalizeLogTraceId } from './ids.js';
import { readAnyValue, readAttributeInto, readResourceInto, readScopeInto } from './pb-common.js';
import {
  type PbReader,
  WT_FIXED32,
  WT_FIXED64,
  WT_LEN,
  WT_VARINT,
  checkEnd,
  createReader,
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
import { newResource, newScope, serviceNameOf } from './values.js';

export function decodeLogsProtobuf(body: Uint8Array): DecodedLogs {
  const logs: LogRecordData[] = [];
  const rejections = new Rejections();
  const r = createReader(body);
  try {
    let ri = 0;
    while (r.pos < r.len) {
      const tag = readTag(r);
      if (tag >>> 3 === 1) {
        expectWire(tag, WT_LEN, 'resourceLogs');
        const e = readLenEnd(r, r.len);
        try {
          readResourceLogs(r, e, logs, rejections, ri);
        } catch (err) {
          throw withPath(err, `resourceLogs[${ri}]`);
        }
        ri++;
      } else skipField(r, tag);
    }
    checkEnd(r, r.len);
  } catch (err) {
    throw toDecodeError(err);
  }
  return { logs, rejected: rejections.count, rejectReasons: rejections.reasons };
}

function readResourceLogs(r: PbReader, end: number, out: LogRecordData[], rej: Rejections, ri: number): void {
  const resource = newResource();
  let si = 0;
  while (r.pos < end) {
    const tag = readTag(r);
    switch (tag >>> 3) {
      case 1: {
        expectWire(tag, WT_LEN, 'resource');
        const e = readLenEnd(r, end);
        try {
          readResourceInto(r, e, resource);
        } catch (err) {
          throw withPath(err, 'resource');
        }
        break;
      }
      case 2: {
        expectWire(tag, WT_LEN, 'scopeLogs');
        const e = readLenEnd(r, end);
        try {
          readScopeLogs(r, e, resource, out, rej, ri, si);
        } catch (err) {
          throw withPath(err, `scopeLogs[${si}]`);
        }
        si++;
        break;
      }
      case 3:
        expectWire(tag, WT_LEN, 'schemaUrl');
        resource.schemaUrl = readString(r, end);
        break;
      default:
        skipField(r, tag);
    }
  }
  checkEnd(r, end);
  resource.serviceName = serviceNameOf(resource.attributes);
}

function readScopeLogs(
  r: PbReader,
  end: number,
  resource: Resource,
  out: LogRecordData[],
  rej: Rejections,
  ri: number,
  si: number,
): void {
  const scope = newScope();
  let i = 0;
  while (r.pos < end) {
    const tag = readTag(r);
    switch (tag >>> 3) {
      case 1: {
        expectWire(tag, WT_LEN, 'scope');
        const e = readLenEnd(r, end);
        try {
          readScopeInto(r, e, scope);
        } catch (err) {
          throw withPath(err, 'scope');
        }
        break;
      }
      case 2: {
        expectWire(tag, WT_LEN, 'logRecords');
        const e = readLenEnd(r, end);
        let rec: LogRecordData;
        try {
          rec = readLogRecord(r, e, resource, scope);
        } catch (err) {
          throw withPath(err, `logRecords[${i}]`);
        }
        const problem = logIdProblem(rec.traceId, rec.spanId);
        if (problem === null) out.push(rec);
        else rej.add(`resourceLogs[${ri}].scopeLogs[${si}].logRecords[${i}]: ${problem}`);
        i++;
        break;
      }
      case 3:
        expectWire(tag, WT_LEN, 'schemaUrl');
        scope.schemaUrl = readString(r, end);
        break;
      default:
        skipField(r, tag);
    }
  }
  checkEnd(r, end);
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
