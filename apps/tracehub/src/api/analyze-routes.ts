/**
 * POST /api/v1/analyze/attributes: what sets a selection of traces apart
 * from the rest of the window (API.md). Thin: validates the body, lets the
 * store count, and analysis/attributes.ts rank.
 */
import type * as wire from '@tracelab/api-contract';
import type { FastifyInstance } from 'fastify';
import { rankAttributes } from '../analysis/attributes.js';
import type { AttributeAnalysisQuery, AttributeSelection, SpanPredicate, TraceReader } from '../store/types.js';
import type { Pipeline } from '../traceql/ast.js';
import { compileTraceQL, UnsupportedTraceQLError } from '../traceql/index.js';
import { parseSearchQuery, searchTraceQL } from '../traceql/search.js';
import { BadParameterError } from './params.js';

const HOUR_NS = 3_600_000_000_000n;
export const ANALYZE_BODY_LIMIT = 64 * 1024;
export const DEFAULT_TRACES_PER_SET = 1000;
export const MAX_TRACES_PER_SET = 10_000;
/** Values the store returns per key (the most common in either set); the answer shows the top 10 of them. */
const VALUES_PER_KEY = 50;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function nsString(v: unknown, field: string): bigint {
  if (typeof v !== 'string' || !/^\d{1,20}$/.test(v)) {
    throw new BadParameterError(field, 'must be a decimal string of nanoseconds since the epoch, e.g. "1732560000123456789"');
  }
  return BigInt(v);
}

function durationMs(v: unknown, field: string): bigint {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new BadParameterError(field, 'must be a number of milliseconds, 0 or more');
  return BigInt(Math.round(v * 1e6));
}

function onlyKeys(o: Obj, allowed: readonly string[], where: string): void {
  for (const k of Object.keys(o)) {
    if (!allowed.includes(k)) throw new BadParameterError(`${where}${k}`, `unknown field (expected ${allowed.join(', ')})`);
  }
}

/**
 * A parsed request: a store query, except that a TraceQL selection beyond one
 * SQL predicate (pipelines, structural operators, ...) is kept as a pipeline
 * for the route to evaluate (resolveSelection).
 */
export type AnalyzeRequest = Omit<AttributeAnalysisQuery, 'selection'> & {
  selection: AttributeSelection | { kind: 'traceql'; pipeline: Pipeline };
};

/** The request body; BadParameterError (400) naming the field otherwise, TraceQLError for a bad q. */
export function parseAnalyzeBody(body: unknown, nowNs: bigint = BigInt(Date.now()) * 1_000_000n): AnalyzeRequest {
  if (!isObj(body)) throw new BadParameterError('body', 'must be a JSON object like {"selection": {"status": "error"}}');
  onlyKeys(body, ['selection', 'start', 'end', 'limit'], '');
  const endNs = body.end === undefined ? nowNs : nsString(body.end, 'end');
  const startNs = body.start === undefined ? endNs - HOUR_NS : nsString(body.start, 'start');
  if (startNs > endNs) throw new BadParameterError('start', 'must not be after end');
  let limit = DEFAULT_TRACES_PER_SET;
  if (body.limit !== undefined) {
    if (typeof body.limit !== 'number' || !Number.isInteger(body.limit) || body.limit < 1 || body.limit > MAX_TRACES_PER_SET) {
      throw new BadParameterError('limit', `must be an integer from 1 to ${MAX_TRACES_PER_SET}`);
    }
    limit = body.limit;
  }
  const sel = body.selection;
  if (!isObj(sel)) throw new BadParameterError('selection', 'required: an object with exactly one of q, box, status');
  onlyKeys(sel, ['q', 'box', 'status'], 'selection.');
  const given = (['q', 'box', 'status'] as const).filter((k) => sel[k] !== undefined);
  if (given.length !== 1) {
    throw new BadParameterError(
      'selection',
      given.length === 0 ? 'needs one of q (TraceQL), box or status' : `give only one of q, box, status (got ${given.join(' and ')})`,
    );
  }
  let selection: AnalyzeRequest['selection'];
  if (given[0] === 'q') {
    if (typeof sel.q !== 'string' || sel.q.trim() === '') throw new BadParameterError('selection.q', 'must be a TraceQL filter, e.g. { duration > 500ms }');
    const pipeline = parseSearchQuery(sel.q);
    try {
      // The selector subset runs as one SQL predicate; anything else through the evaluator.
      selection = { kind: 'predicate', predicate: compileTraceQL(sel.q) };
    } catch (err) {
      if (!(err instanceof UnsupportedTraceQLError)) throw err;
      selection = { kind: 'traceql', pipeline };
    }
  } else if (given[0] === 'status') {
    if (sel.status !== 'error') throw new BadParameterError('selection.status', 'must be "error"');
    selection = { kind: 'status', status: 'error' };
  } else {
    const box = sel.box;
    if (!isObj(box)) throw new BadParameterError('selection.box', 'must be an object {startTimeUnixNano, endTimeUnixNano, minDurationMs, maxDurationMs}');
    onlyKeys(box, ['startTimeUnixNano', 'endTimeUnixNano', 'minDurationMs', 'maxDurationMs'], 'selection.box.');
    const b = {
      kind: 'box' as const,
      startNs: nsString(box.startTimeUnixNano, 'selection.box.startTimeUnixNano'),
      endNs: nsString(box.endTimeUnixNano, 'selection.box.endTimeUnixNano'),
      minDurationNs: durationMs(box.minDurationMs, 'selection.box.minDurationMs'),
      maxDurationNs: durationMs(box.maxDurationMs, 'selection.box.maxDurationMs'),
    };
    if (b.startNs > b.endNs) throw new BadParameterError('selection.box.startTimeUnixNano', 'must not be after endTimeUnixNano');
    if (b.minDurationNs > b.maxDurationNs) throw new BadParameterError('selection.box.minDurationMs', 'must not be more than maxDurationMs');
    selection = b;
  }
  return { startNs, endNs, selection, limit, valuesPerKey: VALUES_PER_KEY };
}

/**
 * A pipeline selection becomes the traces the TraceQL search finds in the
 * window (newest first, at most `limit`, within the search's candidate bound).
 */
export async function resolveSelection(reader: TraceReader, req: AnalyzeRequest): Promise<AttributeAnalysisQuery> {
  if (req.selection.kind !== 'traceql') return req as AttributeAnalysisQuery;
  const found = await searchTraceQL(reader, req.selection.pipeline, { startNs: req.startNs, endNs: req.endNs, limit: req.limit });
  const ids = found.results.map((r) => r.summary.traceId);
  const predicate: SpanPredicate =
    ids.length === 0
      ? { sql: 'FALSE', params: [], needsTrace: false }
      : { sql: `s.trace_id IN (${ids.map(() => '?').join(', ')})`, params: ids, needsTrace: false };
  return { ...req, selection: { kind: 'predicate', predicate } };
}

export function registerAnalyzeApi(app: FastifyInstance, deps: { reader: TraceReader }): void {
  app.post('/api/v1/analyze/attributes', { bodyLimit: ANALYZE_BODY_LIMIT }, async (req): Promise<wire.AttributeAnalysis> => {
    const query = await resolveSelection(deps.reader, parseAnalyzeBody(req.body));
    const data = await deps.reader.attributeAnalysis(query);
    const ranking = rankAttributes(data);
    const set = (t: typeof data.selection) => ({ traceCount: t.traceCount, spanCount: t.spanCount, totalTraceCount: t.totalTraceCount });
    return {
      window: { startTimeUnixNano: String(query.startNs), endTimeUnixNano: String(query.endNs) },
      selection: set(data.selection),
      baseline: set(data.baseline),
      sampled: data.selection.totalTraceCount > data.selection.traceCount || data.baseline.totalTraceCount > data.baseline.traceCount,
      timeMeasure: 'self',
      attributes: ranking.attributes,
      skipped: ranking.skipped,
      summary: ranking.summary,
    };
  });
}
