/**
 * The Jaeger query HTTP API (the JSON API under /api that Jaeger UI and
 * Grafana's Jaeger data source call), served from a TraceReader. Mount it on
 * its own listener (Jaeger's port, 16686): its /api/traces/{id} collides with
 * Tempo's. Every answer is Jaeger's envelope; errors carry `errors[]`.
 */
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import { BadParameterError } from '../api/params.js';
import { UNAUTHORIZED_MESSAGE, authorized } from '../auth.js';
import type { TraceReader } from '../store/types.js';
import { compatServerOptions, type CompatAppOptions } from './fastify-options.js';
import { normalizeTraceId } from './ids.js';
import { jaegerSpanKind, spansToJaegerTrace, type JaegerTrace } from './jaeger-model.js';
import { registerJaegerMetrics } from './jaeger-metrics.js';
import { parseJaegerTraceQuery } from './jaeger-query.js';
import { badParam, one, type Query } from './query-params.js';

export type JaegerApiOptions = CompatAppOptions;

const DAY_MS = 24 * 60 * 60 * 1000;

/** A per-trace error of a multi-id lookup, as jaeger-query's structuredError spells it. */
export interface JaegerTraceError {
  msg: string;
  traceID: string;
}

export function envelope(data: unknown, total?: number, errors: JaegerTraceError[] | null = null) {
  return {
    data,
    total: total ?? (Array.isArray(data) ? data.length : 0),
    limit: 0,
    offset: 0,
    errors,
  };
}

function fail(reply: FastifyReply, code: number, msg: string) {
  return reply.code(code).send({ data: null, total: 0, limit: 0, offset: 0, errors: [{ code, msg }] });
}

function msParam(q: Query, name: string, def: number): number {
  const raw = one(q, name);
  if (raw === undefined) return def;
  if (!/^\d{1,16}$/.test(raw)) throw badParam(name, `${name} must be milliseconds, got "${raw}"`);
  return Number(raw);
}

export function buildJaegerApi(reader: TraceReader, opts: JaegerApiOptions = {}): FastifyInstance {
  const app = Fastify(compatServerOptions(opts));

  app.setErrorHandler((err: Error & { statusCode?: number }, req, reply) => {
    if (err instanceof BadParameterError) return fail(reply, 400, err.message);
    if (err.statusCode !== undefined && err.statusCode >= 400 && err.statusCode < 500) return fail(reply, err.statusCode, err.message);
    req.log.error({ err }, 'jaeger api request failed');
    return fail(reply, 500, 'internal error: see the tracehub log');
  });
  const token = opts.token ?? null;
  if (token !== null) {
    app.addHook('onRequest', async (req, reply) => {
      if (!authorized(token, req.headers)) return fail(reply.header('www-authenticate', 'Basic realm="tracehub"'), 401, UNAUTHORIZED_MESSAGE);
    });
  }
  app.setNotFoundHandler((req, reply) => fail(reply, 404, `no such route: ${req.method} ${req.url.split('?')[0]}`));
  // ?prettyPrint=true (any value but "false"): indented JSON, like jaeger-query.
  app.addHook('onSend', async (req, reply, payload) => {
    const pretty = one(req.query as Query, 'prettyPrint');
    if (pretty === undefined || pretty === '' || pretty === 'false' || typeof payload !== 'string') return payload;
    if (!String(reply.getHeader('content-type') ?? '').includes('json')) return payload;
    return JSON.stringify(JSON.parse(payload), null, 4);
  });

  app.get('/api/services', async () => envelope(await reader.services()));

  app.get<{ Params: { service: string } }>('/api/services/:service/operations', async (req) => {
    const ops = await reader.operations(req.params.service);
    return envelope([...new Set(ops.map((o) => o.name))].sort());
  });

  app.get('/api/operations', async (req, reply) => {
    const q = req.query as Query;
    const service = one(q, 'service');
    if (service === undefined) return fail(reply, 400, "parameter 'service' is required");
    const spanKind = one(q, 'spanKind');
    const ops = (await reader.operations(service))
      .map((o) => ({ name: o.name, spanKind: jaegerSpanKind(o.kind) }))
      .filter((o) => spanKind === undefined || o.spanKind === spanKind);
    return envelope(ops);
  });

  app.get('/api/traces', async (req) => {
    const parsed = parseJaegerTraceQuery(req.query as Query);
    const traces: JaegerTrace[] = [];
    if (parsed.kind === 'ids') {
      // Unknown ids are listed in `errors` beside the traces found (Jaeger UI's compare page reads them).
      const missing: JaegerTraceError[] = [];
      for (const id of parsed.traceIds) {
        const spans = await reader.getTrace(id);
        if (spans && spans.length > 0) traces.push(spansToJaegerTrace(spans));
        else missing.push({ msg: 'trace not found', traceID: id });
      }
      return envelope(traces, undefined, missing.length > 0 ? missing : null);
    } else {
      for (const r of await reader.searchTraces(parsed.search)) {
        const spans = await reader.getTrace(r.summary.traceId);
        if (spans && spans.length > 0) traces.push(spansToJaegerTrace(spans));
      }
    }
    return envelope(traces);
  });

  app.get<{ Params: { id: string } }>('/api/traces/:id', async (req, reply) => {
    const id = normalizeTraceId(req.params.id);
    if (id === null) return fail(reply, 400, `invalid trace id "${req.params.id}": expected up to 32 hex characters`);
    const spans = await reader.getTrace(id);
    if (spans === null || spans.length === 0) return fail(reply, 404, 'trace not found');
    return envelope([spansToJaegerTrace(spans)]);
  });

  app.get('/api/dependencies', async (req) => {
    const q = req.query as Query;
    const endTs = msParam(q, 'endTs', Date.now());
    const lookback = msParam(q, 'lookback', DAY_MS);
    const endNs = BigInt(endTs) * 1_000_000n;
    const startNs = endNs - BigInt(lookback) * 1_000_000n;
    const deps = await reader.dependencies(startNs > 0n ? startNs : 0n, endNs);
    return envelope(deps.map((d) => ({ parent: d.parent, child: d.child, callCount: d.callCount })));
  });

  registerJaegerMetrics(app, reader, envelope);

  return app;
}
