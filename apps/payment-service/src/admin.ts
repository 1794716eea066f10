import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { handleAdminRequest } from '@tracelab/lab-faults';

/** The lab's admin API: GET/PUT/PATCH/DELETE /admin/faults, 127.0.0.1 only. order-service passes its changes on here. */
export function adminRoutes(app: FastifyInstance): void {
  const handle = async (request: FastifyRequest, reply: FastifyReply) => {
    const result = handleAdminRequest(request.socket.remoteAddress, request.method, request.body);
    return reply.code(result.status).send(result.body);
  };
  app.route({ method: ['GET', 'PUT', 'PATCH', 'DELETE'], url: '/admin/faults', handler: handle });
}
