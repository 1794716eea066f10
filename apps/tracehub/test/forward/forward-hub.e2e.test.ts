/**
 * `--forward`: a local tracehub passes what it receives to an upstream
 * tracehub (a real second process). With the upstream down the local view is
 * unaffected and the forwarder's counters account for every span; when the
 * upstream is back (same port, same data), forwarding resumes.
 */
import { ROOT_CONTEXT, SpanKind, trace } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { startHub, type HubHandle } from '@tracelab/test-support/hub';

const WAIT = { timeout: 45_000, interval: 200 };
const hubs: HubHandle[] = [];

afterAll(async () => {
  for (const h of hubs.reverse()) await h.stop({ removeData: true }).catch(() => undefined);
});

/** Sends `traces` traces of 3 spans each (real SDK, OTLP/HTTP protobuf); returns their ids. */
async function sendTraces(otlpHttpUrl: string, traces: number, tag: string): Promise<string[]> {
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'order-service' }),
    spanProcessors: [new SimpleSpanProcessor(new OTLPTraceExporter({ url: `${otlpHttpUrl}/v1/traces` }))],
  });
  const tracer = provider.getTracer('forward-test');
  const ids: string[] = [];
  for (let i = 0; i < traces; i++) {
    const root = tracer.startSpan('GET /order', { kind: SpanKind.SERVER, attributes: { 'test.batch': tag } });
    const ctx = trace.setSpan(ROOT_CONTEXT, root);
    tracer.startSpan('check-stock', {}, ctx).end();
    tracer.startSpan('call-payment-api', { kind: SpanKind.CLIENT }, ctx).end();
    root.end();
    ids.push(root.spanContext().traceId);
  }
  await provider.forceFlush();
  await provider.shutdown();
  return ids;
}

async function spanCount(hub: HubHandle): Promise<number> {
  const r = (await (await fetch(`${hub.apiUrl}/api/v1/traces?limit=1000`)).json()) as any;
  return (r.traces as { spanCount: number }[]).reduce((n, t) => n + t.spanCount, 0);
}

async function forwardStats(hub: HubHandle) {
  const r = (await (await fetch(`${hub.apiUrl}/api/v1/stats`)).json()) as any;
  return r.forward as { sentSpans: number; droppedSpans: number; pendingItems: number; failedAttempts: number; upstreamUp: boolean };
}

describe('tracehub --forward to a second tracehub', () => {
  it('delivers every span, survives the upstream going away, and resumes when it returns', async () => {
    let upstream = await startHub();
    hubs.push(upstream);
    const upstreamPort = new URL(upstream.otlpHttpUrl).port;
    const upstreamDir = upstream.dataDir;
    const local = await startHub({ args: ['--forward', upstream.otlpHttpUrl] });
    hubs.push(local);

    // 1. Upstream up: every span arrives at both.
    await sendTraces(local.otlpHttpUrl, 10, 'first');
    await vi.waitFor(async () => expect(await spanCount(upstream)).toBe(30), WAIT);
    expect(await spanCount(local)).toBe(30);
    expect(await forwardStats(local)).toMatchObject({ sentSpans: 30, droppedSpans: 0, pendingItems: 0 });

    // 2. Upstream down: the local view is unaffected; the forwarder notices and holds or counts the rest.
    await upstream.stop();
    hubs.splice(hubs.indexOf(upstream), 1);
    const whileDown = await sendTraces(local.otlpHttpUrl, 5, 'down');
    await vi.waitFor(async () => expect(await spanCount(local)).toBe(45), WAIT);
    for (const id of whileDown) expect((await fetch(`${local.apiUrl}/api/v1/traces/${id}`)).status).toBe(200);
    await vi.waitFor(async () => expect(await forwardStats(local)).toMatchObject({ upstreamUp: false }), WAIT);
    const down = await forwardStats(local);
    expect(down.failedAttempts).toBeGreaterThan(0);
    expect(down.sentSpans).toBe(30);
    // Nothing is unaccounted for: every span is sent, dropped or pending.
    expect(down.sentSpans + down.droppedSpans + down.pendingItems).toBe(45);

    // 3. Upstream back on the same port with the same data: forwarding resumes and drains.
    upstream = await startHub({ dataDir: upstreamDir, args: ['--otlp-http-port', upstreamPort] });
    hubs.push(upstream);
    expect(new URL(upstream.otlpHttpUrl).port).toBe(upstreamPort);
    await vi.waitFor(async () => expect((await forwardStats(local)).pendingItems).toBe(0), WAIT);
    const end = await forwardStats(local);
    expect(end.upstreamUp).toBe(true);
    expect(end.sentSpans + end.droppedSpans).toBe(45);
    // The upstream holds exactly what the counters say was sent.
    await vi.waitFor(async () => expect(await spanCount(upstream)).toBe(end.sentSpans), WAIT);

    // 4. And new data flows straight through again.
    await sendTraces(local.otlpHttpUrl, 2, 'after');
    await vi.waitFor(async () => expect(await spanCount(upstream)).toBe(end.sentSpans + 6), WAIT);
  });
});
