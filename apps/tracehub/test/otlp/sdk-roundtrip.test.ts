/**
 * Requests serialised by the OpenTelemetry JS SDK's own OTLP serializers
 * (protobuf and JSON) decode to exactly what the SDK recorded.
 */
import { describe, expect, it } from 'vitest';
import { JsonLogsSerializer, JsonTraceSerializer, ProtobufLogsSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import type { AnyValue, SpanRecord } from '../../src/model.js';
import { decodeLogsJson, decodeLogsProtobuf, decodeTracesJson, decodeTracesProtobuf } from '../../src/otlp/index.js';
import { hrToNanos, makeSdkLogs, makeSdkSpans } from './sdk-fixtures.js';

/** What the SDK's serializer turns a JS attribute value into. */
function expectedValue(v: unknown): AnyValue {
  if (typeof v === 'string') return { type: 'string', value: v };
  if (typeof v === 'boolean') return { type: 'bool', value: v };
  if (typeof v === 'number') return Number.isInteger(v) ? { type: 'int', value: String(v) } : { type: 'double', value: v };
  if (v instanceof Uint8Array) return { type: 'bytes', value: Buffer.from(v).toString('base64') };
  if (Array.isArray(v)) return { type: 'array', value: v.map(expectedValue) };
  if (v && typeof v === 'object') return { type: 'kvlist', value: expectedAttributes(v as Record<string, unknown>) };
  return { type: 'empty' };
}
function expectedAttributes(attrs: Record<string, unknown>) {
  return Object.entries(attrs).map(([key, value]) => ({ key, value: expectedValue(value) }));
}

function compareSpan(got: SpanRecord, sdk: ReadableSpan): void {
  const sc = sdk.spanContext();
  expect(got.traceId).toBe(sc.traceId);
  expect(got.spanId).toBe(sc.spanId);
  expect(got.parentSpanId).toBe(sdk.parentSpanContext?.spanId ?? '');
  expect(got.name).toBe(sdk.name);
  expect(got.kind).toBe(sdk.kind + 1); // API SpanKind is OTLP's minus one
  expect(got.startTimeUnixNano).toBe(hrToNanos(sdk.startTime));
  expect(got.endTimeUnixNano).toBe(hrToNanos(sdk.endTime));
  expect(got.statusCode).toBe(sdk.status.code);
  expect(got.statusMessage).toBe(sdk.status.message ?? '');
  expect(got.flags & 0xff).toBe(sc.traceFlags);
  expect(got.attributes).toEqual(expectedAttributes(sdk.attributes));
  expect(got.droppedAttributesCount).toBe(sdk.droppedAttributesCount);
  expect(got.events).toEqual(
    sdk.events.map((e) => ({
      timeUnixNano: hrToNanos(e.time),
      name: e.name,
      attributes: expectedAttributes(e.attributes ?? {}),
      droppedAttributesCount: e.droppedAttributesCount ?? 0,
    })),
  );
  expect(got.links.map((l) => ({ traceId: l.traceId, spanId: l.spanId, attributes: l.attributes }))).toEqual(
    sdk.links.map((l) => ({ traceId: l.context.traceId, spanId: l.context.spanId, attributes: expectedAttributes(l.attributes ?? {}) })),
  );
  expect(got.resource.attributes).toEqual(expectedAttributes(sdk.resource.attributes));
  expect(got.resource.serviceName).toBe('checkout');
  expect(got.scope.name).toBe(sdk.instrumentationScope.name);
  expect(got.scope.version).toBe(sdk.instrumentationScope.version ?? '');
  expect(got.scope.schemaUrl).toBe(sdk.instrumentationScope.schemaUrl ?? '');
}

describe('OTel JS SDK requests', () => {
  for (const [format, serializer, decode] of [
    ['protobuf', ProtobufTraceSerializer, (b: Uint8Array) => decodeTracesProtobuf(b)],
    ['json', JsonTraceSerializer, (b: Uint8Array) => decodeTracesJson(Buffer.from(b).toString('utf8'))],
  ] as const) {
    it(`decodes ${format} traces field by field`, async () => {
      const sdkSpans = await makeSdkSpans();
      const body = serializer.serializeRequest(sdkSpans)!;
      const decoded = decode(body);
      expect(decoded.rejected).toBe(0);
      expect(decoded.spans).toHaveLength(sdkSpans.length);
      for (const sdk of sdkSpans) {
        const got = decoded.spans.find((s) => s.spanId === sdk.spanContext().spanId);
        expect(got, sdk.name).toBeDefined();
        compareSpan(got!, sdk);
      }
      // Spans of one resource share the Resource object; of one scope, the Scope object.
      const [a, b, c] = ['GET /checkout', 'SELECT orders', 'publish order'].map((n) => decoded.spans.find((s) => s.name === n)!);
      expect(a!.resource).toBe(b!.resource);
      expect(a!.scope).toBe(c!.scope);
      expect(a!.scope).not.toBe(b!.scope);
    });
  }

  for (const [format, serializer, decode] of [
    ['protobuf', ProtobufLogsSerializer, (b: Uint8Array) => decodeLogsProtobuf(b)],
    ['json', JsonLogsSerializer, (b: Uint8Array) => decodeLogsJson(Buffer.from(b).toString('utf8'))],
  ] as const) {
    it(`decodes ${format} logs field by field`, async () => {
      const ids = { traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7' };
      const sdkLogs = await makeSdkLogs(ids);
      const decoded = decode(serializer.serializeRequest(sdkLogs)!);
      expect(decoded.rejected).toBe(0);
      expect(decoded.logs).toHaveLength(2);
      const [first, second] = decoded.logs;
      const sdk = sdkLogs[0]!;
      expect(first!.traceId).toBe(ids.traceId);
      expect(first!.spanId).toBe(ids.spanId);
      expect(first!.flags).toBe(1);
      expect(first!.severityNumber).toBe(17);
      expect(first!.severityText).toBe('ERROR');
      expect(first!.eventName).toBe('payment.failed');
      expect(first!.timeUnixNano).toBe(hrToNanos(sdk.hrTime));
      expect(first!.observedTimeUnixNano).toBe(hrToNanos(sdk.hrTimeObserved));
      expect(first!.body).toEqual(expectedValue(sdk.body));
      expect(first!.attributes).toEqual(expectedAttributes(sdk.attributes));
      expect(first!.resource.serviceName).toBe('checkout');
      expect(first!.scope.name).toBe('codec-logs');
      expect(second!.body).toEqual({ type: 'string', value: 'plain message' });
      expect(second!.traceId).toBe('');
      expect(second!.spanId).toBe('');
    });
  }
});
