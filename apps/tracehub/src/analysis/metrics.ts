/**
 * RED metrics (rate, errors, duration) from stored spans, without Prometheus:
 * the pure half. Parsing /api/v1/metrics parameters, choosing a step,
 * zero-filling the store's rows into series, merging `lab.faults` buckets
 * into intervals, and shaping the same rows as jaeger-query's MetricFamily
 * for Jaeger UI's Monitor tab. The SQL is Store.redMetrics/faultBuckets.
 */
import { METRIC_KINDS } from '@tracelab/api-contract';
import type * as wire from '@tracelab/api-contract';
import { BadParameterError, parseDurationNs, parseEnum, parseTimeNs } from '../api/params.js';
import type { FaultBucket, RedQuery, RedRow } from '../store/types.js';

type Query = Record<string, string | string[] | undefined>;

const SECOND_NS = 1_000_000_000n;
const MINUTE_NS = 60n * SECOND_NS;
const HOUR_NS = 60n * MINUTE_NS;
const DAY_NS = 24n * HOUR_NS;

/** The steps an automatic choice rounds up to. */
export const NICE_STEPS_NS: readonly bigint[] = [
  SECOND_NS, 5n * SECOND_NS, 10n * SECOND_NS, 30n * SECOND_NS,
  MINUTE_NS, 5n * MINUTE_NS, 10n * MINUTE_NS, 30n * MINUTE_NS,
  HOUR_NS, 3n * HOUR_NS, 6n * HOUR_NS, 12n * HOUR_NS, DAY_NS,
];
export const TARGET_POINTS = 60;
export const MAX_POINTS = 1000;
export const MAX_WINDOW_NS = 7n * DAY_NS;
export const DEFAULT_WINDOW_NS = HOUR_NS;

export { METRIC_KINDS };
export type MetricKind = (typeof METRIC_KINDS)[number];
/** Stored span kind numbers (OTLP SpanKind) per kind name; 'any' filters nothing. */
export const KIND_NUMBER: Record<Exclude<MetricKind, 'any'>, number> = { internal: 1, server: 2, client: 3, producer: 4, consumer: 5 };

/** The smallest nice step giving at most TARGET_POINTS points over the window (at least 1 s). */
export function chooseStepNs(windowNs: bigint): bigint {
  const want = (windowNs + BigInt(TARGET_POINTS) - 1n) / BigInt(TARGET_POINTS);
  return NICE_STEPS_NS.find((s) => s >= want) ?? DAY_NS * ((want + DAY_NS - 1n) / DAY_NS);
}

export interface MetricsRequest {
  startNs: bigint;
  endNs: bigint;
  stepNs: bigint;
  /** Buckets [startNs + k*stepNs, +stepNs), the last one cut at endNs. */
  points: number;
  kind: MetricKind;
  service?: string;
  operation?: string;
}

function single(q: Query, name: string): string | undefined {
  const v = q[name];
  if (Array.isArray(v)) {
    if (v.length > 1) throw new BadParameterError(name, 'given more than once');
    return v[0] === '' ? undefined : v[0];
  }
  return v === '' ? undefined : v;
}

/** GET /api/v1/metrics query parameters → a checked request (BadParameterError naming the parameter). */
export function parseMetricsRequest(q: Query, nowNs: bigint): MetricsRequest {
  const end = single(q, 'end');
  const start = single(q, 'start');
  const endNs = end !== undefined ? parseTimeNs(end, 'end') : nowNs;
  const startNs = start !== undefined ? parseTimeNs(start, 'start') : endNs - DEFAULT_WINDOW_NS;
  if (startNs >= endNs) throw new BadParameterError('start', 'must be before end');
  if (endNs - startNs > MAX_WINDOW_NS) throw new BadParameterError('start', 'the window from start to end may be at most 7 days');
  const rawStep = single(q, 'step');
  const stepNs = rawStep !== undefined ? parseDurationNs(rawStep, 'step') : chooseStepNs(endNs - startNs);
  if (stepNs <= 0n) throw new BadParameterError('step', 'must be more than 0');
  const points = (endNs - startNs + stepNs - 1n) / stepNs;
  if (points > BigInt(MAX_POINTS)) {
    throw new BadParameterError('step', `gives ${points} points over the window; at most ${MAX_POINTS} (use a longer step or a shorter window)`);
  }
  const kind = parseEnum(single(q, 'kind'), 'kind', METRIC_KINDS) ?? 'server';
  const req: MetricsRequest = { startNs, endNs, stepNs, points: Number(points), kind };
  const service = single(q, 'service');
  if (service !== undefined) req.service = service;
  const operation = single(q, 'operation');
  if (operation !== undefined) {
    if (service === undefined) throw new BadParameterError('operation', 'needs service (an operation is a span name of one service)');
    req.operation = operation;
  }
  return req;
}

/** The store query behind a request: per service, or per operation once a service is chosen. */
export function redQueryFor(req: MetricsRequest): RedQuery {
  const q: RedQuery = {
    firstNs: req.startNs,
    stepNs: req.stepNs,
    points: req.points,
    untilNs: req.endNs,
    groupBy: req.service !== undefined ? 'operation' : 'service',
    quantiles: [0.5, 0.95, 0.99],
    totals: true,
  };
  if (req.service !== undefined) q.services = [req.service];
  if (req.operation !== undefined) q.operation = req.operation;
  if (req.kind !== 'any') q.kinds = [KIND_NUMBER[req.kind]];
  return q;
}

// The answer's shapes are the contract's (GET /api/v1/metrics), declared once in @tracelab/api-contract.
export type RedStats = wire.RedStats;
export type MetricsAnswer = wire.Metrics;
export type RedSeries = MetricsAnswer['series'][number];
export type RedPoint = RedSeries['points'][number];
export type FaultInterval = MetricsAnswer['faults'][number];

const ms = (ns: number): number => Math.round(ns / 1e3) / 1e3;

function stats(row: RedRow | undefined, seconds: number): RedStats {
  if (!row || row.calls === 0) return { calls: 0, errors: 0, ratePerSec: 0, errorRate: 0, p50Ms: null, p95Ms: null, p99Ms: null };
  const [p50, p95, p99] = row.quantilesNs;
  return {
    calls: row.calls,
    errors: row.errors,
    ratePerSec: row.calls / seconds,
    errorRate: row.errors / row.calls,
    p50Ms: p50 === undefined ? null : ms(p50),
    p95Ms: p95 === undefined ? null : ms(p95),
    p99Ms: p99 === undefined ? null : ms(p99),
  };
}

/** The store's rows as one series per group, every bucket present (empty buckets: 0 calls, null percentiles). */
export function buildSeries(req: MetricsRequest, rows: readonly RedRow[]): RedSeries[] {
  const groups = new Map<string, { service: string; operation: string; totals?: RedRow; byK: Map<number, RedRow> }>();
  for (const r of rows) {
    const key = `${r.service}\u0000${r.operation ?? ''}`;
    let g = groups.get(key);
    if (!g) {
      g = { service: r.service, operation: r.operation ?? '*', byK: new Map() };
      groups.set(key, g);
    }
    if (r.k === null) g.totals = r;
    else g.byK.set(r.k, r);
  }
  const windowSec = Number(req.endNs - req.startNs) / 1e9;
  const out: RedSeries[] = [];
  for (const g of groups.values()) {
    const points: RedPoint[] = [];
    for (let k = 0; k < req.points; k++) {
      const t = req.startNs + BigInt(k) * req.stepNs;
      const width = (t + req.stepNs > req.endNs ? req.endNs - t : req.stepNs);
      const row = g.byK.get(k);
      const s = stats(row, Number(width) / 1e9);
      let exemplars: RedPoint['exemplars'] = null;
      if (row && row.calls > 0) {
        exemplars = { slowest: { traceId: row.slowest.traceId, spanId: row.slowest.spanId, durationMs: ms(row.slowest.durationNs) } };
        if (row.error) exemplars.error = { traceId: row.error.traceId, spanId: row.error.spanId };
      }
      points.push({ t: String(t), ...s, exemplars });
    }
    // Totals: the store's whole-window row, or (without one) the sum of the buckets with no percentiles.
    let totals: RedStats;
    if (g.totals) totals = stats(g.totals, windowSec);
    else {
      const calls = points.reduce((n, p) => n + p.calls, 0);
      const errors = points.reduce((n, p) => n + p.errors, 0);
      totals = { calls, errors, ratePerSec: calls / windowSec, errorRate: calls ? errors / calls : 0, p50Ms: null, p95Ms: null, p99Ms: null };
    }
    out.push({ service: g.service, operation: g.operation, kind: req.kind, totals, points });
  }
  return out.sort((a, b) => (a.service < b.service ? -1 : a.service > b.service ? 1 : a.operation < b.operation ? -1 : a.operation > b.operation ? 1 : 0));
}

/**
 * Buckets → the intervals during which spans carried one `lab.faults` value.
 * A bucket whose spans carry no `lab.faults` ends an interval (the switches
 * were off); a bucket with no spans at all says nothing, so it neither ends
 * an interval nor extends it (an interval ends where its last span-bearing bucket ends).
 */
export function faultIntervals(buckets: readonly FaultBucket[], startNs: bigint, stepNs: bigint, points: number, endNs: bigint): FaultInterval[] {
  const byK = new Map(buckets.map((b) => [b.k, b]));
  const out: FaultInterval[] = [];
  let open: { value: string; first: number; last: number } | null = null;
  const close = () => {
    if (!open) return;
    const s = startNs + BigInt(open.first) * stepNs;
    let e = startNs + BigInt(open.last + 1) * stepNs;
    if (e > endNs) e = endNs;
    out.push({ startTimeUnixNano: String(s), endTimeUnixNano: String(e), faults: open.value });
    open = null;
  };
  for (let k = 0; k < points; k++) {
    const b = byK.get(k);
    if (!b || (b.spans === 0 && b.faults.length === 0)) continue;
    if (b.faults.length === 0) {
      close();
      continue;
    }
    const value = [...b.faults].sort().join(' | ');
    if (open && open.value === value) open.last = k;
    else {
      close();
      open = { value, first: k, last: k };
    }
  }
  close();
  return out;
}

export function metricsAnswer(req: MetricsRequest, rows: readonly RedRow[], buckets: readonly FaultBucket[]): MetricsAnswer {
  return {
    startTimeUnixNano: String(req.startNs),
    endTimeUnixNano: String(req.endNs),
    stepMs: Number(req.stepNs) / 1e6,
    series: buildSeries(req, rows),
    faults: faultIntervals(buckets, req.startNs, req.stepNs, req.points, req.endNs),
  };
}

// ------------------------------------------------------------ Jaeger shaping

/** jaeger-query's metrics request (all times and durations in ms, as Jaeger UI sends them). */
export interface JaegerMetricsRequest {
  services: string[];
  groupByOperation: boolean;
  /** Stored span kind numbers. */
  kinds: number[];
  endMs: number;
  lookbackMs: number;
  stepMs: number;
  ratePerMs: number;
  /** latencies only. */
  quantile?: number;
}

/**
 * Jaeger's (Prometheus's) point grid: points at endTs - lookback, then every
 * step up to endTs; the value at t is over the spans that started in the
 * ratePer before t.
 */
export function jaegerGrid(r: JaegerMetricsRequest): { query: Pick<RedQuery, 'firstNs' | 'stepNs' | 'points' | 'windowNs'>; timesMs: number[] } {
  const startMs = r.endMs - r.lookbackMs;
  const points = Math.floor(r.lookbackMs / r.stepMs) + 1;
  const timesMs = Array.from({ length: points }, (_, k) => startMs + k * r.stepMs);
  return {
    query: {
      firstNs: BigInt(startMs - r.ratePerMs) * 1_000_000n,
      stepNs: BigInt(r.stepMs) * 1_000_000n,
      points,
      windowNs: BigInt(r.ratePerMs) * 1_000_000n,
    },
    timesMs,
  };
}

export function jaegerRedQuery(r: JaegerMetricsRequest, metric: JaegerMetric): RedQuery {
  return {
    ...jaegerGrid(r).query,
    services: r.services,
    kinds: r.kinds,
    groupBy: r.groupByOperation ? 'operation' : 'service',
    quantiles: metric === 'latencies' ? [r.quantile ?? 0.95] : [],
  };
}

/** A time as protobuf's JSON Timestamp: RFC 3339 in UTC, fractional seconds only when there are any. */
export function rfc3339(msSinceEpoch: number): string {
  return new Date(msSinceEpoch).toISOString().replace('.000Z', 'Z');
}

export type JaegerMetric = 'latencies' | 'calls' | 'errors';

export interface JaegerMetricFamily {
  name: string;
  type: 'GAUGE';
  help: string;
  metrics: {
    labels: { name: string; value: string }[];
    metricPoints: { gaugeValue: { doubleValue: number }; timestamp: string }[];
  }[];
}

/**
 * The rows as jaeger-query's MetricFamily. calls: calls per second over the
 * ratePer window; errors: errors / calls; latencies: the quantile in ms.
 * Points where the window holds no span carry no latency or error ratio
 * (Prometheus has no sample there either); calls are 0 there.
 */
export function jaegerMetricFamily(metric: JaegerMetric, r: JaegerMetricsRequest, rows: readonly RedRow[]): JaegerMetricFamily {
  const base = { latencies: 'service_latencies', calls: 'service_call_rate', errors: 'service_error_rate' }[metric];
  const help = {
    latencies: `${(r.quantile ?? 0.95).toFixed(2)}th quantile latency, grouped by service`,
    calls: 'calls/sec, grouped by service',
    errors: 'error rate, computed as a fraction of errors/sec over calls/sec, grouped by service',
  }[metric];
  const { timesMs } = jaegerGrid(r);
  const groups = new Map<string, { service: string; operation: string | null; byK: Map<number, RedRow> }>();
  for (const row of rows) {
    if (row.k === null) continue;
    const key = `${row.service}\u0000${row.operation ?? ''}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { service: row.service, operation: row.operation, byK: new Map() }));
    g.byK.set(row.k, row);
  }
  const perSec = r.ratePerMs / 1000;
  const metrics: JaegerMetricFamily['metrics'] = [];
  for (const g of groups.values()) {
    const labels = [{ name: 'service_name', value: g.service }];
    if (r.groupByOperation && g.operation !== null) labels.push({ name: 'operation', value: g.operation });
    const metricPoints: JaegerMetricFamily['metrics'][number]['metricPoints'] = [];
    timesMs.forEach((t, k) => {
      const row = g.byK.get(k);
      const calls = row?.calls ?? 0;
      let v: number | undefined;
      if (metric === 'calls') v = calls / perSec;
      else if (calls > 0 && metric === 'errors') v = row!.errors / calls;
      else if (calls > 0 && metric === 'latencies' && row!.quantilesNs[0] !== undefined) v = row!.quantilesNs[0] / 1e6;
      if (v !== undefined) metricPoints.push({ gaugeValue: { doubleValue: v }, timestamp: rfc3339(t) });
    });
    metrics.push({ labels, metricPoints });
  }
  const grouped = r.groupByOperation;
  return {
    name: grouped ? base.replace('service', 'service_operation') : base,
    type: 'GAUGE',
    help: grouped ? `${help} & operation` : help,
    metrics,
  };
}
