import { expect, vi } from 'vitest';
/**
 * Loads the seed's three /order scenarios into a running tracehub through the
 * real OpenTelemetry JS SDK and OTLP/HTTP protobuf exporter, with fixed
 * timestamps and ids so the contract tests can assert exact answers.
 *
 *   ok        GET /order (Book, 150 ms) -> check-stock, call-payment-api -> payment POST /pay (100 ms), save-order
 *   outOfStock GET /order (OutOfStockItem, 20 ms, ERROR) -> check-stock (ERROR "out of stock")
 *   timeout   GET /order (Book, 650 ms, ERROR) -> check-stock, call-payment-api (ERROR, 600 ms) -> POST /pay (600 ms)
 */
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Span, type Tracer } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, SimpleSpanProcessor, type IdGenerator } from '@opentelemetry/sdk-trace-base';

export interface SeedTraces {
  ok: string;
  outOfStock: string;
  timeout: string;
  /** Unix ms of the earliest span start. */
  baseMs: number;
  all: string[];
}

/** Fixed trace ids; the out-of-stock one has leading zeros to exercise left-padding. */
const TRACE_IDS = {
  ok: '4bf92f3577b34da6a3ce929d0e0e4736',
  outOfStock: '00000000000000001234567890abcdef',
  timeout: 'a1b2c3d4e5f60718293a4b5c6d7e8f90',
};

class FixedIds implements IdGenerator {
  next = '';
  private n = 0;
  generateTraceId(): string {
    return this.next;
  }
  generateSpanId(): string {
    this.n++;
    return (0x1000 + this.n).toString(16).padStart(16, '0');
  }
}

export async function loadSeedTraces(otlpHttpUrl: string, baseMs = Date.now() - 60_000): Promise<SeedTraces> {
  const ids = new FixedIds();
  const exporters: OTLPTraceExporter[] = [];
  const provider = (service: string) => {
    const exporter = new OTLPTraceExporter({ url: `${otlpHttpUrl}/v1/traces` });
    exporters.push(exporter);
    return new BasicTracerProvider({
      resource: resourceFromAttributes({ 'service.name': service, 'service.version': '0.1.0', 'deployment.environment.name': 'test' }),
      idGenerator: ids,
      spanProcessors: [new SimpleSpanProcessor(exporter)],
    });
  };
  const orderP = provider('order-service');
  const paymentP = provider('payment-service');
  const order = orderP.getTracer('tracelab-order', '0.1.0');
  const payment = paymentP.getTracer('tracelab-payment', '0.1.0');

  const at = (ms: number) => baseMs + ms;
  const child = (tracer: Tracer, parent: Span, name: string, kind: SpanKind, startMs: number, attributes: Record<string, string | number> = {}) =>
    tracer.startSpan(name, { kind, startTime: at(startMs), attributes }, trace.setSpan(ROOT_CONTEXT, parent));

  function orderTrace(traceId: string, offsetMs: number, product: string, scenario: 'ok' | 'outOfStock' | 'timeout') {
    ids.next = traceId;
    const t0 = offsetMs;
    const total = scenario === 'ok' ? 150 : scenario === 'outOfStock' ? 20 : 650;
    const root = order.startSpan('GET /order', {
      kind: SpanKind.SERVER,
      startTime: at(t0),
      attributes: { 'http.request.method': 'GET', 'http.route': '/order', 'app.product': product, 'app.order/channel': 'web' },
    });
    const stock = child(order, root, 'check-stock', SpanKind.INTERNAL, t0 + 2, { 'db.system.name': 'postgresql' });
    if (scenario === 'outOfStock') {
      stock.recordException(new Error('out of stock: OutOfStockItem'), at(t0 + 10));
      stock.setStatus({ code: SpanStatusCode.ERROR, message: 'out of stock' });
      stock.end(at(t0 + 12));
      root.setStatus({ code: SpanStatusCode.ERROR, message: 'out of stock' });
      root.setAttribute('http.response.status_code', 409);
      root.end(at(t0 + total));
      return;
    }
    stock.end(at(t0 + 10));
    const payDur = scenario === 'ok' ? 100 : 600;
    const call = child(order, root, 'call-payment-api', SpanKind.CLIENT, t0 + 12, { 'server.address': 'payment-service' });
    const pay = child(payment, call, 'POST /pay', SpanKind.SERVER, t0 + 14, { 'app.delay_ms': payDur });
    pay.end(at(t0 + 14 + payDur));
    if (scenario === 'timeout') {
      call.recordException(new Error('payment timed out after 500 ms'), at(t0 + 512));
      call.setStatus({ code: SpanStatusCode.ERROR, message: 'payment timed out' });
      call.end(at(t0 + 640));
      root.setStatus({ code: SpanStatusCode.ERROR, message: 'payment timed out' });
      root.setAttribute('http.response.status_code', 504);
      root.end(at(t0 + total));
      return;
    }
    call.end(at(t0 + 14 + payDur + 2));
    const save = child(order, root, 'save-order', SpanKind.INTERNAL, t0 + 120, { 'db.system.name': 'postgresql' });
    save.end(at(t0 + 140));
    root.setStatus({ code: SpanStatusCode.OK });
    root.setAttribute('http.response.status_code', 200);
    root.end(at(t0 + total));
  }

  orderTrace(TRACE_IDS.ok, 0, 'Book', 'ok');
  orderTrace(TRACE_IDS.outOfStock, 1000, 'OutOfStockItem', 'outOfStock');
  orderTrace(TRACE_IDS.timeout, 2000, 'Book', 'timeout');
  await orderP.forceFlush();
  await paymentP.forceFlush();
  await orderP.shutdown();
  await paymentP.shutdown();
  return { ...TRACE_IDS, baseMs, all: Object.values(TRACE_IDS) };
}

/** Span counts per seed trace, for completeness checks. */
export const SEED_SPAN_COUNTS = { ok: 5, outOfStock: 2, timeout: 4 };

/**
 * Ingest is asynchronous: waits until a Tempo search of `{}` (spss 100) finds every span of every seed trace.
 * `search` is the test's own Tempo /api/search call.
 */
export async function waitForSeedTraces(
  seed: SeedTraces,
  search: (q: string, extra: Record<string, string | number>) => Promise<{ traces: { traceID: string; spanSets: { matched: number }[] }[] }>,
): Promise<void> {
  await vi.waitFor(
    async () => {
      const r = await search('{}', { spss: 100 });
      const total = Object.fromEntries(r.traces.map((t) => [t.traceID, t.spanSets[0]!.matched]));
      expect(total).toEqual({ [seed.ok]: SEED_SPAN_COUNTS.ok, [seed.outOfStock]: SEED_SPAN_COUNTS.outOfStock, [seed.timeout]: SEED_SPAN_COUNTS.timeout });
    },
    { timeout: 30_000, interval: 100 },
  );
}
