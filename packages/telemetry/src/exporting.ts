import { diag } from '@opentelemetry/api';
import { OTLPTraceExporter as GrpcExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { OTLPTraceExporter as JsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtobufExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { BatchSpanProcessor, ConsoleSpanExporter, SimpleSpanProcessor, type SpanExporter, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { registerSerialExporter, SerialExporter } from './serial-exporter.js';

type Env = Record<string, string | undefined>;

const list = (value: string | undefined) =>
  (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '' && s !== 'null');

function otlpExporter(env: Env): SpanExporter {
  const protocol = (env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL ?? env.OTEL_EXPORTER_OTLP_PROTOCOL ?? 'http/protobuf').trim();
  switch (protocol) {
    case 'grpc':
      return new GrpcExporter();
    case 'http/json':
      return new JsonExporter();
    case 'http/protobuf':
      return new ProtobufExporter();
    default:
      diag.warn(`Unsupported OTLP traces protocol: ${protocol}. Using http/protobuf.`);
      return new ProtobufExporter();
  }
}

/** The OTLP export timeout the exporters use (OTEL_EXPORTER_OTLP_[TRACES_]TIMEOUT, 10 s by default). */
export function exportTimeoutMs(env: Env): number {
  const n = Number(env.OTEL_EXPORTER_OTLP_TRACES_TIMEOUT ?? env.OTEL_EXPORTER_OTLP_TIMEOUT);
  return Number.isFinite(n) && n > 0 ? n : 10_000;
}

/**
 * The exporting span processors OTEL_TRACES_EXPORTER asks for (`otlp`, the
 * default, or `console`; `none`: no processors, so no tracing), as NodeSDK
 * would build them from the environment (protocol, OTEL_BSP_* batch settings),
 * except that each OTLP exporter is wrapped in a SerialExporter: one export
 * in flight at a time, whatever the batch processor does after a failure.
 */
export function exportingSpanProcessors(env: Env): SpanProcessor[] {
  let names = [...new Set(list(env.OTEL_TRACES_EXPORTER))];
  if (names[0] === 'none') return [];
  if (names.length === 0 || names.includes('none')) names = ['otlp'];
  const processors: SpanProcessor[] = [];
  for (const name of names) {
    if (name === 'otlp') {
      const exporter = registerSerialExporter(new SerialExporter(otlpExporter(env), { staleAfterMs: exportTimeoutMs(env) }));
      // Reads OTEL_BSP_MAX_QUEUE_SIZE, OTEL_BSP_SCHEDULE_DELAY, ... itself.
      processors.push(new BatchSpanProcessor(exporter));
    } else if (name === 'console') {
      processors.push(new SimpleSpanProcessor(new ConsoleSpanExporter()));
    } else {
      diag.warn(`Unsupported OTEL_TRACES_EXPORTER value: ${name} (supported: otlp, console, none).`);
    }
  }
  return processors;
}
