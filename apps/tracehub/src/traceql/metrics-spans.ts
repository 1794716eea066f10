/**
 * The generic metrics executor: aggregates an async stream of spans into
 * MetricsCells in JS, for first stages SQL cannot express (structural
 * operators, spanset &&). The caller gives the predicate and the field
 * accessor (the TraceQL span evaluator); `spanRecordField` is a plain one
 * over a SpanRecord's own fields.
 */
import type { AnyValue, SpanRecord } from '../model.js';
import type { Field } from './ast.js';
import { KIND_CODES, STATUS_CODES } from './intrinsics.js';
import type { MetricsStage } from './metrics-ast.js';
import { VALUE_FUNCTIONS } from './metrics-ast.js';
import { intervalOf, type MetricsRange } from './metrics-range.js';
import { log2Bucketize, NIL, type LabelValue, type MetricsCell } from './metrics.js';

/** A field's value on a span: a label value, or a duration in ns. */
export type FieldValue = LabelValue | { type: 'duration'; ns: number };

export interface SpanAccess<S> {
  startNs(span: S): bigint;
  /** The first stage: does the span belong to the result spansets? */
  matches(span: S): boolean;
  field(span: S, f: Field): FieldValue;
}

/** The number a value function reads (durations in seconds), or undefined. */
export function measuredValue(v: FieldValue): number | undefined {
  if (v.type === 'duration') return v.ns / 1e9;
  if (v.type === 'int' || v.type === 'double') return v.value;
  return undefined;
}

/** The log2 bucket of quantile/histogram (durations in seconds, ints as is; floats have none). */
export function bucketOf(v: FieldValue): number | undefined {
  if (v.type === 'duration') {
    const b = log2Bucketize(v.ns);
    return b === undefined ? undefined : b / 1e9;
  }
  if (v.type === 'int') return log2Bucketize(v.value);
  return undefined;
}

function asLabel(v: FieldValue): LabelValue {
  return v.type === 'duration' ? { type: 'int', value: v.ns } : v;
}

export async function aggregateSpans<S>(spans: AsyncIterable<S> | Iterable<S>, stage: MetricsStage, range: MetricsRange, access: SpanAccess<S>): Promise<MetricsCell[]> {
  const cells = new Map<string, MetricsCell>();
  const bucketed = stage.fn === 'quantile_over_time' || stage.fn === 'histogram_over_time';
  const valued = VALUE_FUNCTIONS.has(stage.fn) && !bucketed;
  for await (const span of spans) {
    const k = intervalOf(access.startNs(span), range);
    if (k < 0 || !access.matches(span)) continue;
    let value: number | undefined;
    let bucket: number | undefined;
    if (bucketed) {
      bucket = bucketOf(access.field(span, stage.field!));
      if (bucket === undefined) continue;
    } else if (valued) {
      value = measuredValue(access.field(span, stage.field!));
      if (value === undefined || Number.isNaN(value)) continue;
    }
    const group = stage.by.map((f) => asLabel(access.field(span, f)));
    const key = JSON.stringify([k, bucket ?? null, group]);
    let c = cells.get(key);
    if (!c) cells.set(key, (c = { group, k, bucket, count: 0, sum: 0, min: NaN, max: NaN }));
    c.count++;
    if (value !== undefined) {
      c.sum += value;
      c.min = Number.isNaN(c.min) || value < c.min ? value : c.min;
      c.max = Number.isNaN(c.max) || value > c.max ? value : c.max;
    }
  }
  return [...cells.values()];
}

function anyToField(v: AnyValue | undefined): FieldValue {
  if (!v) return NIL;
  switch (v.type) {
    case 'string':
      return { type: 'string', value: v.value };
    case 'bool':
      return { type: 'bool', value: v.value };
    case 'int':
      return { type: 'int', value: Number(v.value) };
    case 'double':
      return typeof v.value === 'number' ? { type: 'double', value: v.value } : NIL;
    default:
      return NIL;
  }
}

const nameOf = (codes: Record<string, number>, code: number) => Object.keys(codes).find((k) => codes[k] === code) ?? String(code);

/** A field of a SpanRecord by its own data (trace-level intrinsics read as nil). */
export function spanRecordField(span: SpanRecord, f: Field): FieldValue {
  if (f.type === 'intrinsic') {
    switch (f.name) {
      case 'name':
        return { type: 'string', value: span.name };
      case 'status':
        return { type: 'string', value: nameOf(STATUS_CODES, span.statusCode) };
      case 'kind':
        return { type: 'string', value: nameOf(KIND_CODES, span.kind) };
      case 'duration':
        return { type: 'duration', ns: Number(span.endTimeUnixNano - span.startTimeUnixNano) };
      case 'statusMessage':
        return { type: 'string', value: span.statusMessage };
      default:
        return NIL;
    }
  }
  const own = f.scope !== 'resource' ? span.attributes.find((a) => a.key === f.name) : undefined;
  if (own) return anyToField(own.value);
  if (f.scope === 'span') return NIL;
  return anyToField(span.resource.attributes.find((a) => a.key === f.name)?.value);
}

/** A span the first stage selected, with its field values (the TraceQL evaluator's view of it). */
export interface EvaluatedSpan {
  startNs: bigint;
  field(f: Field): FieldValue;
}

export const EVALUATED_SPAN_ACCESS: SpanAccess<EvaluatedSpan> = {
  startNs: (s) => s.startNs,
  matches: () => true,
  field: (s, f) => s.field(f),
};

/**
 * Where the generic path gets its spans: each span the first stage selects
 * (once, even when by() put it in several spansets) among the traces that
 * overlap the range.
 */
export type EvaluatedSpanSource = (pipeline: import('./ast.js').Pipeline, range: MetricsRange) => AsyncIterable<EvaluatedSpan> | Iterable<EvaluatedSpan>;
