import type { FastifyInstance, FastifyRequest } from 'fastify';
import { placeOrder, type OrderDeps } from '../orders.js';
import { parseOrderInput } from '../validation.js';
import type { OrderMetrics } from '../metrics.js';

/** `GET /order?productName=Book&delay=100[&quantity=1][&fail=true]` (the seed's call) and `POST /orders` (JSON body). */
export function orderRoutes(app: FastifyInstance, deps: OrderDeps, metrics: OrderMetrics): void {
  const order = async (request: FastifyRequest, raw: unknown) => {
    const parsed = parseOrderInput(raw);
    if (!parsed.ok) throw parsed.error;
    const confirmed = await placeOrder(deps, parsed.value, request.traceId);
    metrics.count(confirmed.status);
    return { ...confirmed, traceId: request.traceId, traceUrl: request.traceUrl };
  };

  app.get('/order', (request) => order(request, request.query));

  app.post('/orders', async (request, reply) => {
    const body = await order(request, request.body);
    reply.code(201);
    return body;
  });
}
