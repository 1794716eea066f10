/** OTLP/JSON ExportLogsServiceRequest → LogRecordData[]. */
import type { DecodedLogs, LogRecordData, Resource, Scope } from '../model.js';
import { logIdProblem, normalizeLogSpanId, normalizeLogTraceId } from './ids.js';
import { type JsonSignal, convertEnvelope } from './json-envelope.js';
import { decodeJsonWith } from './json-parse.js';
import {
  asEnum,
  asHexId,
  asObject,
  asString,
  asUint32,
  asUint64,
  field,
  readAnyValue,
  readKeyValues,
} from './json-values.js';

export const SEVERITY_NUMBER_ENUM: Record<string, number> = Object.fromEntries(
  ['UNSPECIFIED', ...['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'].flatMap((l) => [l, `${l}2`, `${l}3`, `${l}4`])].map(
    (n, i) => [`SEVERITY_NUMBER_${n}`, i],
  ),
);

const SIGNAL: JsonSignal<LogRecordData> = {
  resourceField: ['resourceLogs', 'resource_logs'], scopeField: ['scopeLogs', 'scope_logs'], recordField: ['logRecords', 'log_records'],
  convertRecord: convertLogRecord,
  problem: (s) => logIdProblem(s.traceId, s.spanId),
};

export function decodeLogsJson(text: string): DecodedLogs {
  return decodeJsonWith(text, (root) => {
    const { records, rejected, rejectReasons } = convertEnvelope(root, SIGNAL);
    return { logs: records, rejected, rejectReasons };
  });
}

function convertLogRecord(v: unknown, resource: Resource, scope: Scope): LogRecordData {
  const o = asObject(v, '') ?? {};
  return {
    timeUnixNano: asUint64(field(o, 'timeUnixNano', 'time_unix_nano'), 'timeUnixNano'),
    observedTimeUnixNano: asUint64(field(o, 'observedTimeUnixNano', 'observed_time_unix_nano'), 'observedTimeUnixNano'),
    severityNumber: asEnum(field(o, 'severityNumber', 'severity_number'), 'severityNumber', SEVERITY_NUMBER_ENUM),
    severityText: asString(field(o, 'severityText', 'severity_text'), 'severityText'),
    body: readAnyValue(o.body, 'body', 0),
    attributes: readKeyValues(o.attributes, 'attributes'),
    droppedAttributesCount: asUint32(field(o, 'droppedAttributesCount', 'dropped_attributes_count'), 'droppedAttributesCount'),
    flags: asUint32(o.flags, 'flags'),
    traceId: normalizeLogTraceId(asHexId(field(o, 'traceId', 'trace_id'), 'traceId')),
    spanId: normalizeLogSpanId(asHexId(field(o, 'spanId', 'span_id'), 'spanId')),
    eventName: asString(field(o, 'eventName', 'event_name'), 'eventName'),
    resource,
    scope,
  };
}
