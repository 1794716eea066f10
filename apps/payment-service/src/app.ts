import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { adminRoutes } from './admin.js';
import { toErrorResponse } from './errors.js';
import { applyPaymentFaults } from './faults.js';
import { processPayment } from './process-payment.js';
import { PaymentStats } from './stats.js';
import { parsePaymentInput } from './validation.js';

export interface BuildOptions {
  logger?: FastifyServerOptions['logger'];
  stats?: PaymentStats;
}

export const BODY_LIMIT_BYTES = 16 * 1024;

export function build(options: BuildOptions = {}): FastifyInstance {
  const app = Fastify({ logger: options.logger ?? false, bodyLimit: BODY_LIMIT_BYTES });
  const stats = options.stats ?? new PaymentStats();

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

  /** Authorizes a payment after the requested delay. Body: {orderId, productName, quantity, delay?, fail?}. */
  app.post('/payments', async (request, reply) => {
    const parsed = parsePaymentInput(request.body);
    if (!parsed.ok) throw parsed.error;
    const { paymentId } = await processPayment(applyPaymentFaults(parsed.value), reply.raw, stats);
    return { status: 'AUTHORIZED', paymentId, orderId: parsed.value.orderId };
  });

  app.get('/health', async () => ({ status: 'ok' }));
  app.get('/ready', async () => ({ status: 'ready' }));
  app.get('/stats', async () => stats.snapshot());
  adminRoutes(app);
  return app;
}
