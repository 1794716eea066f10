import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Attributes, EventNames, serverSpan } from '@tracelab/telemetry';
import { OrderIdempotency, type StoredAnswer } from '../db/idempotency.js';
import { errorAnswer, errors } from '../errors.js';
import { placeOrder, type OrderDeps } from '../orders.js';
import { orderFingerprint, parseIdempotencyKey, parseOrderInput, type OrderInput } from '../validation.js';
import type { OrderMetrics } from '../metrics.js';

/**
 * `GET /order?productName=Book&delay=100[&quantity=1][&fail=true]` (the seed's call) and `POST /orders` (JSON body),
 * which honours an `Idempotency-Key` header: one order per key, and the same answer for every repeat.
 */
export function orderRoutes(app: FastifyInstance, deps: OrderDeps, metrics: OrderMetrics): void {
  const idempotency = new OrderIdempotency(deps.pool);

  const parse = (raw: unknown): OrderInput => {
    const parsed = parseOrderInput(raw);
    if (!parsed.ok) throw parsed.error;
    return parsed.value;
  };

  const order = async (request: FastifyRequest, input: OrderInput, orderId?: string) => {
    const confirmed = await placeOrder(deps, input, request.traceId, orderId);
    metrics.count(confirmed.status);
    return { ...confirmed, traceId: request.traceId, traceUrl: request.traceUrl };
  };

  /**
   * The first request with a key runs the order and stores its answer (2xx, 4xx); a repeat gets that answer
   * again, byte for byte, with `Idempotent-Replayed: true`. A 5xx stores nothing (stock released, no order), so
   * the same request may run again. The SERVER span says which request did the work (`tracelab.idempotency.replayed`).
   */
  const idempotentOrder = async (request: FastifyRequest, reply: FastifyReply, key: string, input: OrderInput) => {
    const span = serverSpan();
    span?.setAttribute(Attributes.IDEMPOTENCY_KEY, key);
    const claim = await idempotency.claim(key, orderFingerprint(input));
    if (claim.kind === 'mismatch') throw errors.idempotencyKeyReused(key);
    if (claim.kind === 'in_flight') {
      reply.header('retry-after', '1');
      throw errors.idempotencyKeyInUse(key);
    }
    if (claim.kind === 'replay') {
      span?.setAttribute(Attributes.IDEMPOTENCY_REPLAYED, true);
      span?.addEvent(EventNames.IDEMPOTENCY_REPLAY, {
        [Attributes.IDEMPOTENCY_ORIGINAL_TRACE_ID]: claim.answer.traceId ?? '',
        'http.response.status_code': claim.answer.status,
      });
      metrics.count('REPLAYED');
      return reply.code(claim.answer.status).header('idempotent-replayed', 'true').type('application/json; charset=utf-8').send(claim.answer.body);
    }

    span?.setAttribute(Attributes.IDEMPOTENCY_REPLAYED, false);
    const remember = (answer: StoredAnswer) =>
      idempotency.complete(key, claim.orderId, answer).catch((err: unknown) => {
        // The client has its answer; until the claim's lease ends a repeat gets 409, then the order reruns (same order id).
        request.log.error({ err, key }, 'could not store the idempotent answer');
      });
    let body: Awaited<ReturnType<typeof order>>;
    try {
      body = await order(request, input, claim.orderId);
    } catch (err) {
      // What the error handler will answer for `err`.
      const failed = errorAnswer(err, request);
      if (failed.status >= 500) await idempotency.release(key, claim.orderId).catch(() => undefined);
      else await remember({ status: failed.status, body: JSON.stringify(failed.body), traceId: request.traceId });
      throw err;
    }
    await remember({ status: 201, body: JSON.stringify(body), traceId: request.traceId });
    return body;
  };

  app.get('/order', (request) => order(request, parse(request.query)));

  app.post('/orders', async (request, reply) => {
    const key = parseIdempotencyKey(request.headers['idempotency-key']);
    if (!key.ok) throw key.error;
    const input = parse(request.body);
    reply.code(201);
    return key.value === undefined ? order(request, input) : idempotentOrder(request, reply, key.value, input);
  });
}
