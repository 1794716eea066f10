/**
 * GET /api/v1/metrics: RED metrics (rate, errors, duration) per service, or
 * per operation of one service, computed from the stored spans, with the
 * intervals during which spans carried `lab.faults`. See API.md "RED metrics".
 */
import type * as wire from '@tracelab/api-contract';
import type { FastifyInstance } from 'fastify';
import { metricsAnswer, parseMetricsRequest, redQueryFor } from '../analysis/metrics.js';
import type { TraceReader } from '../store/types.js';

export function registerMetricsApi(app: FastifyInstance, deps: { reader: TraceReader }): void {
  app.get('/api/v1/metrics', async (req): Promise<wire.Metrics> => {
    const r = parseMetricsRequest(req.query as Record<string, string | string[] | undefined>, BigInt(Date.now()) * 1_000_000n);
    const [rows, buckets] = await Promise.all([deps.reader.redMetrics(redQueryFor(r)), deps.reader.faultBuckets(r.startNs, r.stepNs, r.points, r.endNs)]);
    return metricsAnswer(r, rows, buckets);
  });
}
