// Sends traces shaped like the seed's three scenarios through the real
// OpenTelemetry JS SDK and OTLP/HTTP protobuf exporter.
import { context, SpanKind, SpanStatusCode, trace, type Span, type Tracer } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { SeverityNumber, type Logger } from '@opentelemetry/api-logs';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';

export interface Senders {
  order: Tracer;
  payment: Tracer;
  orderLogger: Logger;
  flush(): Promise<void>;
  shutdown(): Promise<void>;
}

export function makeSenders(otlpHttpUrl: string, names = { order: 'order-service', payment: 'payment-service' }): Senders {
  const provider = (service: string) =>
    new BasicTracerProvider({
      resource: resourceFromAttributes({ 'service.name': service, 'service.version': '1.0.0' }),
      spanProcessors: [new SimpleSpanProcessor(new OTLPTraceExporter({ url: `${otlpHttpUrl}/v1/traces` }))],
    });
  const order = provider(names.order);
  const payment = provider(names.payment);
  const logs = new LoggerProvider({
    resource: resourceFromAttributes({ 'service.name': names.order }),
    // sdk-logs 0.2xx takes the exporter in an options object.
    processors: [new SimpleLogRecordProcessor({ exporter: new OTLPLogExporter({ url: `${otlpHttpUrl}/v1/logs` }) })],
  });
  return {
    order: order.getTracer('tracehub-ui-e2e'),
    payment: payment.getTracer('tracehub-ui-e2e'),
    orderLogger: logs.getLogger('tracehub-ui-e2e'),
    flush: async () => {
      await order.forceFlush();
      await payment.forceFlush();
      await logs.forceFlush();
    },
    shutdown: async () => {
      await order.shutdown();
      await payment.shutdown();
      await logs.shutdown();
    },
  };
}

export type Scenario = 'success' | 'out-of-stock' | 'payment-timeout';

function child(tracer: Tracer, parent: Span, name: string, kind: SpanKind, startMs: number): Span {
  return tracer.startSpan(name, { kind, startTime: startMs }, trace.setSpan(context.active(), parent));
}

/**
 * One `GET /order` trace: check-stock, then call-payment-api → payment-service
 * process-payment, then save-order. Returns the trace id.
 */
export function sendOrderTrace(s: Senders, scenario: Scenario, t0 = Date.now()): string {
  const product = scenario === 'out-of-stock' ? 'OutOfStockItem' : 'Widget';
  const root = s.order.startSpan('GET /order', {
    kind: SpanKind.SERVER,
    startTime: t0,
    attributes: { 'http.request.method': 'GET', 'http.route': '/order', 'product.id': product },
  });
  const stock = child(s.order, root, 'check-stock', SpanKind.INTERNAL, t0 + 2);
  stock.setAttribute('product.id', product);
  if (scenario === 'out-of-stock') {
    s.orderLogger.emit({
      severityNumber: SeverityNumber.WARN,
      severityText: 'WARN',
      body: `stock check failed for ${product}`,
      attributes: { 'product.id': product },
      context: trace.setSpan(context.active(), stock),
    });
    const err = new Error(`Out of stock: ${product}`);
    err.name = 'OutOfStockError';
    stock.recordException(err, t0 + 9);
    stock.setStatus({ code: SpanStatusCode.ERROR, message: err.message });
    stock.end(t0 + 10);
    root.setAttribute('http.response.status_code', 409);
    root.setStatus({ code: SpanStatusCode.ERROR, message: 'order failed' });
    root.end(t0 + 12);
    return root.spanContext().traceId;
  }
  stock.end(t0 + 10);
  const call = child(s.order, root, 'call-payment-api', SpanKind.CLIENT, t0 + 11);
  call.setAttribute('server.address', 'payment-service');
  const pay = child(s.payment, call, 'process-payment', SpanKind.SERVER, t0 + 12);
  if (scenario === 'payment-timeout') {
    pay.end(t0 + 2_011);
    const err = new Error('payment timeout after 2000 ms');
    err.name = 'TimeoutError';
    call.recordException(err, t0 + 2_011);
    call.setStatus({ code: SpanStatusCode.ERROR, message: err.message });
    call.end(t0 + 2_011);
    root.setAttribute('http.response.status_code', 504);
    root.setStatus({ code: SpanStatusCode.ERROR, message: 'payment failed' });
    root.end(t0 + 2_013);
    return root.spanContext().traceId;
  }
  pay.setAttribute('payment.amount', 42.5);
  pay.end(t0 + 60);
  call.end(t0 + 62);
  const save = child(s.order, root, 'save-order', SpanKind.CLIENT, t0 + 63);
  save.setAttribute('db.system.name', 'postgresql');
  save.end(t0 + 70);
  root.setAttribute('http.response.status_code', 200);
  root.end(t0 + 72);
  return root.spanContext().traceId;
}

export const XSS_IMG = '<img src=x onerror=alert(1)>';
export const XSS_SCRIPT = '<script>alert(1)</script>';

/** A trace whose names, attribute keys and values and events carry HTML/script payloads. */
export function sendHostileTrace(s: Senders, t0 = Date.now()): string {
  const root = s.order.startSpan(XSS_IMG, {
    kind: SpanKind.SERVER,
    startTime: t0,
    attributes: { [XSS_SCRIPT]: XSS_IMG, 'http.route': XSS_SCRIPT, 'note"><svg onload=alert(1)>': 'x' },
  });
  const inner = child(s.order, root, XSS_SCRIPT, SpanKind.INTERNAL, t0 + 1);
  inner.addEvent(XSS_IMG, { [XSS_IMG]: XSS_SCRIPT }, t0 + 2);
  const err = new Error(XSS_IMG);
  err.stack = `Error: ${XSS_IMG}\n    at ${XSS_SCRIPT} (evil.js:1:1)`;
  inner.recordException(err, t0 + 3);
  inner.setStatus({ code: SpanStatusCode.ERROR, message: XSS_SCRIPT });
  inner.end(t0 + 5);
  root.end(t0 + 6);
  return root.spanContext().traceId;
}

/** Poll the query API until a trace with `spanCount` spans is stored. */
export async function waitForTrace(apiUrl: string, traceId: string, spanCount: number, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    const res = await fetch(`${apiUrl}/api/v1/traces/${traceId}`);
    if (res.ok) {
      const body = (await res.json()) as { spans: unknown[] };
      if (body.spans.length >= spanCount) return;
      last = `${body.spans.length} spans`;
    } else last = `HTTP ${res.status}`;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`trace ${traceId} did not reach ${spanCount} spans within ${timeoutMs} ms (last: ${last})`);
}

/** Poll the logs API until a trace has at least `count` log records stored. */
export async function waitForLogs(apiUrl: string, traceId: string, count: number, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const res = await fetch(`${apiUrl}/api/v1/logs?traceId=${traceId}`);
    if (res.ok && ((await res.json()) as { logs: unknown[] }).logs.length >= count) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`trace ${traceId} did not get ${count} log records within ${timeoutMs} ms`);
}
