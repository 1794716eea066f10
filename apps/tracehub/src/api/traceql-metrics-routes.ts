/**
 * GET /api/v1/metrics/traceql: a TraceQL metrics query (`{ } | rate() by (...)`)
 * over [start, end] (unix ms or RFC 3339; default the last hour) in steps of
 * `step` (`30s`, or ms; default ~240 points, as Tempo). Series as JSON with
 * typed labels and [timestampMs, value] samples stamped with the end of
 * their interval. `instant=true`: one value per series over the whole range.
 */
import type * as wire from '@tracelab/api-contract';
import type { FastifyInstance } from 'fastify';
import { CANDIDATES_MESSAGE, capSeries, PARTIAL_MESSAGE, runMetricsQuery, samplesOf } from '../analysis/traceql-metrics.js';
import { evaluatedSpanSource } from '../traceql/metrics-evaluated.js';
import type { TraceReader } from '../store/types.js';
import { defaultStepNs, instantRange, metricsRange, MetricsRangeError, MetricsTooLargeError } from '../traceql/metrics-range.js';
import { limitExemplars, type LabelValue, type MetricsSeries } from '../traceql/metrics.js';
import { BadParameterError, parseDurationNs, parseEnum, parseLimit, parseTimeNs, single, type Query } from './params.js';

const HOUR_NS = 3_600_000_000_000n;
const DEFAULT_EXEMPLARS = 100;
const MAX_EXEMPLARS = 10_000;

function labelJson(v: LabelValue): { type: LabelValue['type']; value: string | number | boolean | null } {
  return { type: v.type, value: v.type === 'nil' ? null : v.value };
}

export function seriesJson(s: MetricsSeries) {
  return { labels: s.labels.map((l) => ({ name: l.name, ...labelJson(l.value) })), promLabels: s.promLabels };
}

export function registerTraceqlMetricsApi(app: FastifyInstance, deps: { reader: TraceReader }): void {
  app.get('/api/v1/metrics/traceql', async (req): Promise<wire.TraceqlMetrics> => {
    const q = req.query as Query;
    const query = single(q, 'q');
    if (query === undefined) throw new BadParameterError('q', 'required: a TraceQL metrics query, e.g. { } | rate() by (resource.service.name)');
    const endRaw = single(q, 'end');
    const endNs = endRaw === undefined ? BigInt(Date.now()) * 1_000_000n : parseTimeNs(endRaw, 'end');
    const startRaw = single(q, 'start');
    const startNs = startRaw === undefined ? endNs - HOUR_NS : parseTimeNs(startRaw, 'start');
    const instant = parseEnum(single(q, 'instant'), 'instant', ['true', 'false'] as const) === 'true';
    const stepRaw = single(q, 'step');
    const stepNs = stepRaw === undefined ? defaultStepNs(startNs, endNs) : parseDurationNs(stepRaw, 'step');
    let range;
    try {
      range = instant ? instantRange(startNs, endNs) : metricsRange(startNs, endNs, stepNs);
    } catch (err) {
      if (err instanceof MetricsRangeError) throw new BadParameterError(/step|resolution/.test(err.message) ? 'step' : /start/.test(err.message) ? 'start' : 'end', err.message);
      throw err;
    }
    const exemplarsRaw = single(q, 'exemplars');
    const exemplars = exemplarsRaw === '0' ? 0 : parseLimit(exemplarsRaw, 'exemplars', DEFAULT_EXEMPLARS, MAX_EXEMPLARS);
    let capped;
    const generic = evaluatedSpanSource(deps.reader);
    try {
      capped = capSeries(await runMetricsQuery(deps.reader, query, range, generic.spans));
    } catch (err) {
      if (err instanceof MetricsTooLargeError) throw new BadParameterError('q', err.message);
      throw err;
    }
    const series = limitExemplars(capped.series, exemplars);
    return {
      query,
      start: Number(startNs / 1_000_000n),
      end: Number(endNs / 1_000_000n),
      stepMs: Number(range.stepNs) / 1e6,
      instant,
      ...(capped.partial || generic.capped ? { partial: true, message: capped.partial ? PARTIAL_MESSAGE : CANDIDATES_MESSAGE } : {}),
      series: series.map((s) =>
        instant
          ? { ...seriesJson(s), value: s.values[0]! }
          : {
              ...seriesJson(s),
              samples: samplesOf(s, range).map((x): [number, number] => [x.timestampMs, x.value]),
              exemplars: (s.exemplars ?? []).map((e) => ({ traceId: e.traceId, spanId: e.spanId, timestampMs: e.timestampMs, value: Number.isNaN(e.value) ? null : e.value })),
            },
      ).filter((s) => !('value' in s) || !Number.isNaN(s.value)),
    };
  });
}
