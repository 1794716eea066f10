import { describe, expect, it } from 'vitest';
import { TraceFlags } from '@opentelemetry/api';
import { envDefaults, sdkDisabled, serviceNameFromPackage } from '../src/env-defaults.js';
import { formatTraceResponse, traceUrl } from '../src/trace-response.js';
import { errorType } from '../src/span.js';
import { Attributes, SpanNames } from '../src/names.js';

describe('envDefaults', () => {
  it('points an unconfigured service at a local tracehub over http/protobuf with stable semconv', () => {
    expect(envDefaults({})).toMatchObject({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
      OTEL_SEMCONV_STABILITY_OPT_IN: 'http,database',
      OTEL_METRICS_EXPORTER: 'none',
      OTEL_BSP_MAX_QUEUE_SIZE: '8192',
    });
  });
  it('uses the gRPC port when gRPC is chosen', () => {
    expect(envDefaults({ OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' }).OTEL_EXPORTER_OTLP_ENDPOINT).toBe('http://127.0.0.1:4317');
  });
  it('never overrides what the user set', () => {
    const d = envDefaults({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_SEMCONV_STABILITY_OPT_IN: 'http' });
    expect(d.OTEL_EXPORTER_OTLP_ENDPOINT).toBeUndefined();
    expect(d.OTEL_SEMCONV_STABILITY_OPT_IN).toBeUndefined();
  });
  it('leaves OTEL_PROPAGATORS=none alone (the SDK then neither injects nor extracts trace context)', () => {
    expect(envDefaults({ OTEL_PROPAGATORS: 'none' }).OTEL_PROPAGATORS).toBeUndefined();
    expect(envDefaults({}).OTEL_PROPAGATORS).toBe('tracecontext,baggage');
  });
  it('reads OTEL_SDK_DISABLED as the spec does', () => {
    expect(sdkDisabled({ OTEL_SDK_DISABLED: 'TRUE' })).toBe(true);
    expect(sdkDisabled({ OTEL_SDK_DISABLED: '1' })).toBe(false);
    expect(sdkDisabled({})).toBe(false);
  });
  it('names the service after its package', () => {
    expect(serviceNameFromPackage('@tracelab/order-service')).toBe('order-service');
    expect(serviceNameFromPackage(undefined)).toBeUndefined();
  });
});

describe('traceresponse', () => {
  const ctx = { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', traceFlags: TraceFlags.SAMPLED };
  it('formats version-traceid-spanid-flags', () => {
    expect(formatTraceResponse(ctx)).toBe('00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01');
    expect(formatTraceResponse({ ...ctx, traceFlags: TraceFlags.NONE })).toBe('00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-00');
  });
  it('is absent without a real span', () => {
    expect(formatTraceResponse(undefined)).toBeUndefined();
    expect(formatTraceResponse({ ...ctx, traceId: '0'.repeat(32) })).toBeUndefined();
  });
  it('links to the trace in the UI', () => {
    expect(traceUrl('abc', 'http://127.0.0.1:3000/')).toBe('http://127.0.0.1:3000/trace/abc');
  });
});

describe('names', () => {
  it('keeps span names and custom attributes unique', () => {
    const spans = Object.values(SpanNames);
    expect(new Set(spans).size).toBe(spans.length);
    const attrs = Object.values(Attributes);
    expect(new Set(attrs).size).toBe(attrs.length);
    expect(attrs.filter((a) => a !== 'error.type').every((a) => a.startsWith('tracelab.'))).toBe(true);
  });
  it('classifies errors by code, then by name', () => {
    expect(errorType(Object.assign(new Error('x'), { code: 'OUT_OF_STOCK' }))).toBe('OUT_OF_STOCK');
    expect(errorType(new TypeError('x'))).toBe('TypeError');
    expect(errorType('nope')).toBe('_OTHER');
  });
});
