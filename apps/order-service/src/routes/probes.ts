import type { FastifyInstance } from 'fastify';
import type pg from 'pg';
import { PING } from '../db/queries.js';
import type { OrderMetrics } from '../metrics.js';

/** Liveness, readiness (database reachable) and Prometheus counters. Not traced (see the telemetry ignore list). */
export function probeRoutes(app: FastifyInstance, pool: pg.Pool, metrics: OrderMetrics): void {
  app.get('/health', async () => ({ status: 'ok' }));

  app.get('/ready', async (_request, reply) => {
    try {
      await pool.query(PING);
      return { status: 'ready' };
    } catch (err) {
      reply.code(503);
      return { status: 'not ready', message: `PostgreSQL is not reachable: ${(err as Error).message}` };
    }
  });

  app.get('/metrics', async (_request, reply) => {
    reply.type('text/plain; version=0.0.4');
    return metrics.render();
  });
}
