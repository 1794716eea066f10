import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type pg from 'pg';
import { formatTraceResponse, serverSpan, traceRoutes, traceUrl } from '@tracelab/telemetry';
import { errorAnswer } from './errors.js';
import { OrderMetrics } from './metrics.js';
import type { PaymentClient } from './payment-client.js';
import { orderFaultHooks } from './faults.js';
import { adminRoutes } from './routes/admin.js';
import { orderRoutes } from './routes/order.js';
import { probeRoutes } from './routes/probes.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The request's trace id, or null when tracing is disabled. */
    traceId: string | null;
    /** The trace's page in tracehub's UI, or null when tracing is disabled. */
    traceUrl: string | null;
  }
}

export interface BuildOptions {
  pool: pg.Pool;
  payments: PaymentClient;
  paymentTimeoutMs: number;
  traceUiUrl?: string;
  /** payment-service, to pass fault switch changes on to (the lab's admin API). */
  paymentUrl?: string;
  logger?: FastifyServerOptions['logger'];
}

export const BODY_LIMIT_BYTES = 16 * 1024;

export function build(options: BuildOptions): FastifyInstance {
  const app = Fastify({ logger: options.logger ?? false, bodyLimit: BODY_LIMIT_BYTES });
  const metrics = new OrderMetrics();

  app.decorateRequest('traceId', null);
  app.decorateRequest('traceUrl', null);

  // The SERVER span is named after the route (`GET /order`) and the handler's spans are its children.
  traceRoutes(app);
  // The SERVER span identifies the request in `traceresponse`.
  // A callback hook, not an async one: no promise per request.
  app.addHook('onRequest', (request, reply, done) => {
    const span = serverSpan();
    const header = formatTraceResponse(span?.spanContext());
    if (span && header) {
      const traceId = span.spanContext().traceId;
      request.traceId = traceId;
      request.traceUrl = traceUrl(traceId, options.traceUiUrl);
      reply.header('traceresponse', header);
    }
    done();
  });

  app.setErrorHandler((err, request, reply) => {
    const { status, body } = errorAnswer(err, request);
    if (status >= 500) request.log.error({ err }, 'order failed');
    metrics.count(body.error);
    reply.code(status).send(body);
  });

  app.setNotFoundHandler((request, reply) => {
    reply.code(404).send({
      error: 'NOT_FOUND',
      message: `No route ${request.method} ${request.url.split('?')[0]}; try GET /order?productName=Book&delay=100.`,
      traceId: request.traceId,
      traceUrl: request.traceUrl,
    });
  });

  const deps = { pool: options.pool, payments: options.payments, paymentTimeoutMs: options.paymentTimeoutMs, log: app.log, faults: orderFaultHooks };
  orderRoutes(app, deps, metrics);
  adminRoutes(app, options.paymentUrl);
  probeRoutes(app, options.pool, metrics);
  return app;
}
