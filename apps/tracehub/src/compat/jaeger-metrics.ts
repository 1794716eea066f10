/**
 * jaeger-query's metrics API (`/api/metrics/{latencies,calls,errors,minstep}`),
 * which Jaeger UI's Monitor tab calls, answered from the stored spans through
 * the same store query as /api/v1/metrics (no Prometheus, no span-metrics
 * connector). Parameters as jaeger-query's parseMetricsQueryParams reads
 * them: repeated `service`, `groupByOperation`, repeated `spanKind`
 * (`server` or `SPAN_KIND_SERVER`; default server), `endTs`, `lookback`,
 * `step` and `ratePer` in ms, `quantile` for latencies.
 */
import type { FastifyInstance } from 'fastify';
import { jaegerMetricFamily, jaegerRedQuery, type JaegerMetric, type JaegerMetricsRequest } from '../analysis/metrics.js';
import type { TraceReader } from '../store/types.js';
import { all, badParam, one, type Query } from './query-params.js';

const KINDS: Record<string, number> = { UNSPECIFIED: 0, INTERNAL: 1, SERVER: 2, CLIENT: 3, PRODUCER: 4, CONSUMER: 5 };
const DEFAULTS = { lookbackMs: 3_600_000, stepMs: 5_000, ratePerMs: 600_000 };
/** Prometheus's limit on points per series, which jaeger-query inherits. */
export const JAEGER_MAX_POINTS = 11_000;
/** Each span is counted in ratePer/step points; beyond this the query would read too many rows. */
export const JAEGER_MAX_RATE_STEPS = 200;
/** The smallest step we answer (our buckets are whole milliseconds; a second is the useful floor). */
export const JAEGER_MIN_STEP_MS = 1000;

const parseError = (param: string, msg: string) => badParam(param, `unable to parse param '${param}': ${msg}`);

function msParam(q: Query, name: string, def: number): number {
  const raw = one(q, name);
  if (raw === undefined) return def;
  if (!/^-?\d{1,16}$/.test(raw)) throw parseError(name, `strconv.ParseInt: parsing "${raw.slice(0, 64)}": invalid syntax`);
  return Number(raw);
}

function boolParam(q: Query, name: string): boolean {
  const raw = one(q, name);
  if (raw === undefined) return false;
  if (['1', 't', 'T', 'true', 'TRUE', 'True'].includes(raw)) return true;
  if (['0', 'f', 'F', 'false', 'FALSE', 'False'].includes(raw)) return false;
  throw parseError(name, `strconv.ParseBool: parsing "${raw.slice(0, 64)}": invalid syntax`);
}

/** Jaeger's metrics query string → a request; badParam (a 400 in Jaeger's error form) when malformed. */
export function parseJaegerMetricsQuery(q: Query, metric: JaegerMetric, nowMs: number): JaegerMetricsRequest {
  const services = all(q, 'service');
  if (services.length === 0) throw parseError('service', 'please provide at least one service name');
  const groupByOperation = boolParam(q, 'groupByOperation');
  const rawKinds = all(q, 'spanKind');
  const kinds = (rawKinds.length > 0 ? rawKinds : ['SPAN_KIND_SERVER']).map((k) => {
    const n = KINDS[k.toUpperCase().replace(/^SPAN_KIND_/, '')];
    if (n === undefined) throw parseError('spanKind', `unsupported span kind: '${k.slice(0, 64)}'`);
    return n;
  });
  const endMs = msParam(q, 'endTs', nowMs);
  const lookbackMs = msParam(q, 'lookback', DEFAULTS.lookbackMs);
  const stepMs = msParam(q, 'step', DEFAULTS.stepMs);
  const ratePerMs = msParam(q, 'ratePer', DEFAULTS.ratePerMs);
  if (endMs <= 0) throw parseError('endTs', 'must be unix milliseconds after 1970');
  if (lookbackMs <= 0) throw parseError('lookback', 'must be more than 0 ms');
  if (stepMs < JAEGER_MIN_STEP_MS) throw parseError('step', `must be at least ${JAEGER_MIN_STEP_MS} ms (see /api/metrics/minstep)`);
  if (ratePerMs <= 0) throw parseError('ratePer', 'must be more than 0 ms');
  if (lookbackMs / stepMs + 1 > JAEGER_MAX_POINTS) throw parseError('step', `lookback/step gives more than ${JAEGER_MAX_POINTS} points; use a longer step`);
  if (lookbackMs > 7 * 24 * 3_600_000) throw parseError('lookback', 'may be at most 7 days');
  if (ratePerMs / stepMs > JAEGER_MAX_RATE_STEPS) throw parseError('ratePer', `may be at most ${JAEGER_MAX_RATE_STEPS} steps long`);
  const r: JaegerMetricsRequest = { services, groupByOperation, kinds, endMs, lookbackMs, stepMs, ratePerMs };
  if (metric === 'latencies') {
    const raw = one(q, 'quantile') ?? '';
    const v = Number(raw);
    if (raw === '' || !/^[0-9.eE+-]+$/.test(raw) || !Number.isFinite(v)) throw parseError('quantile', `strconv.ParseFloat: parsing "${raw.slice(0, 64)}": invalid syntax`);
    if (!(v > 0 && v <= 1)) throw parseError('quantile', 'must be more than 0 and at most 1');
    r.quantile = v;
  }
  return r;
}

export function registerJaegerMetrics(app: FastifyInstance, reader: TraceReader, envelope: (data: unknown) => unknown): void {
  for (const metric of ['latencies', 'calls', 'errors'] as const) {
    app.get(`/api/metrics/${metric}`, async (req) => {
      const r = parseJaegerMetricsQuery(req.query as Query, metric, Date.now());
      return jaegerMetricFamily(metric, r, await reader.redMetrics(jaegerRedQuery(r, metric)));
    });
  }
  app.get('/api/metrics/minstep', async () => envelope(JAEGER_MIN_STEP_MS));
}
