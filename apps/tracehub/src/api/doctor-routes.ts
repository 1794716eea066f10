/**
 * GET /api/v1/traces/{traceId}/doctor: why a trace does not connect
 * (analysis/doctor.ts). Reads the trace, then the spans of other traces
 * around the calls that left it and around its root entries, in one query.
 */
import type * as wire from '@tracelab/api-contract';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ASYNC_LEAD_NS, CLIENT_LEAD_NS, HOP_SKEW_NS, openCalls, rootEntries } from '../analysis/broken-hop.js';
import { diagnose, doctorSpan, type DoctorSpan } from '../analysis/doctor.js';
import { HOP_KEYS } from '../analysis/hop-match.js';
import { ApiError } from '../errors.js';
import { SpanKind } from '../model.js';
import type { HopCandidateQuery, TraceReader } from '../store/types.js';
import { parseTraceId } from './params.js';

/** Candidate spans read per sort (servers, clients): a bound on the work of one answer. */
const CANDIDATE_LIMIT = 2000;

const min = (xs: bigint[]) => xs.reduce((a, b) => (b < a ? b : a));
const max = (xs: bigint[]) => xs.reduce((a, b) => (b > a ? b : a));

/** The store query for the other ends of the trace's open calls and root entries. */
export function candidateQuery(traceId: string, spans: readonly DoctorSpan[]): HopCandidateQuery {
  const q: HopCandidateQuery = { excludeTraceId: traceId, keys: HOP_KEYS, limit: CANDIDATE_LIMIT };
  const calls = openCalls(spans);
  if (calls.length > 0) {
    const lead = calls.some((c) => c.kind === SpanKind.PRODUCER) ? ASYNC_LEAD_NS : 0n;
    q.servers = { startNs: min(calls.map((c) => c.startNs)) - HOP_SKEW_NS, endNs: max(calls.map((c) => c.endNs)) + HOP_SKEW_NS + lead };
  }
  const roots = rootEntries(spans);
  if (roots.length > 0) {
    const first = min(roots.map((r) => r.startNs));
    q.clients = { startNs: first - CLIENT_LEAD_NS, endNs: max(roots.map((r) => r.startNs)) + HOP_SKEW_NS, endAfterNs: first - HOP_SKEW_NS };
  }
  return q;
}

export function registerDoctorApi(app: FastifyInstance, deps: { reader: TraceReader }): void {
  app.get('/api/v1/traces/:traceId/doctor', async (req: FastifyRequest<{ Params: { traceId: string } }>): Promise<wire.Diagnosis> => {
    const traceId = parseTraceId(req.params.traceId);
    const records = await deps.reader.getTrace(traceId);
    if (!records) throw new ApiError('TRACE_NOT_FOUND', `trace ${traceId} not found`);
    const spans = records.map(doctorSpan);
    const candidates = await deps.reader.hopCandidates(candidateQuery(traceId, spans));
    return { traceId, ...diagnose(spans, candidates) };
  });
}
