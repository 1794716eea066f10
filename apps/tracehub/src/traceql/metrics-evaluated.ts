// The generic path of TraceQL metrics: first stages SQL cannot run
// (structural operators, spanset &&, pipelines, fields without SQL) are run by
// the TraceQL evaluator on candidate traces, and each span they select is
// handed to the metrics aggregation once. Bounded like search: at most
// MAX_CANDIDATES traces per query; when the bound is reached the answer is
// partial (`capped`).
import type { SpanRecord } from '../model.js';
import type { TraceReader } from '../store/types.js';
import type { Field, Pipeline } from './ast.js';
import { evaluatePipeline } from './evaluate.js';
import type { MetricsRange } from './metrics-range.js';
import type { EvaluatedSpan, EvaluatedSpanSource, FieldValue } from './metrics-spans.js';
import { prefilterPredicate } from './prefilter.js';
import { boundsOf, MAX_BATCH, MAX_CANDIDATES } from './search.js';
import { buildTraceContext, type TraceContext } from './trace-context.js';
import { fieldValue, type Value } from './values.js';

/** Traces may start this long before the range and still hold spans in it. */
const LEAD_NS = 3_600_000_000_000n;

/** A TraceQL value as a metrics label or measured value (status and kind by name, as Tempo labels them). */
export function toFieldValue(v: Value | null): FieldValue {
  if (v === null) return { type: 'nil' };
  switch (v.type) {
    case 'float':
      return { type: 'double', value: v.value };
    case 'duration':
      return { type: 'duration', ns: v.value };
    case 'status':
    case 'kind':
      return { type: 'string', value: v.value };
    default:
      return v;
  }
}

export interface EvaluatedSource {
  spans: EvaluatedSpanSource;
  /** True once a query reached MAX_CANDIDATES traces: its answer is partial. */
  capped: boolean;
}

export function evaluatedSpanSource(reader: Pick<TraceReader, 'searchTraces' | 'getTraces'>): EvaluatedSource {
  const source: EvaluatedSource = {
    capped: false,
    spans: (pipeline, range) => evaluatedSpans(reader, pipeline, range, source),
  };
  return source;
}

async function* evaluatedSpans(
  reader: Pick<TraceReader, 'searchTraces' | 'getTraces'>,
  pipeline: Pipeline,
  range: MetricsRange,
  source: EvaluatedSource,
): AsyncIterable<EvaluatedSpan> {
  const found = await reader.searchTraces({
    predicate: prefilterPredicate(pipeline),
    startNs: range.startNs > LEAD_NS ? range.startNs - LEAD_NS : 0n,
    endNs: range.endNs,
    limit: MAX_CANDIDATES,
    spansPerSpanSet: 1,
  });
  if (found.length >= MAX_CANDIDATES) source.capped = true;
  for (let i = 0; i < found.length; i += MAX_BATCH) {
    const batch = found.slice(i, i + MAX_BATCH).map((r) => r.summary);
    const traces = await reader.getTraces(batch.map((s) => s.traceId), boundsOf(batch));
    for (const spans of traces.values()) yield* selectedSpans(pipeline, spans, range);
  }
}

/** The spans of one trace the pipeline selects, each once, that start in (range.startNs, range.endNs]. */
function* selectedSpans(pipeline: Pipeline, spans: SpanRecord[], range: MetricsRange): Iterable<EvaluatedSpan> {
  if (spans.length === 0) return;
  const ctx: TraceContext = buildTraceContext(spans);
  const seen = new Set<SpanRecord>();
  for (const set of evaluatePipeline(pipeline, spans, ctx)) {
    for (const span of set.spans) {
      if (seen.has(span)) continue;
      seen.add(span);
      if (span.startTimeUnixNano <= range.startNs || span.startTimeUnixNano > range.endNs) continue;
      yield { startNs: span.startTimeUnixNano, field: (f: Field) => toFieldValue(fieldValue(f, span, ctx)) };
    }
  }
}
