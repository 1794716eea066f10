// GET /api/v1/metrics (RED metrics, apps/tracehub/API.md "RED metrics"):
// the wire shape checked and turned into numbers the Services page draws.
import { getJson } from './client';
import { WireFormatError } from './convert';
import type { WireMetrics } from './wire';

/** A bucket's or a series' RED figures: the wire's, unchanged. */
export type RedStats = WireMetrics['series'][number]['totals'];
export interface RedPoint extends RedStats {
  /** Bucket start, unix ms. */
  startMs: number;
  exemplars: { slowest: { traceId: string; spanId: string; durationMs: number }; error?: { traceId: string; spanId: string } } | null;
}
export interface RedSeries {
  service: string;
  operation: string;
  totals: RedStats;
  points: RedPoint[];
}
export interface FaultInterval {
  startMs: number;
  endMs: number;
  faults: string;
}
export interface RedMetrics {
  startMs: number;
  endMs: number;
  stepMs: number;
  series: RedSeries[];
  faults: FaultInterval[];
}

type Obj = Record<string, unknown>;
const nsToMs = (v: unknown, path: string): number => {
  if (typeof v !== 'string' || !/^\d+$/.test(v)) throw new WireFormatError(path, 'a decimal string of ns');
  return Number(BigInt(v) / 1000n) / 1000;
};
const num = (o: Obj, k: string, path: string): number => {
  if (typeof o[k] !== 'number') throw new WireFormatError(`${path}.${k}`, 'a number');
  return o[k] as number;
};
const numOrNull = (o: Obj, k: string, path: string): number | null => (o[k] === null ? null : num(o, k, path));
const list = (v: unknown, path: string): Obj[] => {
  if (!Array.isArray(v)) throw new WireFormatError(path, 'an array');
  return v as Obj[];
};

function stats(o: Obj, path: string): RedStats {
  return {
    calls: num(o, 'calls', path),
    errors: num(o, 'errors', path),
    ratePerSec: num(o, 'ratePerSec', path),
    errorRate: num(o, 'errorRate', path),
    p50Ms: numOrNull(o, 'p50Ms', path),
    p95Ms: numOrNull(o, 'p95Ms', path),
    p99Ms: numOrNull(o, 'p99Ms', path),
  };
}

export function toRedMetrics(body: unknown): RedMetrics {
  const o = (body ?? {}) as Obj;
  return {
    startMs: nsToMs(o.startTimeUnixNano, 'startTimeUnixNano'),
    endMs: nsToMs(o.endTimeUnixNano, 'endTimeUnixNano'),
    stepMs: num(o, 'stepMs', 'metrics'),
    series: list(o.series, 'series').map((s, i) => ({
      service: String(s.service),
      operation: String(s.operation),
      totals: stats((s.totals ?? {}) as Obj, `series[${i}].totals`),
      points: list(s.points, `series[${i}].points`).map((p, j) => ({
        ...stats(p, `series[${i}].points[${j}]`),
        startMs: nsToMs(p.t, `series[${i}].points[${j}].t`),
        exemplars: (p.exemplars ?? null) as RedPoint['exemplars'],
      })),
    })),
    faults: list(o.faults, 'faults').map((f, i) => ({
      startMs: nsToMs(f.startTimeUnixNano, `faults[${i}].startTimeUnixNano`),
      endMs: nsToMs(f.endTimeUnixNano, `faults[${i}].endTimeUnixNano`),
      faults: String(f.faults),
    })),
  };
}

export async function getRedMetrics(params: URLSearchParams, signal?: AbortSignal): Promise<RedMetrics> {
  return toRedMetrics(await getJson(`/api/v1/metrics?${params}`, signal));
}
