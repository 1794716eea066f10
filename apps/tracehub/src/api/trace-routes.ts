/**
 * Trace by id: GET /api/v1/traces/{id} (?format=json|compact, ?root=<spanId>)
 * and GET /api/v1/traces/{id}/search?q= (span ids matching the UI's Find rule).
 */
import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { searchTraceSpans } from '../analysis/trace-search.js';
import { subtreeSpans } from '../analysis/subtree.js';
import { ApiError } from '../errors.js';
import type { SpanRecord } from '../model.js';
import type { TraceReader } from '../store/types.js';
import { compactTraceSink, encodeCompactTrace } from './compact.js';
import { jsonPieces } from './json-pieces.js';
import { BadParameterError, parseEnum, parseLimit, parseSpanId, parseTraceId, type Query, single } from './params.js';
import { traceDetailJson } from './present.js';

type Req = FastifyRequest<{ Params: { traceId: string } }>;

export const SEARCH_LIMIT_MAX = 1_000_000;
/** Above this many spans the JSON detail is streamed (~1 KB per span; V8 strings end at ~512 MB). */
const STREAM_JSON_SPANS = 100_000;
/** Above this many spans the compact detail's text is streamed (~130 bytes per span) rather than joined. */
const STREAM_COMPACT_SPANS = 20_000;

export function registerTraceApi(app: FastifyInstance, deps: { reader: TraceReader }): void {
  const load = async (req: Req): Promise<{ traceId: string; spans: SpanRecord[] }> => {
    const traceId = parseTraceId(req.params.traceId);
    const spans = await deps.reader.getTrace(traceId);
    if (!spans) throw new ApiError('TRACE_NOT_FOUND', `trace ${traceId} not found`);
    return { traceId, spans };
  };

  app.get('/api/v1/traces/:traceId', async (req: Req, reply: FastifyReply) => {
    const q = req.query as Query;
    const format = parseEnum(single(q, 'format'), 'format', ['json', 'compact'] as const) ?? 'json';
    const rawRoot = single(q, 'root');
    const root = rawRoot === undefined ? undefined : parseSpanId(rawRoot, 'root');
    if (format === 'compact' && root === undefined) {
      // The whole trace in the compact form, built straight from the store's rows (no record per span).
      const traceId = parseTraceId(req.params.traceId);
      const compact = await deps.reader.readTrace(traceId, compactTraceSink);
      if (!compact) throw new ApiError('TRACE_NOT_FOUND', `trace ${traceId} not found`);
      reply.type('application/json; charset=utf-8');
      return reply.send(compact.spanCount > STREAM_COMPACT_SPANS ? Readable.from(compact.pieces()) : [...compact.pieces()].join(''));
    }
    const { traceId, spans: all } = await load(req);
    let spans = all;
    if (root !== undefined) {
      const sub = subtreeSpans(all, root);
      if (!sub) throw new ApiError('SPAN_NOT_FOUND', `span ${root} (root) is not in trace ${traceId}`);
      spans = sub;
    }
    const subtree = root === undefined ? undefined : { rootSpanId: root, traceSpanCount: all.length };
    if (format === 'compact') return { ...encodeCompactTrace(spans), ...(subtree && { subtree }) };
    const body = { ...traceDetailJson(spans), ...(subtree && { subtree }) };
    // A very large JSON detail is longer than the longest string V8 can build: send it in pieces.
    if (spans.length > STREAM_JSON_SPANS) return reply.type('application/json; charset=utf-8').send(Readable.from(jsonPieces(body)));
    return body;
  });

  app.get('/api/v1/traces/:traceId/search', async (req: Req) => {
    const q = req.query as Query;
    const text = single(q, 'q');
    if (text === undefined || text.trim() === '') throw new BadParameterError('q', 'required (the text to find in the trace\'s spans)');
    const limit = parseLimit(single(q, 'limit'), 'limit', 10_000, SEARCH_LIMIT_MAX);
    const { spans } = await load(req);
    const ids = searchTraceSpans(spans, text);
    return { q: text, total: ids.length, spanIds: ids.slice(0, limit), truncated: ids.length > limit };
  });
}
