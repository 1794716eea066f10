/**
 * Real OpenTelemetry JS SDK spans and log records, for the codec tests: the
 * requests are produced by the SDK's own OTLP serializers.
 */
import { SpanKind, SpanStatusCode, context, trace } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor, type ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { SeverityNumber } from '@opentelemetry/api-logs';

export function hrToNanos(hr: [number, number]): bigint {
  return BigInt(hr[0]) * 1_000_000_000n + BigInt(hr[1]);
}

export async function makeSdkSpans(): Promise<ReadableSpan[]> {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'checkout', 'service.version': '1.2.3', 'host.cpus': 8 }),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  const tracer = provider.getTracer('codec-test', '0.9.1', { schemaUrl: 'https://opentelemetry.io/schemas/1.30.0' });
  const other = provider.getTracer('db-client', '2.0.0');

  const root = tracer.startSpan('GET /checkout', {
    kind: SpanKind.SERVER,
    attributes: {
      'http.request.method': 'GET',
      'http.response.status_code': 500,
      'url.path': '/checkout',
      ratio: 0.25,
      retried: true,
      tags: ['a', 'b'],
      ints: [1, -2, 3],
      big: 2 ** 40 + 7,
      negative: -42,
    },
  });
  root.addEvent('cache miss', { 'cache.key': 'cart:42', attempt: 2 });
  root.setStatus({ code: SpanStatusCode.ERROR, message: 'payment declined' });
  const ctx = trace.setSpan(context.active(), root);
  const child = other.startSpan(
    'SELECT orders',
    {
      kind: SpanKind.CLIENT,
      attributes: { 'db.system.name': 'postgresql', 'db.query.text': 'SELECT * FROM orders WHERE id = $1' },
      links: [{ context: root.spanContext(), attributes: { 'link.reason': 'retry' } }],
    },
    ctx,
  );
  child.setStatus({ code: SpanStatusCode.OK });
  child.end();
  const producer = tracer.startSpan('publish order', { kind: SpanKind.PRODUCER }, ctx);
  producer.end();
  root.end();
  await provider.forceFlush();
  const spans = exporter.getFinishedSpans();
  await provider.shutdown();
  return spans;
}

export async function makeSdkLogs(traceContext?: { traceId: string; spanId: string }): Promise<ReadableLogRecord[]> {
  const exporter = new InMemoryLogRecordExporter();
  const provider = new LoggerProvider({
    resource: resourceFromAttributes({ 'service.name': 'checkout' }),
    processors: [new SimpleLogRecordProcessor({ exporter })],
  });
  const logger = provider.getLogger('codec-logs', '1.0.0');
  let ctx = context.active();
  if (traceContext) {
    ctx = trace.setSpanContext(ctx, { traceId: traceContext.traceId, spanId: traceContext.spanId, traceFlags: 1 });
  }
  logger.emit({
    severityNumber: SeverityNumber.ERROR,
    severityText: 'ERROR',
    body: {
      message: 'payment failed',
      amount: 12.5,
      count: 3,
      ok: false,
      raw: new Uint8Array([0, 1, 2, 250, 255]),
      nested: { list: [1, 'two', [true]] },
    },
    attributes: { 'order.id': 'o-1', attempts: 2 },
    context: ctx,
    eventName: 'payment.failed',
  });
  logger.emit({ body: 'plain message', severityNumber: SeverityNumber.INFO });
  await provider.forceFlush();
  const logs = exporter.getFinishedLogRecords();
  await provider.shutdown();
  return logs;
}
