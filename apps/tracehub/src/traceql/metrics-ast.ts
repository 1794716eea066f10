// The checked AST of a TraceQL metrics stage: the `| rate() by (...)` (and
// what may follow it) at the end of a query. The parser (parser.ts) produces
// it; the metrics executor (metrics.ts) evaluates it. This file is the
// boundary between the two: change it only together.
import type { CompareOp, Field } from './ast.js';

export type MetricsFunction =
  | 'rate'
  | 'count_over_time'
  | 'sum_over_time'
  | 'min_over_time'
  | 'max_over_time'
  | 'avg_over_time'
  | 'quantile_over_time'
  | 'histogram_over_time'
  | 'compare';

/** Functions that read a value from each span (`sum_over_time(span.size)`, `quantile_over_time(duration, .99)`). */
export const VALUE_FUNCTIONS: ReadonlySet<MetricsFunction> = new Set([
  'sum_over_time',
  'min_over_time',
  'max_over_time',
  'avg_over_time',
  'quantile_over_time',
  'histogram_over_time',
]);

export interface MetricsStage {
  fn: MetricsFunction;
  /** The measured field: required for VALUE_FUNCTIONS, absent otherwise. */
  field?: Field;
  /** quantile_over_time only: one or more quantiles in [0, 1], in the order written. */
  quantiles?: number[];
  /** `by (a, b)`: the grouping fields, in the order written; [] without by(). */
  by: Field[];
  /**
   * compare() only: `compare({ selection }, topN = 10, start?, end?)`. The
   * selection is a spanset filter's condition (the `{ ... }` inside), start/end
   * are unix nanoseconds when given.
   */
  compare?: { selection: import('./ast.js').Condition; topN: number; startNs?: bigint; endNs?: bigint };
  /** `| topk(n)` / `| bottomk(n)` after the function. */
  topk?: { fn: 'topk' | 'bottomk'; n: number };
  /** `> 10` after the function (or after topk): keep only samples that hold. */
  filter?: { op: Exclude<CompareOp, '=~' | '!~'>; value: number };
}
