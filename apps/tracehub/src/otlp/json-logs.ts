/** OTLP/JSON ExportLogsServiceRequest → LogRecordData[]. */
import type { DecodedLogs, LogRecordData, Resource, Scope } from '../model.js';
import { Rejections, withPath } from './errors.js';
import { logIdProblem, normalizeLogSpanId, normalizeLogTraceId } from './ids.js';
import { decodeJsonWith } from './json-parse.js';
import {
  type JsonObject,
  asArray,
  asEnum,
  asHexId,
  asObject,
  asString,
  asUint32,
  asUint64,
  field,
  readAnyValue,
  readKeyValues,
  readResource,
  readScope,
} from './json-values.js';

export const SEVERITY_NUMBER_ENUM: Record<string, number> = Object.fromEntries(
  ['UNSPECIFIED', ...['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'].flatMap((l) => [l, `${l}2`, `${l}3`, `${l}4`])].map(
    (n, i) => [`SEVERITY_NUMBER_${n}`, i],
  ),
);

export function decodeLogsJson(text: string): DecodedLogs {
  return decodeJsonWith(text, convertLogs);
}

function convertLogs(root: JsonObject): DecodedLogs {
  const logs: LogRecordData[] = [];
  const rej = new Rejections();
  const rls = asArray(field(root, 'resourceLogs', 'resource_logs'), 'resourceLogs');
  for (let ri = 0; ri < rls.length; ri++) {
    try {
      const o = asObject(rls[ri], '');
      if (o === null) continue;
      const resource = readResource(o.resource, asString(field(o, 'schemaUrl', 'schema_url'), 'schemaUrl'));
      const sls = asArray(field(o, 'scopeLogs', 'scope_logs'), 'scopeLogs');
      for (let si = 0; si < sls.length; si++) {
        try {
          const sl = asObject(sls[si], '');
          if (sl === null) continue;
          const scope = readScope(sl.scope, asString(field(sl, 'schemaUrl', 'schema_url'), 'schemaUrl'));
          const list = asArray(field(sl, 'logRecords', 'log_records'), 'logRecords');
          for (let i = 0; i < list.length; i++) {
            let rec: LogRecordData;
            try {
              rec = convertLogRecord(list[i], resource, scope);
            } catch (err) {
              throw withPath(err, `logRecords[${i}]`);
            }
            const problem = logIdProblem(rec.traceId, rec.spanId);
            if (problem === null) logs.push(rec);
            else rej.add(`resourceLogs[${ri}].scopeLogs[${si}].logRecords[${i}]: ${problem}`);
          }
        } catch (err) {
          throw withPath(err, `scopeLogs[${si}]`);
        }
      }
    } catch (err) {
      throw withPath(err, `resourceLogs[${ri}]`);
    }
  }
  return { logs, rejected: rej.count, rejectReasons: rej.reasons };
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
