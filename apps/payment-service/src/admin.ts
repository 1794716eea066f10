import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { handleFaultsRequest, isLoopback } from '@tracelab/lab-faults';

/** The lab's admin API: GET/PUT/PATCH/DELETE /admin/faults, 127.0.0.1 only. order-service passes its changes on here. */
export function adminRoutes(app: FastifyInstance): void {
  const handle = async (request: FastifyRequest, reply: FastifyReply) => {
    if (!isLoopback(request.socket.remoteAddress)) {
      return reply.code(403).send({ error: 'FORBIDDEN', message: 'The admin API answers only requests from this machine (127.0.0.1).' });
    }
    const result = handleFaultsRequest(request.method, request.body);
    return reply.code(result.status).send(result.body);
  };
  app.route({ method: ['GET', 'PUT', 'PATCH', 'DELETE'], url: '/admin/faults', handler: handle });
}
