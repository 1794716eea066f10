/** A span and a log record using every OTLP value type and every optional field. */
import type { AnyValue, Attribute, LogRecordData, Resource, Scope, SpanRecord } from '../../src/model.js';

export const ALL_VALUES: Attribute[] = [
  { key: 'str', value: { type: 'string', value: 'hello' } },
  { key: 'str.empty', value: { type: 'string', value: '' } },
  { key: 'str.unicode', value: { type: 'string', value: 'héllo wörld ✓ 日本 🚀' } },
  { key: 'bool.true', value: { type: 'bool', value: true } },
  { key: 'bool.false', value: { type: 'bool', value: false } },
  { key: 'int.zero', value: { type: 'int', value: '0' } },
  { key: 'int.small', value: { type: 'int', value: '42' } },
  { key: 'int.negative', value: { type: 'int', value: '-7' } },
  { key: 'int.2^53+1', value: { type: 'int', value: '9007199254740993' } },
  { key: 'int.-2^53-1', value: { type: 'int', value: '-9007199254740993' } },
  { key: 'int.max', value: { type: 'int', value: '9223372036854775807' } },
  { key: 'int.min', value: { type: 'int', value: '-9223372036854775808' } },
  { key: 'int.-2^32', value: { type: 'int', value: '-4294967296' } },
  { key: 'double', value: { type: 'double', value: 1.5 } },
  { key: 'double.zero', value: { type: 'double', value: 0 } },
  { key: 'double.tiny', value: { type: 'double', value: 5e-324 } },
  { key: 'double.huge', value: { type: 'double', value: -1.7976931348623157e308 } },
  { key: 'double.nan', value: { type: 'double', value: 'NaN' } },
  { key: 'double.inf', value: { type: 'double', value: 'Infinity' } },
  { key: 'double.-inf', value: { type: 'double', value: '-Infinity' } },
  { key: 'bytes', value: { type: 'bytes', value: Buffer.from([0, 1, 2, 0xfe, 0xff]).toString('base64') } },
  { key: 'bytes.empty', value: { type: 'bytes', value: '' } },
  {
    key: 'array',
    value: {
      type: 'array',
      value: [
        { type: 'string', value: 'a' },
        { type: 'int', value: '-1' },
        { type: 'array', value: [{ type: 'bool', value: true }, { type: 'empty' }] },
        { type: 'kvlist', value: [{ key: 'inner', value: { type: 'double', value: 2.25 } }] },
      ],
    },
  },
  { key: 'array.empty', value: { type: 'array', value: [] } },
  {
    key: 'kvlist',
    value: {
      type: 'kvlist',
      value: [
        { key: 'k1', value: { type: 'string', value: 'v1' } },
        { key: 'k2', value: { type: 'kvlist', value: [{ key: 'deep', value: { type: 'bytes', value: 'AQID' } }] } },
        { key: 'k3', value: { type: 'empty' } },
      ],
    },
  },
  { key: 'kvlist.empty', value: { type: 'kvlist', value: [] } },
  { key: 'empty', value: { type: 'empty' } },
];

export const RESOURCE: Resource = {
  attributes: [{ key: 'service.name', value: { type: 'string', value: 'value-svc' } }, ...ALL_VALUES.slice(0, 6)],
  droppedAttributesCount: 3,
  schemaUrl: 'https://opentelemetry.io/schemas/1.30.0',
  serviceName: 'value-svc',
};

export const SCOPE: Scope = {
  name: 'value-lib',
  version: '3.1.4',
  attributes: [{ key: 'scope.attr', value: { type: 'int', value: '-12' } }],
  droppedAttributesCount: 1,
  schemaUrl: 'https://opentelemetry.io/schemas/1.29.0',
};

export function fullSpan(overrides: Partial<SpanRecord> = {}): SpanRecord {
  return {
    traceId: '0af7651916cd43dd8448eb211c80319c',
    spanId: 'b7ad6b7169203331',
    parentSpanId: '00f067aa0ba902b7',
    traceState: 'rojo=00f067aa0ba902b7,congo=t61rcWkgMzE',
    flags: 0x301,
    name: 'every value',
    kind: 4,
    startTimeUnixNano: 1544712660300000001n,
    endTimeUnixNano: 18446744073709551615n,
    attributes: ALL_VALUES,
    droppedAttributesCount: 2,
    events: [
      { timeUnixNano: 1544712660400000007n, name: 'ev', attributes: ALL_VALUES.slice(20), droppedAttributesCount: 4 },
      { timeUnixNano: 0n, name: '', attributes: [], droppedAttributesCount: 0 },
    ],
    droppedEventsCount: 5,
    links: [
      {
        traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
        spanId: '00f067aa0ba902b8',
        traceState: 'k=v',
        flags: 0x101,
        attributes: [{ key: 'link.attr', value: { type: 'bool', value: true } }],
        droppedAttributesCount: 6,
      },
    ],
    droppedLinksCount: 7,
    statusCode: 2,
    statusMessage: 'it broke: ✗',
    resource: RESOURCE,
    scope: SCOPE,
    ...overrides,
  };
}

export function fullLog(overrides: Partial<LogRecordData> = {}): LogRecordData {
  const body: AnyValue = { type: 'kvlist', value: ALL_VALUES };
  return {
    timeUnixNano: 1544712660300000001n,
    observedTimeUnixNano: 1544712660300000002n,
    severityNumber: 21,
    severityText: 'FATAL',
    body,
    attributes: ALL_VALUES.slice(0, 10),
    droppedAttributesCount: 8,
    flags: 1,
    traceId: '0af7651916cd43dd8448eb211c80319c',
    spanId: 'b7ad6b7169203331',
    eventName: 'app.crash',
    resource: RESOURCE,
    scope: SCOPE,
    ...overrides,
  };
}
