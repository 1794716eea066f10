/**
 * Tempo's TraceQL metrics API: GET /api/metrics/query_range and
 * /api/metrics/query (instant), JSON or protobuf by Accept, as Grafana's
 * Tempo data source calls them. Bad q/start/end/step: 400 with the reason as
 * text, like Tempo (BadParameterError, TraceQLError and MetricsRangeError, mapped
 * by the Tempo app's error handler).
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { CANDIDATES_MESSAGE, capSeries, PARTIAL_MESSAGE, runMetricsQuery } from '../analysis/traceql-metrics.js';
import { evaluatedSpanSource } from '../traceql/metrics-evaluated.js';
import type { TraceReader } from '../store/types.js';
import { instantRange, metricsRange } from '../traceql/metrics-range.js';
import { limitExemplars } from '../traceql/metrics.js';
import { intParam, type Query } from './query-params.js';

/** Tempo's query-frontend default and our ceiling for `exemplars`. */
const DEFAULT_EXEMPLARS = 100;
const MAX_EXEMPLARS = 10_000;
import { queryInstantJson, queryInstantProto, queryRangeJson, queryRangeProto } from './tempo-metrics-encode.js';
import { parseTempoMetricsParams, parseTempoStep } from './tempo-metrics-params.js';

const wantsProtobuf = (accept: string | undefined) => accept !== undefined && /application\/(x-)?protobuf/i.test(accept);

export function registerTempoMetrics(app: FastifyInstance, reader: TraceReader): void {
  const send = (reply: FastifyReply, accept: string | undefined, proto: () => Buffer, json: () => unknown) =>
    wantsProtobuf(accept) ? reply.type('application/protobuf').send(proto()) : reply.send(json());

  app.get('/api/metrics/query_range', async (req, reply) => {
    const q = req.query as Query;
    const p = parseTempoMetricsParams(q, BigInt(Date.now()) * 1_000_000n);
    const step = parseTempoStep(q, p.startNs, p.endNs);
    const range = metricsRange(p.startNs, p.endNs, step);
    const generic = evaluatedSpanSource(reader);
    const capped = capSeries(await runMetricsQuery(reader, p.query, range, generic.spans));
    const series = limitExemplars(capped.series, intParam(q, 'exemplars', DEFAULT_EXEMPLARS, 0, MAX_EXEMPLARS));
    const partial = { partial: capped.partial || generic.capped, message: capped.partial ? PARTIAL_MESSAGE : CANDIDATES_MESSAGE };
    return send(reply, req.headers.accept, () => queryRangeProto(series, range, partial), () => queryRangeJson(series, range, partial));
  });

  app.get('/api/metrics/query', async (req, reply) => {
    const p = parseTempoMetricsParams(req.query as Query, BigInt(Date.now()) * 1_000_000n);
    const generic = evaluatedSpanSource(reader);
    const { series, partial } = capSeries(await runMetricsQuery(reader, p.query, instantRange(p.startNs, p.endNs), generic.spans));
    const status = { partial: partial || generic.capped, message: partial ? PARTIAL_MESSAGE : CANDIDATES_MESSAGE };
    return send(reply, req.headers.accept, () => queryInstantProto(series, status), () => queryInstantJson(series, status));
  });
}
