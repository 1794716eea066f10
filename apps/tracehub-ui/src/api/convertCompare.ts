// GET /api/v1/compare → the compare page's types, checked like convert.ts does
// for the other answers.
import type { CompareRow, CompareSide, CompareTrace, Comparison } from '../lib/types';
import { WireFormatError } from './convert';

type Obj = Record<string, unknown>;

function obj(v: unknown, path: string): Obj {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new WireFormatError(path, 'an object');
  return v as Obj;
}
function arr(v: unknown, path: string): unknown[] {
  if (!Array.isArray(v)) throw new WireFormatError(path, 'an array');
  return v;
}
function str(o: Obj, k: string, path: string): string {
  if (typeof o[k] !== 'string') throw new WireFormatError(`${path}.${k}`, 'a string');
  return o[k] as string;
}
function num(o: Obj, k: string, path: string): number {
  if (typeof o[k] !== 'number' || !Number.isFinite(o[k])) throw new WireFormatError(`${path}.${k}`, 'a number');
  return o[k] as number;
}
function nsToMs(o: Obj, k: string, path: string): number {
  const s = str(o, k, path);
  if (!/^\d+$/.test(s)) throw new WireFormatError(`${path}.${k}`, 'a decimal string');
  return Number(BigInt(s) / 1_000_000n);
}

function toTrace(v: unknown, path: string): CompareTrace {
  const o = obj(v, path);
  return {
    traceId: str(o, 'traceId', path),
    rootService: str(o, 'rootService', path),
    rootName: str(o, 'rootName', path),
    durationMs: num(o, 'durationMs', path),
    spanCount: num(o, 'spanCount', path),
    error: o.error === true,
  };
}

function toSide(v: unknown, path: string): CompareSide | null {
  if (v === null) return null;
  const o = obj(v, path);
  return {
    count: num(o, 'count', path),
    durationMs: num(o, 'durationMs', path),
    selfMs: num(o, 'selfMs', path),
    errorCount: num(o, 'errorCount', path),
    spanIds: o.spanIds === undefined ? [] : arr(o.spanIds, `${path}.spanIds`).map((x, i) => {
      if (typeof x !== 'string') throw new WireFormatError(`${path}.spanIds[${i}]`, 'a string');
      return x;
    }),
    presence: o.presence === undefined ? null : num(o, 'presence', path),
  };
}

const IN = ['both', 'only-a', 'only-b'] as const;

function toRow(v: unknown, path: string): CompareRow {
  const o = obj(v, path);
  const where = str(o, 'in', path);
  if (!(IN as readonly string[]).includes(where)) throw new WireFormatError(`${path}.in`, IN.join(' | '));
  const p = str(o, 'path', path);
  return {
    path: p,
    segments: p.split(' > '),
    depth: num(o, 'depth', path),
    service: str(o, 'service', path),
    name: str(o, 'name', path),
    in: where as CompareRow['in'],
    a: toSide(o.a, `${path}.a`),
    b: toSide(o.b, `${path}.b`),
    diffDurationMs: num(o, 'diffDurationMs', path),
    diffSelfMs: num(o, 'diffSelfMs', path),
    impact: num(o, 'impact', path),
  };
}

export function toComparison(v: unknown): Comparison {
  const o = obj(v, 'response');
  let baseline: Comparison['baseline'] = null;
  if (o.baseline !== undefined) {
    const b = obj(o.baseline, 'baseline');
    const w = obj(b.window, 'baseline.window');
    baseline = {
      traceCount: num(b, 'traceCount', 'baseline'),
      startMs: nsToMs(w, 'startTimeUnixNano', 'baseline.window'),
      endMs: nsToMs(w, 'endTimeUnixNano', 'baseline.window'),
      traceIds: arr(b.traceIds, 'baseline.traceIds').map((x) => String(x)),
    };
  }
  return {
    a: toTrace(o.a, 'a'),
    b: o.b === undefined ? null : toTrace(o.b, 'b'),
    baseline,
    rows: arr(o.rows, 'rows').map((r, i) => toRow(r, `rows[${i}]`)),
    summary: str(o, 'summary', 'response'),
  };
}
