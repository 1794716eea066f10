/**
 * Runs a TraceQL metrics query against the store: the first stage is compiled
 * to SQL and aggregated in DuckDB (store/metrics-sql.ts), the series maths is
 * traceql/metrics.ts. Throws TraceQLError (a 400) for invalid or unsupported
 * queries and MetricsRangeError (a 400) for a bad time grid.
 */
import type { TraceReader } from '../store/types.js';
import { compileCondition } from '../traceql/compile.js';
import { TraceQLError, UnsupportedTraceQLError } from '../traceql/errors.js';
import { MAX_CELLS, MAX_SERIES, MetricsTooLargeError, timestampMsOf, type MetricsRange } from '../traceql/metrics-range.js';
import { parseMetricsQuery } from '../traceql/metrics-query.js';
import { compareSeries } from '../traceql/metrics-compare.js';
import { MAX_CANDIDATES } from '../traceql/search.js';
import { aggregateSpans, EVALUATED_SPAN_ACCESS, type EvaluatedSpanSource } from '../traceql/metrics-spans.js';
import { maxGroupBy, secondStage, seriesFromCells, validateStage, type MetricsSeries } from '../traceql/metrics.js';

/**
 * `generic`: the spans of first stages SQL cannot run (structural operators,
 * spanset &&, fields without SQL), from the TraceQL evaluator; without it such
 * queries are a 400 (unsupported).
 */
export async function runMetricsQuery(
  reader: Pick<TraceReader, 'metricsCells' | 'compareCells'>,
  query: string,
  range: MetricsRange,
  generic?: EvaluatedSpanSource,
): Promise<MetricsSeries[]> {
  const { pipeline, stage, pushdown } = parseMetricsQuery(query);
  const maxBy = maxGroupBy(stage);
  if (stage.by.length > maxBy) throw new UnsupportedTraceQLError(`metrics group by ${stage.by.length} values`, query.indexOf('|'), `at most ${maxBy}`);
  const invalid = validateStage(stage);
  if (invalid !== null) throw new TraceQLError(invalid, query.indexOf('|'));
  if (pushdown === null && generic && !stage.compare) {
    const cells = await aggregateSpans(generic(pipeline, range), stage, range, EVALUATED_SPAN_ACCESS);
    return secondStage(stage, range, seriesFromCells(stage, range, cells));
  }
  if (pushdown === null) {
    throw new UnsupportedTraceQLError('metrics over a first stage or field SQL cannot express', 0, 'use one { ... } filter and span/resource attributes or intrinsics');
  }
  const predicate = compileCondition(pushdown)!;
  const limit = MAX_CELLS + 1;
  if (stage.compare) {
    const c = stage.compare;
    const cells = bounded(await reader.compareCells({ predicate, selection: compileCondition(c.selection)!, selectionStartNs: c.startNs, selectionEndNs: c.endNs, range, limit }));
    return secondStage(stage, range, compareSeries(c.topN, range, cells));
  }
  const cells = bounded(await reader.metricsCells({ predicate, stage, range, limit }));
  return secondStage(stage, range, seriesFromCells(stage, range, cells));
}

function bounded<T>(cells: T[]): T[] {
  if (cells.length > MAX_CELLS) {
    throw new MetricsTooLargeError(
      `too many series: the query makes more than ${MAX_CELLS.toLocaleString('en-US')} group × interval values; group by fewer or less varied fields, narrow the filter, or use a larger step`,
    );
  }
  return cells;
}

/** Tempo's max_response_series: the first MAX_SERIES series (by labels), and whether any were left out. */
export function capSeries(series: MetricsSeries[]): { series: MetricsSeries[]; partial: boolean } {
  return series.length > MAX_SERIES ? { series: series.slice(0, MAX_SERIES), partial: true } : { series, partial: false };
}

/** The answer of a first stage run by the evaluator when it reached its bound of candidate traces. */
export const CANDIDATES_MESSAGE = `The first stage is run by the TraceQL evaluator on at most ${MAX_CANDIDATES} candidate traces; more matched the prefilter, so a partial response is returned. Narrow the time range or the filter.`;

export const PARTIAL_MESSAGE = `Response exceeds maximum series limit of ${MAX_SERIES}, a partial response is returned. Warning: the accuracy of each individual value is not guaranteed.`;

export interface Sample {
  timestampMs: number;
  value: number;
}

/** A series' samples: one per interval with a value (NaN = none), stamped with the interval's end. */
export function samplesOf(s: MetricsSeries, range: MetricsRange): Sample[] {
  const out: Sample[] = [];
  s.values.forEach((value, i) => {
    if (!Number.isNaN(value)) out.push({ timestampMs: timestampMsOf(i, range), value });
  });
  return out;
}
