/**
 * Every value type and every optional field round-trips exactly through both
 * encodings: protobuf → model → protobuf → model and JSON → model → JSON → model.
 * The first protobuf body is built with protobufjs reflection (not our
 * encoder) and our encoder's output is read back by protobufjs, so the two
 * sides check each other against the .proto contract.
 */
import { describe, expect, it } from 'vitest';
import type { AnyValue, Attribute, LogRecordData, SpanRecord } from '../../src/model.js';
import {
  decodeLogsJson,
  decodeLogsProtobuf,
  decodeTracesJson,
  decodeTracesProtobuf,
  encodeLogsJson,
  encodeLogsProtobuf,
  encodeTracesJson,
  encodeTracesProtobuf,
} from '../../src/otlp/index.js';
import { otlpTypes } from '../../src/otlp/schema.js';
import { ALL_VALUES, RESOURCE, SCOPE, fullLog, fullSpan } from './value-fixtures.js';

const b64 = (hex: string) => Buffer.from(hex, 'hex').toString('base64');

/** proto3-JSON-like object that protobufjs's fromObject understands (int64 as strings, bytes as base64). */
function refValue(v: AnyValue): Record<string, unknown> {
  switch (v.type) {
    case 'string':
      return { stringValue: v.value };
    case 'bool':
      return { boolValue: v.value };
    case 'int':
      return { intValue: v.value };
    case 'double':
      return { doubleValue: Number(v.value) };
    case 'bytes':
      return { bytesValue: v.value };
    case 'array':
      return { arrayValue: { values: v.value.map(refValue) } };
    case 'kvlist':
      return { kvlistValue: { values: refAttrs(v.value) } };
    default:
      return {};
  }
}
const refAttrs = (a: Attribute[]) => a.map((x) => ({ key: x.key, value: refValue(x.value) }));

function referenceTraceBody(s: SpanRecord): Uint8Array {
  const { ExportTraceServiceRequest: T } = otlpTypes();
  const obj = {
    resourceSpans: [
      {
        resource: { attributes: refAttrs(s.resource.attributes), droppedAttributesCount: s.resource.droppedAttributesCount },
        schemaUrl: s.resource.schemaUrl,
        scopeSpans: [
          {
            scope: { name: s.scope.name, version: s.scope.version, attributes: refAttrs(s.scope.attributes), droppedAttributesCount: s.scope.droppedAttributesCount },
            schemaUrl: s.scope.schemaUrl,
            spans: [
              {
                traceId: b64(s.traceId),
                spanId: b64(s.spanId),
                parentSpanId: b64(s.parentSpanId),
                traceState: s.traceState,
                flags: s.flags,
                name: s.name,
                kind: s.kind,
                startTimeUnixNano: s.startTimeUnixNano.toString(),
                endTimeUnixNano: s.endTimeUnixNano.toString(),
                attributes: refAttrs(s.attributes),
                droppedAttributesCount: s.droppedAttributesCount,
                events: s.events.map((e) => ({ timeUnixNano: e.timeUnixNano.toString(), name: e.name, attributes: refAttrs(e.attributes), droppedAttributesCount: e.droppedAttributesCount })),
                droppedEventsCount: s.droppedEventsCount,
                links: s.links.map((l) => ({ traceId: b64(l.traceId), spanId: b64(l.spanId), traceState: l.traceState, flags: l.flags, attributes: refAttrs(l.attributes), droppedAttributesCount: l.droppedAttributesCount })),
                droppedLinksCount: s.droppedLinksCount,
                status: { code: s.statusCode, message: s.statusMessage },
              },
            ],
          },
        ],
      },
    ],
  };
  return T.encode(T.fromObject(obj)).finish();
}

describe('value round trips', () => {
  it('protobuf (protobufjs reference) → model matches the fixture exactly', () => {
    const span = fullSpan();
    const decoded = decodeTracesProtobuf(referenceTraceBody(span));
    expect(decoded.rejected).toBe(0);
    expect(decoded.spans).toEqual([span]);
  });

  it('protobuf → model → protobuf → model', () => {
    const first = decodeTracesProtobuf(referenceTraceBody(fullSpan())).spans;
    const second = decodeTracesProtobuf(encodeTracesProtobuf(first)).spans;
    expect(second).toEqual(first);
    expect(second[0]!.attributes.find((a) => a.key === 'int.min')!.value).toEqual({ type: 'int', value: '-9223372036854775808' });
    expect(second[0]!.endTimeUnixNano).toBe(18446744073709551615n);
  });

  it('our protobuf encoding reads back identically with protobufjs reflection', () => {
    const { ExportTraceServiceRequest: T } = otlpTypes();
    const ours = T.toObject(T.decode(encodeTracesProtobuf([fullSpan()])), { longs: String, bytes: String, defaults: false });
    const ref = T.toObject(T.decode(referenceTraceBody(fullSpan())), { longs: String, bytes: String, defaults: false });
    expect(ours).toEqual(ref);
  });

  it('JSON → model → JSON → model', () => {
    const span = fullSpan();
    const json1 = JSON.stringify(encodeTracesJson([span]));
    const first = decodeTracesJson(json1).spans;
    expect(first).toEqual([span]);
    const second = decodeTracesJson(JSON.stringify(encodeTracesJson(first))).spans;
    expect(second).toEqual(first);
    // int64 travel as strings, non-finite doubles as their proto3 JSON names
    expect(json1).toContain('"intValue":"-9223372036854775808"');
    expect(json1).toContain('"doubleValue":"NaN"');
    expect(json1).toContain('"endTimeUnixNano":"18446744073709551615"');
  });

  it('protobuf and JSON decode the same request to the same model', () => {
    const span = fullSpan();
    expect(decodeTracesJson(JSON.stringify(encodeTracesJson([span]))).spans).toEqual(decodeTracesProtobuf(encodeTracesProtobuf([span])).spans);
  });

  it('logs round-trip through both encodings with every body type', () => {
    const logs: LogRecordData[] = [
      fullLog(),
      ...ALL_VALUES.map((a) => fullLog({ body: a.value, traceId: '', spanId: '', eventName: '' })),
    ];
    const viaPb = decodeLogsProtobuf(encodeLogsProtobuf(logs));
    expect(viaPb.rejected).toBe(0);
    expect(viaPb.logs).toEqual(logs);
    const viaJson = decodeLogsJson(JSON.stringify(encodeLogsJson(logs)));
    expect(viaJson.logs).toEqual(logs);
    expect(decodeLogsProtobuf(encodeLogsProtobuf(viaPb.logs)).logs).toEqual(logs);
  });

  it('groups by resource and scope on encode and shares them by reference on decode', () => {
    const otherScope = { ...SCOPE, name: 'other-lib' };
    const copyOfResource = structuredClone(RESOURCE); // equal content, different object
    const spans = [
      fullSpan({ spanId: '0000000000000001' }),
      fullSpan({ spanId: '0000000000000002', scope: otherScope }),
      fullSpan({ spanId: '0000000000000003', resource: copyOfResource }),
      fullSpan({ spanId: '0000000000000004', resource: { ...RESOURCE, serviceName: 'x', attributes: [] } }),
    ];
    const json = encodeTracesJson(spans) as { resourceSpans: { scopeSpans: { spans: unknown[] }[] }[] };
    expect(json.resourceSpans).toHaveLength(2);
    expect(json.resourceSpans[0]!.scopeSpans.map((s) => s.spans.length)).toEqual([2, 1]);
    const back = decodeTracesProtobuf(encodeTracesProtobuf(spans)).spans;
    expect(back.map((s) => s.spanId)).toEqual(['0000000000000001', '0000000000000003', '0000000000000002', '0000000000000004']);
    expect(back[0]!.resource).toBe(back[1]!.resource);
    expect(back[0]!.scope).toBe(back[1]!.scope);
    expect(back[2]!.resource).toBe(back[0]!.resource);
    expect(back[2]!.scope).not.toBe(back[0]!.scope);
    expect(back[3]!.resource.serviceName).toBe('unknown_service');
  });
});
