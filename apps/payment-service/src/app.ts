import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { Attributes, EventNames, serverSpan, traceRoutes } from '@tracelab/telemetry';
import { adminRoutes } from './admin.js';
import { errors, toErrorResponse } from './errors.js';
import { applyPaymentFaults } from './faults.js';
import { processPayment } from './process-payment.js';
import { IdempotencyStore } from './idempotency-store.js';
import { PaymentStats } from './stats.js';
import { parseIdempotencyKey, parsePaymentInput, paymentFingerprint } from './validation.js';

export interface BuildOptions {
  logger?: FastifyServerOptions['logger'];
  stats?: PaymentStats;
}

export const BODY_LIMIT_BYTES = 16 * 1024;

export function build(options: BuildOptions = {}): FastifyInstance {
  const app = Fastify({ logger: options.logger ?? false, bodyLimit: BODY_LIMIT_BYTES });
  const stats = options.stats ?? new PaymentStats();
  // The SERVER span is named after the route (`POST /payments`); process-payment is its child.
  traceRoutes(app);

  app.setErrorHandler((err, request, reply) => {
    const { status, body } = toErrorResponse(err);
    if (body.error === 'CLIENT_ABORTED') request.log.warn({ orderId: (request.body as { orderId?: string })?.orderId }, body.message);
    else if (status >= 500) request.log.error({ err }, 'payment failed');
    // For an aborted call the socket is gone; Fastify drops the write.
    reply.code(status).send(body);
  });

  app.setNotFoundHandler((request, reply) => {
    reply.code(404).send({ error: 'NOT_FOUND', message: `No route ${request.method} ${request.url.split('?')[0]}; use POST /payments.` });
  });

  /**
   * Authorizes a payment after the requested delay. Body: {orderId, productName, quantity, delay?, fail?}.
   * With an `Idempotency-Key` it charges once per key: a repeat of an authorized payment gets the same answer
   * (`Idempotent-Replayed: true`) without processing; a repeat while the first runs is 409 (as Stripe does);
   * a failed or aborted payment charged nothing, so its key is forgotten and a retry is processed afresh.
   */
  const idempotency = new IdempotencyStore();
  app.post('/payments', async (request, reply) => {
    const parsed = parsePaymentInput(request.body);
    if (!parsed.ok) throw parsed.error;
    const key = parseIdempotencyKey(request.headers['idempotency-key']);
    if (!key.ok) throw key.error;
    const input = parsed.value;
    const answer = (paymentId: string) => ({ status: 'AUTHORIZED', paymentId, orderId: input.orderId });
    if (key.value === undefined) return answer((await processPayment(applyPaymentFaults(input), reply.raw, stats)).paymentId);

    const span = serverSpan();
    span?.setAttribute(Attributes.IDEMPOTENCY_KEY, key.value);
    const begun = idempotency.begin(key.value, paymentFingerprint(input));
    if (begun.kind === 'mismatch') throw errors.idempotencyKeyReused(key.value);
    if (begun.kind === 'in_flight') {
      reply.header('retry-after', '1');
      throw errors.idempotencyKeyInUse(key.value);
    }
    if (begun.kind === 'replay') {
      stats.replayed++;
      span?.setAttribute(Attributes.IDEMPOTENCY_REPLAYED, true);
      span?.addEvent(EventNames.IDEMPOTENCY_REPLAY, { [Attributes.IDEMPOTENCY_ORIGINAL_TRACE_ID]: begun.payment.traceId, [Attributes.PAYMENT_ID]: begun.payment.paymentId });
      reply.header('idempotent-replayed', 'true');
      return answer(begun.payment.paymentId);
    }
    span?.setAttribute(Attributes.IDEMPOTENCY_REPLAYED, false);
    try {
      const { paymentId } = await processPayment(applyPaymentFaults(input), reply.raw, stats, key.value);
      idempotency.complete(key.value, { paymentId, traceId: span?.spanContext().traceId ?? '' });
      return answer(paymentId);
    } catch (err) {
      idempotency.abandon(key.value);
      throw err;
    }
  });

  app.get('/health', async () => ({ status: 'ok' }));
  app.get('/ready', async () => ({ status: 'ready' }));
  app.get('/stats', async () => stats.snapshot());
  adminRoutes(app);
  return app;
}
