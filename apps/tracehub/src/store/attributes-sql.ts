/**
 * Attribute analysis → SQL (pure). Run in order on one reader connection:
 * the window's traces, the selection flag, the sampled sets (temp tables, so
 * later steps get constant time bounds for row-group pruning), then one
 * aggregation per (scope, key, value) over the sets' spans.
 */
import type { AttributeAnalysisQuery } from './types.js';
import type { SqlParam } from './search-sql.js';

export interface Statement {
  sql: string;
  params: SqlParam[];
}

/** The traces starting in the window, with their bounds, errors and span count. */
export function windowSql(q: AttributeAnalysisQuery): Statement {
  return {
    // A trace that starts in the window has every part ending after the window's start.
    sql: `CREATE OR REPLACE TEMP TABLE attr_win AS
      SELECT trace_id, min(start_ns) AS start_ns, max(end_ns) AS end_ns,
             sum(error_count)::BIGINT AS error_count, sum(span_count)::BIGINT AS span_count
      FROM trace_parts WHERE end_ns >= ? GROUP BY trace_id HAVING min(start_ns) BETWEEN ? AND ?`,
    params: [q.startNs, q.startNs, q.endNs],
  };
}

/** For a predicate selection: the traces with a matching span, bounded by the window's spans. */
export function matchSql(q: AttributeAnalysisQuery, maxEndNs: bigint): Statement | null {
  if (q.selection.kind !== 'predicate') return null;
  const p = q.selection.predicate.withTimeFloor ? q.selection.predicate.withTimeFloor(q.startNs) : q.selection.predicate;
  const join = p.needsTrace ? ' JOIN trace_summaries t ON t.trace_id = s.trace_id' : '';
  return {
    sql: `CREATE OR REPLACE TEMP TABLE attr_match AS
      SELECT DISTINCT s.trace_id FROM spans s${join} WHERE (${p.sql}) AND s.start_ns >= ? AND s.start_ns <= ?`,
    params: [...p.params, q.startNs, maxEndNs],
  };
}

/** Each window trace flagged sel/baseline; each set cut to its `limit` most recent traces. */
export function setsSql(q: AttributeAnalysisQuery): Statement {
  const s = q.selection;
  let flag: string;
  const params: SqlParam[] = [];
  if (s.kind === 'status') flag = 'error_count > 0';
  else if (s.kind === 'box') {
    flag = 'start_ns BETWEEN ? AND ? AND end_ns - start_ns BETWEEN ? AND ?';
    params.push(s.startNs, s.endNs, s.minDurationNs, s.maxDurationNs);
  } else flag = 'trace_id IN (SELECT trace_id FROM attr_match)';
  params.push(q.limit);
  return {
    sql: `CREATE OR REPLACE TEMP TABLE attr_sets AS
      SELECT trace_id, sel, start_ns, end_ns, span_count, total FROM (
        SELECT *, row_number() OVER (PARTITION BY sel ORDER BY start_ns DESC, trace_id) AS rn,
               count(*) OVER (PARTITION BY sel) AS total
        FROM (SELECT *, coalesce(${flag}, false) AS sel FROM attr_win)
      ) WHERE rn <= ?`,
    params,
  };
}

/** Per set: analysed traces, traces before the cut, spans, and the time bounds of its traces. */
export const SET_TOTALS_SQL = `SELECT sel, count(*), max(total), sum(span_count)::BIGINT, min(start_ns), max(end_ns)
  FROM attr_sets GROUP BY sel`;

export const TEMP_TABLES = ['attr_win', 'attr_match', 'attr_sets'] as const;

const KIND_CASE = `CASE x.kind WHEN 1 THEN 'internal' WHEN 2 THEN 'server' WHEN 3 THEN 'client' WHEN 4 THEN 'producer' WHEN 5 THEN 'consumer' ELSE 'unspecified' END`;
const STATUS_CASE = `CASE x.status_code WHEN 2 THEN 'error' WHEN 1 THEN 'ok' ELSE 'unset' END`;

/**
 * Counts per (scope, key, value): traces and self time in each set, spans in
 * all, and the key's number of distinct and single-span values; only the
 * `valuesPerKey` values with the largest share in either set are returned.
 * Self time: a span's duration less the union of its children's intervals
 * clipped to it. `[fromNs, toNs]` bounds the spans of the sampled traces.
 */
export function valuesSql(q: AttributeAnalysisQuery, fromNs: bigint, toNs: bigint): Statement {
  const sql = `WITH sp AS (
      SELECT s.span_key, s.trace_id, s.span_id, s.parent_span_id, s.resource_id, s.name, s.kind, s.status_code,
             s.start_ns, s.end_ns, a.sel
      FROM spans s JOIN attr_sets a ON a.trace_id = s.trace_id
      WHERE s.start_ns BETWEEN ? AND ?
    ), kids AS (
      SELECT p.trace_id, p.span_id, greatest(c.start_ns, p.start_ns) AS ks, least(c.end_ns, p.end_ns) AS ke
      FROM sp c JOIN sp p ON p.trace_id = c.trace_id AND p.span_id = c.parent_span_id
      WHERE least(c.end_ns, p.end_ns) > greatest(c.start_ns, p.start_ns)
    ), covered AS (
      SELECT trace_id, span_id, sum(greatest(0, ke - greatest(ks, coalesce(prev, ks))))::DOUBLE AS cov FROM (
        SELECT *, max(ke) OVER (PARTITION BY trace_id, span_id ORDER BY ks, ke ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS prev
        FROM kids
      ) GROUP BY trace_id, span_id
    ), x AS (
      SELECT sp.*, greatest(0, (sp.end_ns - sp.start_ns)::DOUBLE - coalesce(cv.cov, 0)) AS self_ns
      FROM sp LEFT JOIN covered cv ON cv.trace_id = sp.trace_id AND cv.span_id = sp.span_id
    ), per_res AS (
      SELECT sel, trace_id, resource_id, sum(self_ns) AS t, count(*) AS n FROM x GROUP BY ALL
    ), vals AS (
      SELECT 'span' AS scope, a.key, a.str AS value, x.sel, x.trace_id, x.self_ns AS t, 1 AS n
        FROM span_attrs a JOIN x ON x.span_key = a.span_key WHERE a.start_ns BETWEEN ? AND ?
      UNION ALL SELECT 'resource', r.key, r.str, pr.sel, pr.trace_id, pr.t, pr.n
        FROM per_res pr JOIN resource_attrs r ON r.resource_id = pr.resource_id
      UNION ALL SELECT 'intrinsic', 'span.name', x.name, x.sel, x.trace_id, x.self_ns, 1 FROM x
      UNION ALL SELECT 'intrinsic', 'span.status', ${STATUS_CASE}, x.sel, x.trace_id, x.self_ns, 1 FROM x
      UNION ALL SELECT 'intrinsic', 'span.kind', ${KIND_CASE}, x.sel, x.trace_id, x.self_ns, 1 FROM x
    ), per_trace AS (
      SELECT scope, key, value, sel, trace_id, sum(t) AS t, sum(n) AS n FROM vals GROUP BY ALL
    ), agg AS (
      SELECT scope, key, value,
             count(*) FILTER (WHERE sel) AS sel_traces, count(*) FILTER (WHERE NOT sel) AS base_traces,
             coalesce(sum(t) FILTER (WHERE sel), 0) AS sel_time, coalesce(sum(t) FILTER (WHERE NOT sel), 0) AS base_time,
             sum(n)::BIGINT AS spans
      FROM per_trace GROUP BY ALL
    ), tot AS (
      SELECT coalesce(sum(self_ns) FILTER (WHERE sel), 0) AS sel_time, coalesce(sum(self_ns) FILTER (WHERE NOT sel), 0) AS base_time,
             greatest(count(DISTINCT trace_id) FILTER (WHERE sel), 1) AS sel_n, greatest(count(DISTINCT trace_id) FILTER (WHERE NOT sel), 1) AS base_n
      FROM x
    ), key_stats AS (
      -- A GROUP BY, not a window count: DuckDB's filtered window aggregates were 100x slower on an id key's 100k values.
      SELECT scope, key, count(*) AS distinct_values, count(*) FILTER (WHERE spans = 1) AS singleton_values FROM agg GROUP BY ALL
    ), ranked AS (
      SELECT agg.*, tot.sel_time AS sel_total_time, tot.base_time AS base_total_time,
             row_number() OVER (PARTITION BY agg.scope, agg.key ORDER BY greatest(
               agg.sel_traces / tot.sel_n, agg.base_traces / tot.base_n,
               agg.sel_time / greatest(tot.sel_time, 1), agg.base_time / greatest(tot.base_time, 1)) DESC, agg.value) AS rn
      FROM agg CROSS JOIN tot
    )
    SELECT r.scope, r.key, r.value, r.sel_traces, r.base_traces, r.sel_time, r.base_time, r.spans, k.distinct_values, k.singleton_values,
           r.sel_total_time, r.base_total_time
    FROM ranked r JOIN key_stats k ON k.scope = r.scope AND k.key = r.key
    WHERE r.rn <= ? ORDER BY r.scope, r.key, r.rn`;
  return { sql, params: [fromNs, toNs, fromNs, toNs, q.valuesPerKey] };
}
