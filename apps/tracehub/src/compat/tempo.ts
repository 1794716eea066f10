/**
 * The Tempo HTTP API subset Grafana's Tempo data source uses (with streaming
 * off), served from a TraceReader. Mount it on its own listener (Tempo's
 * port, 3200): its /api/traces/{id} collides with Jaeger's.
 */
import { BadParameterError } from '../api/params.js';
import { UNAUTHORIZED_MESSAGE, authorized } from '../auth.js';
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import { encodeTracesProtobuf } from '../otlp/index.js';
import type { TraceReader } from '../store/types.js';
import { TraceQLError } from '../traceql/errors.js';
import { traceqlIntrinsicTags } from '../traceql/index.js';
import { MetricsRangeError } from '../traceql/metrics-range.js';
import { parseSearchQuery, searchTraceQL } from '../traceql/search.js';
import { compatServerOptions, type CompatAppOptions } from './fastify-options.js';
import { normalizeTraceId } from './ids.js';
import { intParam, one, type Query } from './query-params.js';
import { spansToTempoTraceByIdJson, spansToTempoTraceJson } from './tempo-json.js';
import { registerTempoMetrics } from './tempo-metrics.js';
import { wrapTraceByIdResponse } from './tempo-proto.js';
import { parseTempoSearch, parseTempoTraceQL, toTempoSearchResponse, toTempoTraceQLResponse } from './tempo-search.js';
import {
  buildTagsV1,
  buildTagsV2,
  decodeTagUntilStable,
  keywordIntrinsicValues,
  parseTagName,
  parseTagScope,
  tempoValueType,
  type TagValue,
} from './tempo-tags.js';

/** The Tempo release whose API this mirrors; Grafana gates features on it. */
export const TEMPO_COMPAT_VERSION = '2.9.0';
const DEFAULT_TAG_VALUES_LIMIT = 1000;
const MAX_TAG_VALUES_LIMIT = 10_000;

export type TempoApiOptions = CompatAppOptions;

function badRequest(reply: FastifyReply, message: string): FastifyReply {
  return reply.code(400).type('text/plain; charset=utf-8').send(message);
}

function wantsProtobuf(accept: string | undefined): boolean {
  return accept !== undefined && /application\/(x-)?protobuf/i.test(accept);
}

export function buildTempoApi(reader: TraceReader, opts: TempoApiOptions = {}): FastifyInstance {
  const app = Fastify(compatServerOptions(opts));
  const intrinsics = traceqlIntrinsicTags();

  app.setErrorHandler((err: Error & { statusCode?: number }, req, reply) => {
    // A bad parameter, a query that is not TraceQL (a metrics query at /api/search included) or a range
    // metrics cannot cover: Tempo's 400 with the reason as text.
    if (err instanceof BadParameterError || err instanceof TraceQLError || err instanceof MetricsRangeError) {
      return badRequest(reply, err.message);
    }
    if (err.statusCode !== undefined && err.statusCode >= 400 && err.statusCode < 500) {
      return badRequest(reply, err.message);
    }
    req.log.error({ err }, 'tempo api request failed');
    return reply.code(500).type('text/plain; charset=utf-8').send('internal error: see the tracehub log');
  });
  const token = opts.token ?? null;
  if (token !== null) {
    app.addHook('onRequest', async (req, reply) => {
      if (!authorized(token, req.headers)) {
        return reply.code(401).header('www-authenticate', 'Basic realm="tracehub"').type('text/plain; charset=utf-8').send(UNAUTHORIZED_MESSAGE);
      }
    });
  }
  app.setNotFoundHandler((req, reply) =>
    reply.code(404).type('text/plain; charset=utf-8').send(`404 page not found: ${req.method} ${req.url.split('?')[0]}`),
  );

  app.get('/api/echo', async (_req, reply) => reply.type('text/plain; charset=utf-8').send('echo'));
  app.get('/ready', async (_req, reply) => reply.type('text/plain; charset=utf-8').send('ready'));
  app.get('/api/status/buildinfo', async () => ({
    version: TEMPO_COMPAT_VERSION,
    revision: 'tracehub',
    branch: 'tracehub',
    buildUser: 'tracehub',
    buildDate: '',
    goVersion: 'n/a (tracehub, Node.js)',
  }));

  async function traceById(version: 1 | 2, rawId: string, accept: string | undefined, reply: FastifyReply) {
    const id = normalizeTraceId(rawId);
    if (id === null) return badRequest(reply, `invalid trace id "${rawId}": expected up to 32 hex characters`);
    const spans = await reader.getTrace(id);
    if (spans === null || spans.length === 0) {
      return reply.code(404).type('text/plain; charset=utf-8').send(`trace not found: ${id}`);
    }
    if (wantsProtobuf(accept)) {
      const traceBytes = encodeTracesProtobuf(spans);
      const body = version === 2 ? wrapTraceByIdResponse(traceBytes) : traceBytes;
      return reply.type('application/protobuf').send(Buffer.from(body.buffer, body.byteOffset, body.byteLength));
    }
    return reply.send(version === 2 ? spansToTempoTraceByIdJson(spans) : spansToTempoTraceJson(spans));
  }

  app.get<{ Params: { id: string } }>('/api/v2/traces/:id', (req, reply) =>
    traceById(2, req.params.id, req.headers.accept, reply),
  );
  app.get<{ Params: { id: string } }>('/api/traces/:id', (req, reply) =>
    traceById(1, req.params.id, req.headers.accept, reply),
  );

  app.get('/api/search', async (req) => {
    const search = parseTempoSearch(req.query as Query);
    const pipeline = parseTempoTraceQL(req.query as Query, parseSearchQuery);
    if (pipeline) return toTempoTraceQLResponse(await searchTraceQL(reader, pipeline, search));
    return toTempoSearchResponse(await reader.searchTraces(search));
  });

  registerTempoMetrics(app, reader);

  app.get('/api/v2/search/tags', async (req, reply) => {
    const q = req.query as Query;
    const scope = parseTagScope(one(q, 'scope'));
    if (scope === null) return badRequest(reply, `invalid scope "${one(q, 'scope')}": use resource, span or intrinsic`);
    const limit = intParam(q, 'limit', MAX_TAG_VALUES_LIMIT, 1, Number.MAX_SAFE_INTEGER);
    return buildTagsV2(await reader.attributeKeys(), intrinsics, scope, limit);
  });

  app.get('/api/search/tags', async (req, reply) => {
    const scope = parseTagScope(one(req.query as Query, 'scope'));
    if (scope === null) return badRequest(reply, 'invalid scope: use resource, span or intrinsic');
    return buildTagsV1(await reader.attributeKeys(), scope);
  });

  async function intrinsicValues(name: string, limit: number): Promise<TagValue[]> {
    const keywords = keywordIntrinsicValues(name);
    if (keywords) return keywords;
    if (name === 'rootServiceName') {
      return (await reader.services()).slice(0, limit).map((value) => ({ type: 'string', value }));
    }
    if (name === 'name' || name === 'rootName') {
      const names = new Set<string>();
      for (const svc of await reader.services()) {
        for (const op of await reader.operations(svc)) names.add(op.name);
        if (names.size >= limit) break;
      }
      return [...names].sort().slice(0, limit).map((value) => ({ type: 'string', value }));
    }
    // duration, statusMessage, event:name, ...: no index of these; Tempo also answers empty for durations.
    return [];
  }

  app.get<{ Params: { tag: string } }>('/api/v2/search/tag/:tag/values', async (req, reply) => {
    const limit = Math.min(intParam(req.query as Query, 'limit', DEFAULT_TAG_VALUES_LIMIT, 1, Number.MAX_SAFE_INTEGER), MAX_TAG_VALUES_LIMIT);
    const tag = decodeTagUntilStable(req.params.tag);
    const target = parseTagName(tag, intrinsics);
    if (target === null) {
      return badRequest(reply, `tag name is not valid intrinsic or scoped attribute: "${tag}" (use resource.x, span.x, .x or an intrinsic)`);
    }
    if (target.kind === 'intrinsic') return { tagValues: await intrinsicValues(target.name, limit) };
    if (target.key === 'service.name' && target.scope !== 'span') {
      return { tagValues: (await reader.services()).slice(0, limit).map((value) => ({ type: 'string', value })) };
    }
    const values = await reader.attributeValues(target.key, target.scope, limit);
    return { tagValues: values.map((v) => ({ type: tempoValueType(v.vtype), value: v.value })) };
  });

  app.get<{ Params: { tag: string } }>('/api/search/tag/:tag/values', async (req) => {
    const limit = Math.min(intParam(req.query as Query, 'limit', DEFAULT_TAG_VALUES_LIMIT, 1, Number.MAX_SAFE_INTEGER), MAX_TAG_VALUES_LIMIT);
    const tag = decodeTagUntilStable(req.params.tag);
    if (tag === 'service.name') return { tagValues: (await reader.services()).slice(0, limit) };
    const values = await reader.attributeValues(tag, 'any', limit);
    return { tagValues: values.map((v) => v.value) };
  });

  return app;
}
