/**
 * A small dataset with spans at known times, sent through the real
 * OpenTelemetry JS SDK and OTLP/HTTP protobuf exporter, for the TraceQL
 * metrics contract tests. T0 is a whole minute; with step 60s and the range
 * [T0, T0+180s] the intervals are (T0-60,T0], (T0,T0+60], (T0+60,T0+120],
 * (T0+120,T0+180] (stamped T0, T0+60, T0+120, T0+180).
 */
import { ROOT_CONTEXT, SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, SimpleSpanProcessor, type IdGenerator } from '@opentelemetry/sdk-trace-base';

export interface DatasetSpan {
  service: 'alpha' | 'beta';
  name: string;
  /** Seconds after T0. */
  at: number;
  durMs: number;
  error?: boolean;
  attributes?: Record<string, number | string>;
}

export const DATASET: DatasetSpan[] = [
  { service: 'alpha', name: 'GET /a', at: 10, durMs: 100 },
  { service: 'alpha', name: 'GET /a', at: 20, durMs: 300 },
  { service: 'alpha', name: 'GET /a', at: 70, durMs: 3000, error: true },
  { service: 'alpha', name: 'POST /b', at: 130, durMs: 50, attributes: { 'http.response.status_code': 500 } },
  { service: 'beta', name: 'GET /a', at: 15, durMs: 1 },
  { service: 'beta', name: 'GET /a', at: 60, durMs: 10 }, // on a boundary: belongs to (T0, T0+60]
  { service: 'beta', name: 'GET /a', at: 75, durMs: 20 },
  { service: 'beta', name: 'GET /a', at: 200, durMs: 5 }, // after the range
  { service: 'beta', name: 'GET /a', at: 30, durMs: 2 },
  { service: 'beta', name: 'GET /a', at: 90, durMs: 40 },
];

/** DATASET[i] is the root span of trace traceIdOf(i), span id spanIdOf(i). */
export const traceIdOf = (i: number) => (i + 1).toString(16).padStart(32, '0');
export const spanIdOf = (i: number) => (0x100 + i).toString(16).padStart(16, '0');

class DatasetIds implements IdGenerator {
  private t = 0;
  private s = 0;
  generateTraceId(): string {
    return traceIdOf(this.t++);
  }
  generateSpanId(): string {
    return spanIdOf(this.s++);
  }
}

export async function loadDataset(otlpHttpUrl: string, t0Ms: number): Promise<void> {
  const idGenerator = new DatasetIds();
  const providers = (['alpha', 'beta'] as const).map(
    (service) =>
      [
        service,
        new BasicTracerProvider({
          resource: resourceFromAttributes({ 'service.name': service }),
          idGenerator,
          spanProcessors: [new SimpleSpanProcessor(new OTLPTraceExporter({ url: `${otlpHttpUrl}/v1/traces` }))],
        }),
      ] as const,
  );
  const tracers = Object.fromEntries(providers.map(([s, p]) => [s, p.getTracer('metrics-test')]));
  for (const d of DATASET) {
    const start = t0Ms + d.at * 1000;
    const span = tracers[d.service]!.startSpan(d.name, { kind: SpanKind.SERVER, startTime: start, attributes: d.attributes ?? {} }, ROOT_CONTEXT);
    if (d.error) span.setStatus({ code: SpanStatusCode.ERROR, message: 'boom' });
    span.end(start + d.durMs);
  }
  for (const [, p] of providers) {
    await p.forceFlush();
    await p.shutdown();
  }
}
