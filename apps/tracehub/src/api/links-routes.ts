/**
 * GET /api/v1/traces/{traceId}/links: the spans of other traces whose links
 * point at this trace (incoming links; a span's outgoing links are in the
 * trace itself). Bounded by a window around the trace and a row limit.
 */
import type * as wire from '@tracelab/api-contract';
import type { FastifyInstance } from 'fastify';
import { ApiError } from '../errors.js';
import type { TraceReader } from '../store/types.js';
import { BadParameterError, parseDurationNs, parseLimit, parseTraceId, type Query, single } from './params.js';

const HOUR_NS = 3_600_000_000_000n;
const MAX_WINDOW_NS = 24n * HOUR_NS;

export async function registerLinksApi(app: FastifyInstance, deps: { reader: TraceReader }): Promise<void> {
  app.get('/api/v1/traces/:traceId/links', async (req): Promise<wire.IncomingLinks> => {
    const traceId = parseTraceId((req.params as { traceId: string }).traceId);
    const q = req.query as Query;
    const rawWindow = single(q, 'window');
    const windowNs = rawWindow ? parseDurationNs(rawWindow, 'window') : HOUR_NS;
    if (windowNs <= 0n || windowNs > MAX_WINDOW_NS) throw new BadParameterError('window', 'must be more than 0 and at most 24h');
    const limit = parseLimit(single(q, 'limit'), 'limit', 100, 1000);
    const incoming = await deps.reader.incomingLinks({ traceId, windowNs, limit });
    if (incoming === null) throw new ApiError('TRACE_NOT_FOUND', `trace ${traceId} not found`);
    return { incoming };
  });
}
