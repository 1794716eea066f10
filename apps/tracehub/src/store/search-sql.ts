/**
 * Trace search → SQL (pure). Span-level filters pick candidate traces from
 * `spans`; trace-level filters (duration, time window, status) apply to the
 * aggregate of their `trace_parts`.
 */
import { MISSING_ROOT_NAME, StatusCode, type TraceSummary } from '../model.js';
import { spanConditions } from './span-conditions.js';
import type { TraceSearch } from './types.js';

export type SqlParam = string | number | bigint | boolean;

export interface SearchSql {
  sql: string;
  params: SqlParam[];
  /** Set when the SQL reads only the trace parts that end at or after it (SearchSqlOptions.pruneParts). */
  prunedFromNs?: bigint;
}

/**
 * An attribute equal (as text) to a value, on any span of the trace or on the
 * resource of any of its spans. One IN over a UNION keeps it a single
 * semi-join (an OR of two IN lists would be evaluated row by row). `fromNs`
 * bounds the rows read by time too: a trace that starts after it has all its
 * spans after it.
 */
function attributeCondition(key: string, value: string, fromNs: bigint | undefined, params: SqlParam[]): string {
  const bounded = fromNs !== undefined;
  const since = (col: string) => (bounded ? `${col} >= ? AND ` : '');
  params.push(...(bounded ? [fromNs, fromNs] : []), key, value);
  params.push(...(bounded ? [fromNs] : []), key, value);
  return `s.trace_id IN (
      SELECT s2.trace_id FROM spans s2 WHERE ${since('s2.start_ns')}s2.span_key IN
        (SELECT span_key FROM span_attrs WHERE ${since('start_ns')}key = ? AND str = ?)
      UNION ALL
      SELECT s3.trace_id FROM spans s3 WHERE ${since('s3.start_ns')}s3.resource_id IN
        (SELECT resource_id FROM resource_attrs WHERE key = ? AND str = ?))`;
}

/** The span-level conditions of a search (on `spans s`), their params appended in order. */
function spanLevelConditions(search: TraceSearch, params: SqlParam[]): { conds: string[]; predicate: TraceSearch['predicate'] } {
  const spanConds: string[] = [];
  if (search.service !== undefined) {
    spanConds.push('s.service = ?');
    params.push(search.service);
  }
  if (search.operation !== undefined) {
    spanConds.push('s.name = ?');
    params.push(search.operation);
  }
  if (search.status === 'ok' || search.status === 'unset') {
    spanConds.push('s.status_code = ?');
    params.push(search.status === 'ok' ? StatusCode.OK : StatusCode.UNSET);
  }
  if (search.span) spanConds.push(...spanConditions(search.span, params, search.span.startNs ?? search.startNs));
  for (const a of search.attributes ?? []) spanConds.push(attributeCondition(a.key, a.value, search.startNs, params));
  const predicate =
    search.predicate && search.startNs !== undefined && search.predicate.withTimeFloor
      ? search.predicate.withTimeFloor(search.startNs)
      : search.predicate;
  if (predicate) {
    spanConds.push(`(${predicate.sql})`);
    params.push(...predicate.params);
  }
  // A span starts no earlier than its trace: a cheap prune by the row groups' min/max.
  if (search.startNs !== undefined && spanConds.length > 0) {
    spanConds.push('s.start_ns >= ?');
    params.push(search.startNs);
  }
  return { conds: spanConds, predicate };
}

/** The trace-level conditions (on a trace's aggregate) and their params. */
function traceLevelConditions(search: TraceSearch): { conds: string[]; params: SqlParam[] } {
  const conds: string[] = [];
  const params: SqlParam[] = [];
  if (search.minDurationNs !== undefined) {
    conds.push('duration_ns >= ?');
    params.push(search.minDurationNs);
  }
  if (search.maxDurationNs !== undefined) {
    conds.push('duration_ns <= ?');
    params.push(search.maxDurationNs);
  }
  if (search.startNs !== undefined) {
    conds.push('start_ns >= ?');
    params.push(search.startNs);
  }
  if (search.endNs !== undefined) {
    conds.push('start_ns <= ?');
    params.push(search.endNs);
  }
  if (search.status === 'error') conds.push('error_count > 0');
  else if (search.status) conds.push('error_count = 0');
  return { conds, params };
}

const AGGREGATE = `SELECT p.trace_id, min(p.start_ns) AS start_ns, max(p.end_ns) AS end_ns,
      max(p.end_ns) - min(p.start_ns) AS duration_ns,
      sum(p.span_count)::BIGINT AS span_count, sum(p.error_count)::BIGINT AS error_count,
      arg_min(p.root_service, p.root_start_ns) AS root_service,
      arg_min(p.root_name, p.root_start_ns) AS root_name,
      list(p.services) AS services
    FROM trace_parts p`;

export interface SearchSqlOptions {
  /**
   * With span conditions and a start bound: read only the trace parts that end
   * at or after it. A trace with an earlier part starts before the bound, so the
   * answer can only gain such traces (with a partial aggregate): the caller
   * reads the answer's parts by trace id (partEndsSql) and drops those traces.
   */
  pruneParts?: boolean;
  /** Rows to return instead of search.limit. */
  limit?: number;
}

export function buildSearchSql(search: TraceSearch & { traceIds?: string[] }, opts: SearchSqlOptions = {}): SearchSql {
  const params: SqlParam[] = [];
  const { conds: spanConds, predicate } = search.traceIds ? { conds: [], predicate: undefined } : spanLevelConditions(search, params);
  const { conds: traceConds, params: traceParams } = traceLevelConditions(search);

  const spss = Math.max(1, search.spansPerSpanSet ?? 3);
  let sql: string;
  let prunedFromNs: bigint | undefined;
  if (search.traceIds) {
    sql = `WITH summ AS (${AGGREGATE} WHERE p.trace_id IN (${search.traceIds.map(() => '?').join(',')}) GROUP BY p.trace_id)
      SELECT * FROM summ`;
    params.push(...search.traceIds);
  } else if (spanConds.length > 0) {
    const join = predicate?.needsTrace ? ' JOIN trace_summaries t ON t.trace_id = s.trace_id' : '';
    const matchedCols = predicate
      ? `, count(*) AS matched_count,
         list(struct_pack(span_id := s.span_id, name := s.name, service := s.service, start_ns := s.start_ns,
                          duration_ns := s.duration_ns, status_code := s.status_code) ORDER BY s.start_ns)[1:${spss}] AS matched_spans`
      : '';
    const prune = opts.pruneParts && search.startNs !== undefined;
    sql = `WITH cand AS (
        SELECT s.trace_id${matchedCols} FROM spans s${join} WHERE ${spanConds.join(' AND ')} GROUP BY s.trace_id
      ), summ AS (${AGGREGATE} WHERE ${prune ? 'p.end_ns >= ? AND ' : ''}p.trace_id IN (SELECT trace_id FROM cand) GROUP BY p.trace_id)
      SELECT summ.*${predicate ? ', cand.matched_count, cand.matched_spans' : ''} FROM summ JOIN cand USING (trace_id)`;
    if (prune) {
      params.push(search.startNs!);
      prunedFromNs = search.startNs;
    }
  } else {
    sql = `WITH summ AS (${AGGREGATE}${search.startNs !== undefined ? ' WHERE p.end_ns >= ?' : ''} GROUP BY p.trace_id)
      SELECT * FROM summ`;
    if (search.startNs !== undefined) params.push(search.startNs);
  }
  if (traceConds.length > 0) sql += ` WHERE ${traceConds.join(' AND ')}`;
  params.push(...traceParams);
  sql += ' ORDER BY start_ns DESC, trace_id LIMIT ?';
  params.push(opts.limit ?? search.limit);
  return prunedFromNs === undefined ? { sql, params } : { sql, params, prunedFromNs };
}

/**
 * The traces with a span that meets every span-level condition of `search`
 * (no predicate), at most `limit` of them: the first step of a search whose
 * candidates are few (the attribute index's), summarised by buildSearchSql's
 * traceIds form, which reads trace_parts by its trace_id index.
 */
export function buildCandidatesSql(search: TraceSearch, limit: number): SearchSql {
  const params: SqlParam[] = [];
  const { conds } = spanLevelConditions({ ...search, predicate: undefined }, params);
  params.push(limit);
  return { sql: `SELECT s.trace_id FROM spans s WHERE ${conds.join(' AND ')} GROUP BY s.trace_id LIMIT ?`, params };
}

/**
 * The parts' ends of the given traces, to find those with a part that ends
 * before a pruned window (SearchSqlOptions.pruneParts). Only the trace_id
 * condition: with a second one DuckDB scans the table instead of the index.
 */
export function partEndsSql(traceIds: readonly string[]): SearchSql {
  return { sql: `SELECT trace_id, end_ns FROM trace_parts WHERE trace_id IN (${traceIds.map(() => '?').join(',')})`, params: [...traceIds] };
}

export interface SummaryRow {
  trace_id: string;
  start_ns: bigint;
  end_ns: bigint;
  span_count: bigint;
  error_count: bigint;
  root_service: string | null;
  root_name: string | null;
  services: { items: string[] } | string[];
}

export function summaryFromRow(row: SummaryRow): TraceSummary {
  const services = new Map<string, { spanCount: number; errorCount: number }>();
  const list = Array.isArray(row.services) ? row.services : row.services.items;
  for (const json of list) {
    for (const [name, [n, e]] of Object.entries(JSON.parse(json) as Record<string, [number, number]>)) {
      const c = services.get(name) ?? { spanCount: 0, errorCount: 0 };
      c.spanCount += n;
      c.errorCount += e;
      services.set(name, c);
    }
  }
  return {
    traceId: row.trace_id,
    rootService: row.root_service ?? '',
    rootName: row.root_name ?? MISSING_ROOT_NAME,
    startTimeUnixNano: row.start_ns,
    endTimeUnixNano: row.end_ns,
    spanCount: Number(row.span_count),
    errorCount: Number(row.error_count),
    services: [...services]
      .map(([name, c]) => ({ name, ...c }))
      .sort((a, b) => b.spanCount - a.spanCount || a.name.localeCompare(b.name)),
  };
}
