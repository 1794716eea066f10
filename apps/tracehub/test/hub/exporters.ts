/**
 * Sends spans to a running tracehub through the real OpenTelemetry JS OTLP
 * exporters, and the expected /api/v1 view of an SDK span.
 */
import { Metadata } from '@grpc/grpc-js';
import { ExportResultCode } from '@opentelemetry/core';
import { OTLPTraceExporter as GrpcExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { OTLPTraceExporter as JsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import type { HubHandle } from '@tracelab/test-support/hub';
import { hrToNanos } from '../otlp/sdk-fixtures.js';

export type Protocol = 'http/protobuf' | 'http/json' | 'grpc';

/** Exports with the protocol's real exporter; `headers` as OTEL_EXPORTER_OTLP_HEADERS would set them (gRPC: metadata). */
export async function exportSpans(hub: HubHandle, protocol: Protocol, spans: ReadableSpan[], headers: Record<string, string> = {}): Promise<void> {
  const metadata = new Metadata();
  for (const [k, v] of Object.entries(headers)) metadata.set(k, v);
  const exporter =
    protocol === 'grpc'
      ? new GrpcExporter({ url: `http://${hub.otlpGrpcUrl}`, metadata })
      : protocol === 'http/json'
        ? new JsonExporter({ url: `${hub.otlpHttpUrl}/v1/traces`, headers })
        : new ProtoExporter({ url: `${hub.otlpHttpUrl}/v1/traces`, headers });
  try {
    await new Promise<void>((resolve, reject) =>
      exporter.export(spans, (r) => (r.code === ExportResultCode.SUCCESS ? resolve() : reject(r.error ?? new Error('export failed')))),
    );
  } finally {
    await exporter.shutdown();
  }
}

function expectedValue(v: unknown): unknown {
  if (typeof v === 'string') return { type: 'string', value: v };
  if (typeof v === 'boolean') return { type: 'bool', value: v };
  if (typeof v === 'number') return Number.isInteger(v) ? { type: 'int', value: String(v) } : { type: 'double', value: v };
  if (Array.isArray(v)) return { type: 'array', value: v.map(expectedValue) };
  throw new Error(`unexpected attribute value ${String(v)}`);
}

export function expectedAttributes(attrs: Record<string, unknown>): unknown[] {
  return Object.entries(attrs).map(([key, value]) => ({ key, value: expectedValue(value) }));
}

const KINDS = ['internal', 'server', 'client', 'producer', 'consumer'];
const STATUS = ['unset', 'ok', 'error'];

/** What GET /api/v1/traces/{id} must say about an SDK span. */
export function expectedSpan(s: ReadableSpan) {
  const ctx = s.spanContext();
  return {
    traceId: ctx.traceId,
    spanId: ctx.spanId,
    parentSpanId: s.parentSpanContext?.spanId ?? null,
    name: s.name,
    kind: KINDS[s.kind],
    service: String(s.resource.attributes['service.name']),
    startTimeUnixNano: hrToNanos(s.startTime).toString(),
    endTimeUnixNano: hrToNanos(s.endTime).toString(),
    status: { code: STATUS[s.status.code], message: s.status.message ?? '' },
    attributes: expectedAttributes(s.attributes),
    events: s.events.map((e) => ({
      name: e.name,
      timeUnixNano: hrToNanos(e.time).toString(),
      attributes: expectedAttributes(e.attributes ?? {}),
      droppedAttributesCount: e.droppedAttributesCount ?? 0,
    })),
    links: s.links.map((l) => ({
      traceId: l.context.traceId,
      spanId: l.context.spanId,
      attributes: expectedAttributes(l.attributes ?? {}),
    })),
    resourceAttributes: expectedAttributes(s.resource.attributes),
    scope: { name: s.instrumentationScope.name, version: s.instrumentationScope.version ?? '' },
  };
}
