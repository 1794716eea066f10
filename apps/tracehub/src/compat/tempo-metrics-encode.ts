/**
 * TraceQL metrics answers in Tempo's shapes (pure): tempopb.QueryRangeResponse
 * and QueryInstantResponse, as protojson (int64 as strings, AnyValue labels,
 * timestampMs) and as protobuf (field numbers of grafana/tempo
 * pkg/tempopb/tempo.proto: TimeSeries{labels=1, samples=2, prom_labels=3, exemplars=4},
 * Exemplar{labels=1, value=2, timestamp_ms=3},
 * Sample{value=1, timestamp_ms=2}, InstantSeries{labels=1, value=2,
 * promLabels=3}; KeyValue/AnyValue are OTLP common.v1's).
 */
import protobuf from 'protobufjs/minimal.js';
import { samplesOf } from '../analysis/traceql-metrics.js';
import type { MetricsRange } from '../traceql/metrics-range.js';
import type { Exemplar, Label, LabelValue, MetricsSeries } from '../traceql/metrics.js';

type AnyValueJson = { stringValue: string } | { intValue: string } | { doubleValue: number } | { boolValue: boolean } | Record<string, never>;

export function anyValueJson(v: LabelValue): AnyValueJson {
  switch (v.type) {
    case 'string':
      return { stringValue: v.value };
    case 'int':
      return { intValue: String(v.value) };
    case 'double':
      return { doubleValue: v.value };
    case 'bool':
      return { boolValue: v.value };
    case 'nil':
      return {};
  }
}

const labelsJson = (ls: Label[]) => ls.map((l) => ({ key: l.name, value: anyValueJson(l.value) }));

/** What a single-process store reports as Tempo's job metrics. */
const JOB_METRICS = { completedJobs: 1, totalJobs: 1 };

/** Exemplar labels as Tempo gives them: the span's `trace:id` and `span:id`. */
const exemplarLabels = (e: Exemplar): Label[] => [
  { name: 'trace:id', value: { type: 'string', value: e.traceId } },
  { name: 'span:id', value: { type: 'string', value: e.spanId } },
];

/** A partial answer (more series than MAX_SERIES) says so as Tempo does: status PARTIAL and a message. */
export interface Partial {
  partial: boolean;
  message: string;
}

const partialJson = (p?: Partial) => (p?.partial ? { status: 'PARTIAL', message: p.message } : {});

function writePartial(w: protobuf.Writer, p?: Partial): void {
  if (!p?.partial) return;
  w.uint32(tag(3, 0)).int32(1); // PartialStatus PARTIAL
  w.uint32(tag(4, 2)).string(p.message);
}

export function queryRangeJson(series: MetricsSeries[], range: MetricsRange, partial?: Partial) {
  return {
    ...partialJson(partial),
    series: series.map((s) => ({
      labels: labelsJson(s.labels),
      samples: samplesOf(s, range).map((x) => ({ timestampMs: String(x.timestampMs), value: x.value })),
      promLabels: s.promLabels,
      ...(s.exemplars
        ? {
            exemplars: s.exemplars.map((e) => ({
              labels: labelsJson(exemplarLabels(e)),
              // protojson spells a NaN double as "NaN" (counts have no exemplar value).
              value: Number.isNaN(e.value) ? 'NaN' : e.value,
              timestampMs: String(e.timestampMs),
            })),
          }
        : {}),
    })),
    metrics: JOB_METRICS,
  };
}

export function queryInstantJson(series: MetricsSeries[], partial?: Partial) {
  return {
    ...partialJson(partial),
    series: series.filter((s) => !Number.isNaN(s.values[0])).map((s) => ({ labels: labelsJson(s.labels), value: s.values[0]!, promLabels: s.promLabels })),
    metrics: JOB_METRICS,
  };
}

const tag = (field: number, wire: number) => (field << 3) | wire;

function writeLabels(w: protobuf.Writer, field: number, labels: Label[]): void {
  for (const l of labels) {
    w.uint32(tag(field, 2)).fork();
    w.uint32(tag(1, 2)).string(l.name);
    w.uint32(tag(2, 2)).fork();
    const v = l.value;
    if (v.type === 'string') w.uint32(tag(1, 2)).string(v.value);
    else if (v.type === 'bool') w.uint32(tag(2, 0)).bool(v.value);
    else if (v.type === 'int') w.uint32(tag(3, 0)).int64(v.value);
    else if (v.type === 'double') w.uint32(tag(4, 1)).double(v.value);
    w.ldelim();
    w.ldelim();
  }
}

function finish(w: protobuf.Writer): Buffer {
  const bytes = w.finish();
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

export function queryRangeProto(series: MetricsSeries[], range: MetricsRange, partial?: Partial): Buffer {
  const w = protobuf.Writer.create();
  for (const s of series) {
    w.uint32(tag(1, 2)).fork();
    writeLabels(w, 1, s.labels);
    for (const x of samplesOf(s, range)) {
      w.uint32(tag(2, 2)).fork();
      if (x.value !== 0) w.uint32(tag(1, 1)).double(x.value);
      w.uint32(tag(2, 0)).int64(x.timestampMs);
      w.ldelim();
    }
    w.uint32(tag(3, 2)).string(s.promLabels);
    for (const e of s.exemplars ?? []) {
      w.uint32(tag(4, 2)).fork();
      writeLabels(w, 1, exemplarLabels(e));
      if (e.value !== 0) w.uint32(tag(2, 1)).double(e.value);
      w.uint32(tag(3, 0)).int64(e.timestampMs);
      w.ldelim();
    }
    w.ldelim();
  }
  writePartial(w, partial);
  return finish(w);
}

export function queryInstantProto(series: MetricsSeries[], partial?: Partial): Buffer {
  const w = protobuf.Writer.create();
  for (const s of series) {
    const value = s.values[0]!;
    if (Number.isNaN(value)) continue;
    w.uint32(tag(1, 2)).fork();
    writeLabels(w, 1, s.labels);
    if (value !== 0) w.uint32(tag(2, 1)).double(value);
    w.uint32(tag(3, 2)).string(s.promLabels);
    w.ldelim();
  }
  writePartial(w, partial);
  return finish(w);
}
