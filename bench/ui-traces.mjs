// Synthetic traces for the UI benchmark, sent through the OpenTelemetry JS
// SDK's OTLP/HTTP protobuf exporter in batches.
import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';

const SERVICES = ['frontend', 'order-service', 'payment-service', 'inventory', 'shipping', 'users', 'search', 'postgres'];
const BRANCHING = 4;

/**
 * Send one trace of `count` spans: a 4-ary tree (depth about log4(count)),
 * children laid out one after another inside their parent, 1% of spans
 * failing with an exception event. Returns the trace id.
 */
export async function sendSyntheticTrace(otlpHttpUrl, count) {
  // One provider per service, as real services would have; all share one trace.
  const providers = SERVICES.map(
    (service) =>
      new BasicTracerProvider({
        resource: resourceFromAttributes({ 'service.name': service, 'host.name': 'bench-host' }),
        spanProcessors: [
          new BatchSpanProcessor(new OTLPTraceExporter({ url: `${otlpHttpUrl}/v1/traces`, timeoutMillis: 60_000 }), {
            maxQueueSize: count + 1000,
            maxExportBatchSize: 2000,
            scheduledDelayMillis: 100,
            exportTimeoutMillis: 60_000,
          }),
        ],
      }),
  );
  const tracers = providers.map((p) => p.getTracer('tracehub-ui-bench'));
  const t0 = Date.now() - 60_000;
  const totalMs = 10_000;
  const spans = new Array(count);
  const start = new Float64Array(count);
  const dur = new Float64Array(count);
  const depth = new Int32Array(count);
  start[0] = t0;
  dur[0] = totalMs;
  for (let i = 0; i < count; i++) {
    let ctx = context.active();
    if (i > 0) {
      const p = Math.floor((i - 1) / BRANCHING);
      const k = (i - 1) % BRANCHING;
      depth[i] = depth[p] + 1;
      const slot = dur[p] / (BRANCHING + 1);
      start[i] = start[p] + slot * (k + 0.5);
      dur[i] = slot * 0.9;
      ctx = trace.setSpan(ctx, spans[p]);
    }
    const service = i === 0 ? 0 : 1 + (depth[i] + (i % 3)) % (SERVICES.length - 1);
    const span = tracers[service].startSpan(
      i === 0 ? 'GET /checkout' : `op-${depth[i]}-${i % 17}`,
      {
        kind: i === 0 ? SpanKind.SERVER : i % 2 ? SpanKind.CLIENT : SpanKind.INTERNAL,
        startTime: start[i],
        attributes: {
          'bench.index': i,
          'http.route': `/api/item/${i % 50}`,
          'db.statement': i % 5 === 0 ? `SELECT * FROM items WHERE id = ${i}` : '',
          'peer.service': SERVICES[(service + 1) % SERVICES.length],
        },
      },
      ctx,
    );
    spans[i] = span;
  }
  // End children before parents so each span's end time is final when exported; flush every 20,000
  // spans so that the exporters never have more requests in flight than they allow.
  for (let i = count - 1; i >= 0; i--) {
    if (i % 20_000 === 0 && i > 0) await Promise.all(providers.map((p) => p.forceFlush()));
    const s = spans[i];
    if (i > 0 && i % 100 === 0) {
      s.recordException(Object.assign(new Error(`synthetic failure ${i}`), { name: 'BenchError' }), start[i] + dur[i] / 2);
      s.setStatus({ code: SpanStatusCode.ERROR, message: `synthetic failure ${i}` });
    }
    s.end(start[i] + dur[i]);
  }
  const traceId = spans[0].spanContext().traceId;
  await Promise.all(providers.map((p) => p.forceFlush()));
  await Promise.all(providers.map((p) => p.shutdown()));
  return traceId;
}

/** Wait until the hub's search reports the trace with all its spans. */
export async function waitForSpanCount(apiUrl, traceId, count, timeoutMs = 300_000) {
  const deadline = Date.now() + timeoutMs;
  let seen = 0;
  while (Date.now() < deadline) {
    const res = await fetch(`${apiUrl}/api/v1/traces?limit=100`);
    if (res.ok) {
      const { traces } = await res.json();
      const t = traces.find((x) => x.traceId === traceId);
      seen = t ? t.spanCount : 0;
      if (seen >= count) return;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`trace ${traceId} has ${seen} of ${count} spans after ${timeoutMs} ms`);
}
