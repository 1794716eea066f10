// TraceQL search over the store: the prefilter picks candidate traces newest
// first, their spans are read in batches, the evaluator runs the pipeline on
// each, and the traces with a non-empty result are kept until `limit`.
// Bounded work: at most MAX_CANDIDATES traces are evaluated per request.
import type { TraceSummary } from '../model.js';
import type { TraceReader, TraceSearch } from '../store/types.js';
import type { Pipeline } from './ast.js';
import { answerSpansets, type SpansetAnswer } from './answer.js';
import { TraceQLError } from './errors.js';
import { evaluatePipeline } from './evaluate.js';
import { parseTraceQLQuery } from './parser.js';
import { prefilterIsExact, prefilterPredicate } from './prefilter.js';
import { buildTraceContext } from './trace-context.js';

/** Candidate traces evaluated per request at most (newest first). */
export const MAX_CANDIDATES = 2000;
export const MAX_BATCH = 100;

export interface TraceQLSearchResult {
  summary: TraceSummary;
  spanSets: SpansetAnswer[];
}

export interface TraceQLSearchAnswer {
  results: TraceQLSearchResult[];
  /** Candidate traces evaluated. */
  inspected: number;
  /** True when MAX_CANDIDATES was reached before `limit` matches. */
  capped: boolean;
}

/** The time span holding every span of these traces (a span starts within its trace). */
export function boundsOf(summaries: TraceSummary[]): { startNs: bigint; endNs: bigint } {
  let startNs = summaries[0].startTimeUnixNano;
  let endNs = summaries[0].endTimeUnixNano;
  for (const s of summaries) {
    if (s.startTimeUnixNano < startNs) startNs = s.startTimeUnixNano;
    if (s.endTimeUnixNano > endNs) endNs = s.endTimeUnixNano;
  }
  return { startNs, endNs };
}

/**
 * Parses a query for a search endpoint: a metrics query is a TraceQLError
 * (a 400) pointing at the metrics endpoint.
 */
export function parseSearchQuery(q: string): Pipeline {
  const parsed = parseTraceQLQuery(q);
  if (parsed.kind === 'metrics') {
    throw new TraceQLError(
      `${parsed.metrics.fn}() makes this a TraceQL metrics query at position 0: a search endpoint answers spansets; ` +
        'send metrics queries to the metrics endpoint (Tempo: /api/metrics/query_range)',
      0,
    );
  }
  return parsed.pipeline;
}

/**
 * Runs the pipeline over the traces `base` selects (its time window, min/max
 * duration, service, ... still apply; `base.predicate` is replaced by the
 * prefilter), newest first.
 */
export async function searchTraceQL(reader: TraceReader, pipeline: Pipeline, base: TraceSearch): Promise<TraceQLSearchAnswer> {
  const predicate = prefilterPredicate(pipeline);
  const spss = Math.max(1, base.spansPerSpanSet ?? 3);
  const results: TraceQLSearchResult[] = [];
  const seen = new Set<string>();
  let inspected = 0;
  let endNs = base.endNs;
  // An exact prefilter: every candidate matches, `limit` of them are the answer.
  const exact = prefilterIsExact(pipeline);
  let chunk = exact ? base.limit : Math.max(base.limit * 2, 50);
  for (let round = 0; round < 8; round++) {
    const room = MAX_CANDIDATES - inspected;
    if (room <= 0) return { results, inspected, capped: true };
    const asked = Math.min(chunk, MAX_CANDIDATES);
    const found = await reader.searchTraces({ ...base, predicate, endNs, limit: asked, spansPerSpanSet: 1 });
    const fresh = found.filter((r) => !seen.has(r.summary.traceId)).slice(0, room);
    for (let i = 0; i < fresh.length; ) {
      // Read about as many traces as are still needed (twice that when some may not match).
      const need = base.limit - results.length;
      const size = Math.min(MAX_BATCH, exact ? need : Math.max(need * 2, 10));
      const batch = fresh.slice(i, i + size);
      i += size;
      const traces = await reader.getTraces(batch.map((r) => r.summary.traceId), boundsOf(batch.map((r) => r.summary)));
      for (const { summary } of batch) {
        seen.add(summary.traceId);
        inspected++;
        const spans = traces.get(summary.traceId);
        if (!spans || spans.length === 0) continue;
        const ctx = buildTraceContext(spans);
        const sets = evaluatePipeline(pipeline, spans, ctx);
        if (sets.length === 0) continue;
        results.push({ summary, spanSets: answerSpansets(sets, pipeline, ctx, spss) });
        if (results.length >= base.limit) return { results, inspected, capped: false };
      }
    }
    if (found.length < asked) return { results, inspected, capped: false };
    // The next, older chunk: traces starting no later than the oldest seen (ties are skipped by `seen`).
    endNs = found[found.length - 1].summary.startTimeUnixNano;
    chunk *= 4;
  }
  return { results, inspected, capped: inspected >= MAX_CANDIDATES };
}
