// GET /api/v1/metrics/traceql (a TraceQL metrics query): the wire shape
// checked and turned into the chart's series.
import type { ChartLabel, ChartSeries } from '../lib/metricsChart';
import { getJson } from './client';
import { WireFormatError } from './convert';

export interface TraceqlMetrics {
  startMs: number;
  endMs: number;
  stepMs: number;
  series: ChartSeries[];
}

type Obj = Record<string, unknown>;
const LABEL_TYPES = new Set(['string', 'int', 'double', 'bool', 'nil']);

function list(v: unknown, path: string): Obj[] {
  if (!Array.isArray(v)) throw new WireFormatError(path, 'an array');
  return v as Obj[];
}

function label(o: Obj, path: string): ChartLabel {
  if (typeof o.name !== 'string' || !LABEL_TYPES.has(o.type as string)) throw new WireFormatError(path, 'a {name, type, value} label');
  return { name: o.name, type: o.type as ChartLabel['type'], value: (o.value ?? null) as ChartLabel['value'] };
}

export function toTraceqlMetrics(body: unknown): TraceqlMetrics {
  const o = (body ?? {}) as Obj;
  for (const k of ['start', 'end', 'stepMs']) if (typeof o[k] !== 'number') throw new WireFormatError(k, 'a number');
  return {
    startMs: o.start as number,
    endMs: o.end as number,
    stepMs: o.stepMs as number,
    series: list(o.series, 'series').map((s, i) => ({
      labels: list(s.labels, `series[${i}].labels`).map((l, j) => label(l, `series[${i}].labels[${j}]`)),
      samples: list(s.samples, `series[${i}].samples`).map((p, j) => {
        const pair = p as unknown;
        if (!Array.isArray(pair) || pair.length !== 2 || typeof pair[0] !== 'number' || typeof pair[1] !== 'number') {
          throw new WireFormatError(`series[${i}].samples[${j}]`, 'a [timestampMs, value] pair');
        }
        return [pair[0], pair[1]] as [number, number];
      }),
      exemplars: (s.exemplars === undefined ? [] : list(s.exemplars, `series[${i}].exemplars`)).map((e, j) => {
        if (typeof e.traceId !== 'string' || typeof e.spanId !== 'string' || typeof e.timestampMs !== 'number') {
          throw new WireFormatError(`series[${i}].exemplars[${j}]`, 'a {traceId, spanId, timestampMs} exemplar');
        }
        return { traceId: e.traceId, spanId: e.spanId, timestampMs: e.timestampMs };
      }),
    })),
  };
}

export async function getTraceqlMetrics(params: URLSearchParams, signal?: AbortSignal): Promise<TraceqlMetrics> {
  return toTraceqlMetrics(await getJson(`/api/v1/metrics/traceql?${params}`, signal));
}
