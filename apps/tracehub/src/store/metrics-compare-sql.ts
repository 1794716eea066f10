/**
 * compare()'s counts pushed down to DuckDB (pure SQL building): for the spans
 * the first stage selects, in the query's right-closed intervals, how many
 * carry each attribute value (span and resource attributes of scalar type,
 * and the intrinsics name, status and kind), split into the selection (spans
 * matching compare()'s filter, within its time window when given) and the
 * baseline (the others). traceql/metrics-compare.ts ranks them into series.
 */
import type { MetricsRange } from '../traceql/metrics-range.js';
import { kindNameSql, statusNameSql } from './enum-names-sql.js';
import type { Sql } from './graph-sql.js';
import type { SpanPredicate } from './types.js';

export interface CompareCellQuery {
  predicate: SpanPredicate;
  selection: SpanPredicate;
  /** Selection time window: spans starting in [startNs, endNs). */
  selectionStartNs?: bigint;
  selectionEndNs?: bigint;
  range: MetricsRange;
  limit?: number;
}

const SCALAR = "('string', 'int', 'double', 'bool')";
const STATUS_NAMES = statusNameSql('m.status_code');
const KIND_NAMES = kindNameSql('m.kind');

/** Columns: sel, attr, vtype, str, k, cnt. */
export function compareCellsSql(q: CompareCellQuery): Sql {
  const { range } = q;
  const floor = range.startNs + 1n;
  const pred = q.predicate.withTimeFloor ? q.predicate.withTimeFloor(floor) : q.predicate;
  const sel = q.selection.withTimeFloor ? q.selection.withTimeFloor(floor) : q.selection;
  const window =
    q.selectionStartNs !== undefined && q.selectionEndNs !== undefined ? ` AND s.start_ns >= ${q.selectionStartNs} AND s.start_ns < ${q.selectionEndNs}` : '';
  const needsTrace = pred.needsTrace || sel.needsTrace;
  const sql = `
    WITH m AS (
      SELECT s.span_key, s.resource_id, s.name, s.status_code, s.kind,
             coalesce((${sel.sql})${window}, false) AS sel,
             (s.start_ns - ${range.startNs} - 1) // ${range.stepNs} AS k
      FROM spans s ${needsTrace ? 'JOIN trace_summaries t ON t.trace_id = s.trace_id' : ''}
      WHERE s.start_ns > ${range.startNs} AND s.start_ns <= ${range.endNs} AND (${pred.sql})
    )
    SELECT sel, attr, vtype, str, k, count(*) AS cnt FROM (
      SELECT m.sel, m.k, 'span.' || a.key AS attr, a.vtype, a.str
      FROM m JOIN span_attrs a ON a.span_key = m.span_key
      WHERE a.start_ns > ${range.startNs} AND a.start_ns <= ${range.endNs} AND a.vtype IN ${SCALAR}
      UNION ALL
      SELECT m.sel, m.k, 'resource.' || r.key, r.vtype, r.str
      FROM m JOIN resource_attrs r ON r.resource_id = m.resource_id
      WHERE r.vtype IN ${SCALAR}
      UNION ALL SELECT m.sel, m.k, 'name', 'string', m.name FROM m
      UNION ALL SELECT m.sel, m.k, 'status', 'string', ${STATUS_NAMES} FROM m
      UNION ALL SELECT m.sel, m.k, 'kind', 'string', ${KIND_NAMES} FROM m
    )
    GROUP BY ALL${q.limit === undefined ? '' : `
    LIMIT ${Math.trunc(q.limit)}`}`;
  return { sql, params: [...sel.params, ...pred.params] };
}
