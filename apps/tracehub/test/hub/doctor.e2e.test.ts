// GET /api/v1/traces/{id}/doctor on a real tracehub, with traces made by the
// real OpenTelemetry JS SDK and sent through its OTLP/HTTP exporter: a trace
// minus one parent span (orphans), a trace whose callee's clock is shifted
// (skew), a clean one, a service without the SDK's resource, bad ids.
import { context, SpanKind, trace, type Tracer } from '@opentelemetry/api';
import { defaultResource, resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../src/analysis/doctor.js';
import { startHub, type HubHandle } from '@tracelab/test-support/hub';
import { hrToNanos } from '../otlp/sdk-fixtures.js';
import { exportSpans } from './exporters.js';

let hub: HubHandle;
const exporter = new InMemorySpanExporter();
const providers: BasicTracerProvider[] = [];

function tracer(service: string, withSdkResource = true): Tracer {
  const attrs = resourceFromAttributes({ 'service.name': service });
  const p = new BasicTracerProvider({ resource: withSdkResource ? defaultResource().merge(attrs) : attrs, spanProcessors: [new SimpleSpanProcessor(exporter)] });
  providers.push(p);
  return p.getTracer('doctor-e2e');
}

/**
 * order-service GET /order → CLIENT POST → payment-service SERVER POST /payments → process-payment.
 * `payShiftMs` moves payment-service's times (a clock off by that much). Returns the spans by role.
 */
function orderFlow(order: Tracer, payment: Tracer, t0: number, payShiftMs = 0) {
  exporter.reset();
  const root = order.startSpan('GET /order', { kind: SpanKind.SERVER, startTime: t0, attributes: { 'http.request.method': 'GET', 'url.path': '/order' } });
  const call = order.startSpan(
    'POST',
    { kind: SpanKind.CLIENT, startTime: t0 + 5, attributes: { 'http.request.method': 'POST', 'url.full': 'http://127.0.0.1:4100/payments', 'server.port': 4100 } },
    trace.setSpan(context.active(), root),
  );
  const p0 = t0 + payShiftMs;
  const serve = payment.startSpan(
    'POST /payments',
    { kind: SpanKind.SERVER, startTime: p0 + 7, attributes: { 'http.request.method': 'POST', 'url.path': '/payments', 'server.port': 4100 } },
    trace.setSpan(context.active(), call),
  );
  const work = payment.startSpan('process-payment', { startTime: p0 + 8 }, trace.setSpan(context.active(), serve));
  work.end(p0 + 40);
  serve.end(p0 + 42);
  call.end(t0 + 45);
  root.end(t0 + 50);
  const spans = exporter.getFinishedSpans();
  const by = (name: string) => spans.find((s) => s.name === name)!;
  return { spans, root: by('GET /order'), call: by('POST'), serve: by('POST /payments'), work: by('process-payment') };
}

async function send(spans: ReadableSpan[]): Promise<void> {
  await exportSpans(hub, 'http/protobuf', spans);
}

async function doctor(traceId: string): Promise<{ status: number; body: { traceId: string; findings: Finding[]; summary: string; error?: string; message?: string } }> {
  const res = await fetch(`${hub.apiUrl}/api/v1/traces/${traceId}/doctor`);
  return { status: res.status, body: (await res.json()) as never };
}

/** Waits until the hub holds `count` spans of the trace (ingest is asynchronous). */
async function stored(traceId: string, count: number): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    const res = await fetch(`${hub.apiUrl}/api/v1/traces/${traceId}`);
    if (res.ok && ((await res.json()) as { spans: unknown[] }).spans.length >= count) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`trace ${traceId} did not reach ${count} spans`);
}

const idOf = (s: ReadableSpan) => s.spanContext().spanId;
const traceOf = (s: ReadableSpan) => s.spanContext().traceId;

let order: Tracer;
let payment: Tracer;
beforeAll(async () => {
  hub = await startHub();
  order = tracer('order-service');
  payment = tracer('payment-service');
});
afterAll(async () => {
  for (const p of providers) await p.shutdown();
  await hub?.stop({ removeData: true });
});

describe('propagation doctor over HTTP', () => {
  it('a clean trace: no findings and a summary that says so', async () => {
    const f = orderFlow(order, payment, Date.now() - 60_000);
    await send(f.spans);
    await stored(traceOf(f.root), 4);
    const { status, body } = await doctor(traceOf(f.root));
    expect(status).toBe(200);
    expect(body.traceId).toBe(traceOf(f.root));
    expect(body.findings).toEqual([]);
    expect(body.summary).toMatch(/^No propagation problems: the 4 spans from 2 services connect/);
  });

  it('orphan spans: the withheld parent is named, with the spans hanging under it', async () => {
    const f = orderFlow(order, payment, Date.now() - 50_000);
    await send(f.spans.filter((s) => s !== f.call));
    await stored(traceOf(f.root), 3);
    const { body } = await doctor(traceOf(f.root));
    expect(body.findings.map((x) => x.kind)).toEqual(['orphan-spans']);
    expect(body.findings[0]).toMatchObject({ missingParentSpanId: idOf(f.call), spanIds: [idOf(f.serve)], spanCount: 2, services: ['payment-service'] });
    expect(body.findings[0]!.finding).toContain(`Parent span ${idOf(f.call)} never arrived`);
  });

  it('clock skew: spans sent with a shifted clock give the service pair and the offset', async () => {
    const f = orderFlow(order, payment, Date.now() - 40_000, -300);
    await send(f.spans);
    await stored(traceOf(f.root), 4);
    const { body } = await doctor(traceOf(f.root));
    expect(body.findings.map((x) => x.kind)).toEqual(['clock-skew']);
    const skew = body.findings[0]!;
    expect(skew.services).toEqual(['order-service', 'payment-service']);
    expect(skew.spanIds[0]).toBe(idOf(f.serve));
    // The smallest shift that puts payment-service's SERVER span inside its CLIENT parent, from the times sent.
    const expected = hrToNanos(f.call.startTime) - hrToNanos(f.serve.startTime);
    expect(expected).toBeGreaterThan(0n);
    expect(skew.offsetNs).toBe(expected.toString());
    expect(skew.finding).toMatch(/^payment-service's clock looks about \d+ ms behind order-service's/);
  });

  it('a service whose resource lacks the SDK attributes is flagged', async () => {
    const legacy = tracer('legacy-service', false);
    exporter.reset();
    const s = legacy.startSpan('GET /legacy', { kind: SpanKind.SERVER, startTime: Date.now() - 30_000 });
    s.end(Date.now() - 29_990);
    const spans = exporter.getFinishedSpans();
    await send(spans);
    await stored(traceOf(spans[0]!), 1);
    const { body } = await doctor(traceOf(spans[0]!));
    expect(body.findings.map((x) => [x.kind, x.services])).toEqual([['unknown-sdk', ['legacy-service']]]);
  });

  it('400 for a malformed id, 404 for an unknown trace', async () => {
    const bad = await doctor('not-a-trace');
    expect(bad.status).toBe(400);
    expect(bad.body.error).toBe('INVALID_TRACE_ID');
    expect(bad.body.message).toContain('not-a-trace');
    const unknown = await doctor('0123456789abcdef0123456789abcdef');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toBe('TRACE_NOT_FOUND');
  });

  it('the route is in the OpenAPI document, with the finding kinds', async () => {
    const doc = (await (await fetch(`${hub.apiUrl}/api/v1/openapi.json`)).json()) as {
      paths: Record<string, { get: { responses: Record<string, unknown> } }>;
      components: { schemas: { Diagnosis: { properties: { findings: { items: { properties: { kind: { enum: string[] } } } } } } } };
    };
    expect(Object.keys(doc.paths['/api/v1/traces/{traceId}/doctor']!.get.responses)).toEqual(['200', '400', '404']);
    expect(doc.components.schemas.Diagnosis.properties.findings.items.properties.kind.enum).toEqual(['broken-hop', 'orphan-spans', 'clock-skew', 'missing-service-name', 'unknown-sdk']);
  });
});
