/**
 * The query API (/api/v1) as a Fastify plugin over the store's read side.
 */
import type * as wire from '@tracelab/api-contract';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ApiError } from '../errors.js';
import { explainTrace } from '../explain/index.js';
import { SPAN_KIND_NAMES } from '../model.js';
import type { TraceReader, TraceSearch } from '../store/types.js';
import { parseSearchQuery, searchTraceQL } from '../traceql/search.js';
import { registerCompareApi } from './compare-routes.js';
import { registerAnalyzeApi } from './analyze-routes.js';
import { registerLinksApi } from './links-routes.js';
import { registerDoctorApi } from './doctor-routes.js';
import type { LiveFeed } from './live.js';
import { registerMetricsApi } from './metrics-routes.js';
import { registerTraceqlMetricsApi } from './traceql-metrics-routes.js';
import { registerMapApi } from './map-routes.js';
import { openApiDocument } from './openapi.js';
import { BadParameterError, parseDurationNs, parseEnum, parseLimit, parseSpanId, parseTimeNs, parseTraceId, type Query, single } from './params.js';
import { logJson, spansetJson, summaryJson } from './present.js';
import { registerTraceApi } from './trace-routes.js';

/** Turns /api/v1/traces query parameters into a store search (the TraceQL `q` is read by the route). */
export function parseTraceSearch(q: Query): TraceSearch {
  const search: TraceSearch = { limit: parseLimit(single(q, 'limit'), 'limit', 20, 1000) };
  const service = single(q, 'service');
  if (service) search.service = service;
  const operation = single(q, 'operation');
  if (operation) search.operation = operation;
  const status = parseEnum(single(q, 'status'), 'status', ['error', 'ok', 'unset'] as const);
  if (status) search.status = status;
  const minD = single(q, 'minDuration');
  if (minD) search.minDurationNs = parseDurationNs(minD, 'minDuration');
  const maxD = single(q, 'maxDuration');
  if (maxD) search.maxDurationNs = parseDurationNs(maxD, 'maxDuration');
  const start = single(q, 'start');
  if (start) search.startNs = parseTimeNs(start, 'start');
  const end = single(q, 'end');
  if (end) search.endNs = parseTimeNs(end, 'end');
  const attributes: { key: string; value: string }[] = [];
  for (const [name, raw] of Object.entries(q)) {
    if (!name.startsWith('attr.')) continue;
    const key = name.slice(5);
    if (key === '') throw new BadParameterError(name, 'attribute key is empty (use attr.<key>=<value>)');
    for (const value of Array.isArray(raw) ? raw : [raw ?? '']) attributes.push({ key, value });
  }
  // Span-level, as Jaeger and TraceQL's `{ a && b }`: the attributes, and an error status when asked for,
  // hold on the one span that also has the service and operation (when given). Durations and the time
  // window are the trace's.
  if (attributes.length > 0) {
    search.span = { attributes };
    if (search.status === 'error') search.span.error = true;
  } else if (search.status === 'error' && (search.service !== undefined || search.operation !== undefined)) {
    search.span = { error: true };
  }
  return search;
}

export interface ApiDeps {
  reader: TraceReader;
  live: LiveFeed;
  isReady: () => boolean;
}

export async function registerQueryApi(app: FastifyInstance, deps: ApiDeps): Promise<void> {
  const { reader } = deps;

  app.get('/health', async () => ({ status: 'ok' }));
  app.get('/ready', async (_req, reply) => {
    if (!deps.isReady()) return reply.code(503).send({ status: 'not ready' });
    return { status: 'ready' };
  });

  app.get('/api/v1/openapi.json', async () => openApiDocument);

  /** The spans of the trace in the path (400 malformed id, 404 unknown). */
  const loadTrace = async (req: FastifyRequest<{ Params: { traceId: string } }>) => {
    const traceId = parseTraceId(req.params.traceId);
    const spans = await reader.getTrace(traceId);
    if (!spans) throw new ApiError('TRACE_NOT_FOUND', `trace ${traceId} not found`);
    return spans;
  };
  registerTraceApi(app, { reader });
  app.get('/api/v1/traces/:traceId/explain', async (req: FastifyRequest<{ Params: { traceId: string } }>): Promise<wire.Explanation> => explainTrace(await loadTrace(req)));

  app.get('/api/v1/traces', async (req): Promise<wire.TraceList> => {
    const q = req.query as Query;
    const search = parseTraceSearch(q);
    const tq = single(q, 'q');
    if (tq && tq.trim() !== '') {
      const pipeline = parseSearchQuery(tq);
      const spss = single(q, 'spss');
      search.spansPerSpanSet = spss ? parseLimit(spss, 'spss', 3, 1000) : 3;
      const answer = await searchTraceQL(reader, pipeline, search);
      return { traces: answer.results.map((r) => ({ ...summaryJson(r.summary), spanSets: r.spanSets.map(spansetJson) })) };
    }
    const results = await reader.searchTraces(search);
    return { traces: results.map((r) => summaryJson(r.summary)) };
  });

  app.get('/api/v1/services', async (): Promise<wire.ServiceList> => ({ services: await reader.services() }));

  app.get('/api/v1/services/:service/operations', async (req: FastifyRequest<{ Params: { service: string } }>): Promise<wire.Operations> => {
    const ops = await reader.operations(req.params.service);
    return { operations: ops.map((o) => ({ name: o.name, kind: SPAN_KIND_NAMES[o.kind] ?? 'unspecified' })) };
  });

  app.get('/api/v1/attributes', async (): Promise<wire.AttributeKeys> => ({ attributes: await reader.attributeKeys() }));

  app.get('/api/v1/attributes/:key/values', async (req: FastifyRequest<{ Params: { key: string } }>): Promise<wire.AttributeValues> => {
    const q = req.query as Query;
    const scope = parseEnum(single(q, 'scope'), 'scope', ['span', 'resource', 'any'] as const) ?? 'any';
    const limit = parseLimit(single(q, 'limit'), 'limit', 100, 1000);
    const values = await reader.attributeValues(req.params.key, scope, limit);
    return { values: values.map((v) => v.value) };
  });

  app.get('/api/v1/logs', async (req): Promise<wire.LogList> => {
    const q = req.query as Query;
    const rawTrace = single(q, 'traceId');
    if (!rawTrace) throw new BadParameterError('traceId', 'required (the trace whose logs to list)');
    const traceId = parseTraceId(rawTrace);
    const rawSpan = single(q, 'spanId');
    const spanId = rawSpan ? parseSpanId(rawSpan) : undefined;
    return { logs: (await reader.logs(traceId, spanId)).map(logJson) };
  });

  await registerMapApi(app, deps);

  registerMetricsApi(app, deps);
  registerTraceqlMetricsApi(app, deps);

  registerAnalyzeApi(app, deps);

  await registerCompareApi(app, { reader });

  await registerLinksApi(app, { reader });
  registerDoctorApi(app, { reader });

  app.get('/api/v1/live', (req, reply) => {
    reply.hijack();
    deps.live.add(reply.raw);
  });
}
