import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { handleAdminRequest } from '@tracelab/lab-faults';

/**
 * The lab's admin API: GET/PUT/PATCH/DELETE /admin/faults (127.0.0.1 only).
 * order-service is the lab's control point: a change here is applied here and
 * passed on to payment-service (when `paymentUrl` is given), so both services
 * know every active switch and tag their spans with all of them.
 */
export function adminRoutes(app: FastifyInstance, paymentUrl?: string): void {
  const handle = async (request: FastifyRequest, reply: FastifyReply) => {
    const result = handleAdminRequest(request.socket.remoteAddress, request.method, request.body);
    if (result.status !== 200 || request.method === 'GET' || !paymentUrl) return reply.code(result.status).send(result.body);
    // Keep payment-service in step with the same full state.
    const state = (result.body as { faults: object }).faults;
    try {
      const res = await fetch(`${paymentUrl}/admin/faults`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(state),
        signal: AbortSignal.timeout(2000),
      });
      if (!res.ok) throw new Error(`HTTP ${res.status}: ${(await res.text()).slice(0, 200)}`);
    } catch (err) {
      return reply.code(502).send({
        error: 'PAYMENT_ADMIN_UNREACHABLE',
        message: `Changed here, but payment-service's admin API at ${paymentUrl}/admin/faults did not take it (${(err as Error).message}).`,
        ...result.body,
      });
    }
    return reply.code(200).send(result.body);
  };
  app.route({ method: ['GET', 'PUT', 'PATCH', 'DELETE'], url: '/admin/faults', handler: handle });
}
