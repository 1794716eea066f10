// A large trace for the UI tests, sent through the OpenTelemetry JS SDK's
// OTLP/HTTP protobuf exporter in batches: a loop of `loop` identical
// `db SELECT item` siblings (one with a child "needle-span"), and a 4-ary
// filler tree of `filler` spans whose siblings all differ in name.
import { context, SpanKind, trace, type Span } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';

export interface LargeTrace {
  traceId: string;
  spanCount: number;
  /** The loop member that has the needle as its child (0-based position in the loop). */
  needleIn: number;
}

export async function sendLargeTrace(otlpHttpUrl: string, loop: number, filler: number): Promise<LargeTrace> {
  const providers = ['shop', 'db'].map(
    (service) =>
      new BasicTracerProvider({
        resource: resourceFromAttributes({ 'service.name': service }),
        spanProcessors: [
          new BatchSpanProcessor(new OTLPTraceExporter({ url: `${otlpHttpUrl}/v1/traces`, timeoutMillis: 60_000 }), {
            maxQueueSize: loop + filler + 100,
            maxExportBatchSize: 2000,
            scheduledDelayMillis: 50,
            exportTimeoutMillis: 60_000,
          }),
        ],
      }),
  );
  const [shop, db] = providers.map((p) => p.getTracer('tracehub-ui-large'));
  const t0 = Date.now() - 60_000;
  const under = (p: Span) => trace.setSpan(context.active(), p);
  const ended: [Span, number][] = [];
  const start = (tracer: typeof shop, name: string, at: number, end: number, parent?: Span) => {
    const s = tracer!.startSpan(name, { kind: SpanKind.INTERNAL, startTime: at }, parent ? under(parent) : context.active());
    ended.push([s, end]);
    return s;
  };
  const root = start(shop, 'GET /report', t0, t0 + 20_000);
  const loopParent = start(shop, 'load items', t0 + 1, t0 + 9_000, root);
  const needleIn = Math.floor(loop * 0.75);
  for (let k = 0; k < loop; k++) {
    const q = start(db, 'SELECT item', t0 + 2 + k * 4, t0 + 2 + k * 4 + 1 + (k % 3), loopParent);
    if (k === needleIn) start(shop, 'needle-span', t0 + 2 + k * 4, t0 + 3 + k * 4, q);
  }
  const fillerRoot = start(shop, 'filler', t0 + 10_000, t0 + 19_000, root);
  const nodes: Span[] = [fillerRoot];
  for (let i = 1; i <= filler; i++) {
    const p = nodes[Math.floor((i - 1) / 4)]!;
    nodes.push(start(shop, `step-${i % 4}-${Math.floor(Math.log2(i + 1))}`, t0 + 10_000 + (i % 9000), t0 + 10_001 + (i % 9000), p));
  }
  for (let i = ended.length - 1; i >= 0; i--) ended[i]![0].end(ended[i]![1]);
  await Promise.all(providers.map((p) => p.forceFlush()));
  await Promise.all(providers.map((p) => p.shutdown()));
  return { traceId: root.spanContext().traceId, spanCount: ended.length, needleIn };
}
