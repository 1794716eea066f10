/**
 * TraceQL metrics pushed down to DuckDB (pure SQL building): the spans a
 * compiled first stage selects, in the query's right-closed intervals, grouped
 * by the by() fields (and the log2 bucket for quantile/histogram), with
 * count/sum/min/max of the measured value. The rows are MetricsCells
 * (traceql/metrics.ts turns them into series).
 *
 * Reads spans by a `start_ns` range (BIGINT literals, so DuckDB prunes row
 * groups) and attribute rows by key (and time for span attributes).
 */
import type { Field } from '../traceql/ast.js';
import { INTRINSICS } from '../traceql/intrinsics.js';
import { kindNameSql, statusNameSql } from './enum-names-sql.js';
import type { MetricsStage } from '../traceql/metrics-ast.js';
import type { MetricsRange } from '../traceql/metrics-range.js';
import type { SqlParam, Sql } from './graph-sql.js';
import type { SpanPredicate } from './types.js';

export interface MetricsCellQuery {
  /** The first stage, compiled (`{}` is `TRUE`). */
  predicate: SpanPredicate;
  stage: MetricsStage;
  range: MetricsRange;
  /** At most this many cells are returned (the caller asks one more to know it was cut). */
  limit?: number;
}

/** A field as SQL: its value's type name ('string' | 'int' | 'double' | 'bool' | NULL when absent) and text. */
interface FieldSql {
  type: string;
  text: string;
  /** A numeric value: ns for durations, `num` for attributes. */
  num: string;
  duration: boolean;
}

const STATUS_NAMES = statusNameSql('s.status_code');
const KIND_NAMES = kindNameSql('s.kind');

class Builder {
  readonly joins: string[] = [];
  readonly joinParams: SqlParam[] = [];
  needsTrace = false;
  private n = 0;

  constructor(private readonly range: MetricsRange) {}

  field(f: Field): FieldSql {
    if (f.type === 'intrinsic') return this.intrinsic(f.name);
    if (f.name === 'service.name' && f.scope === 'resource') return { type: "'string'", text: 's.service', num: 'NULL::DOUBLE', duration: false };
    const span = f.scope === 'resource' ? null : this.spanAttr(f.name);
    const res = f.scope === 'span' ? null : f.name === 'service.name' ? { type: "'string'", text: 's.service', num: 'NULL::DOUBLE', duration: false } : this.resourceAttr(f.name);
    if (span && res) {
      return {
        type: `coalesce(${span.type}, ${res.type})`,
        text: `CASE WHEN ${span.type} IS NOT NULL THEN ${span.text} ELSE ${res.text} END`,
        num: `CASE WHEN ${span.type} IS NOT NULL THEN ${span.num} ELSE ${res.num} END`,
        duration: false,
      };
    }
    return (span ?? res)!;
  }

  private intrinsic(name: Extract<Field, { type: 'intrinsic' }>['name']): FieldSql {
    const info = INTRINSICS[name];
    if (info.sql === null) throw new Error(`unreachable: ${name} has no SQL (see sqlField in traceql/metrics-query.ts)`);
    if (info.trace) this.needsTrace = true;
    switch (info.type) {
      case 'status':
        return { type: "'string'", text: STATUS_NAMES, num: 'NULL::DOUBLE', duration: false };
      case 'kind':
        return { type: "'string'", text: KIND_NAMES, num: 'NULL::DOUBLE', duration: false };
      case 'duration':
        return { type: "'int'", text: `${info.sql}::VARCHAR`, num: info.sql, duration: true };
      case 'int':
        return { type: "'int'", text: `${info.sql}::VARCHAR`, num: info.sql, duration: false };
      case 'string':
        return { type: "'string'", text: info.sql, num: 'NULL::DOUBLE', duration: false };
    }
  }

  /** Only scalar types make labels and values; arrays, maps, bytes read as absent. */
  private typed(alias: string): FieldSql {
    return {
      type: `CASE WHEN ${alias}.vtype IN ('string', 'int', 'double', 'bool') THEN ${alias}.vtype END`,
      text: `${alias}.str`,
      num: `${alias}.num`,
      duration: false,
    };
  }

  private spanAttr(key: string): FieldSql {
    const a = `a${this.n++}`;
    this.joins.push(
      `LEFT JOIN (SELECT span_key, any_value(vtype) AS vtype, any_value(str) AS str, any_value(num) AS num FROM span_attrs
        WHERE key = ? AND start_ns > ${this.range.startNs} AND start_ns <= ${this.range.endNs} GROUP BY span_key) ${a} ON ${a}.span_key = s.span_key`,
    );
    this.joinParams.push(key);
    return this.typed(a);
  }

  private resourceAttr(key: string): FieldSql {
    const a = `r${this.n++}`;
    this.joins.push(
      `LEFT JOIN (SELECT resource_id, any_value(vtype) AS vtype, any_value(str) AS str, any_value(num) AS num FROM resource_attrs
        WHERE key = ? GROUP BY resource_id) ${a} ON ${a}.resource_id = s.resource_id`,
    );
    this.joinParams.push(key);
    return this.typed(a);
  }
}

/** Columns: k, bucket, cnt, vsum, vmin, vmax, then g{i}_t, g{i}_s per by() field, then ex: one exemplar span {t, s, st, v} (the largest value, or the latest). */
export function metricsCellsSql(q: MetricsCellQuery): Sql {
  const { stage, range } = q;
  const b = new Builder(range);
  const bucketed = stage.fn === 'quantile_over_time' || stage.fn === 'histogram_over_time';
  const valued = !bucketed && stage.field !== undefined && stage.fn !== 'rate' && stage.fn !== 'count_over_time' && stage.fn !== 'compare';
  const groups = stage.by.map((f) => b.field(f));
  const measured = stage.field && (bucketed || valued) ? b.field(stage.field) : null;

  let value = 'NULL::DOUBLE';
  let bucket = 'NULL::DOUBLE';
  if (measured && valued) {
    value = measured.duration ? `${measured.num} / 1e9` : `CASE WHEN ${measured.type} IN ('int', 'double') THEN ${measured.num} END`;
  }
  if (measured && bucketed) {
    // Log2Bucketize: 2^ceil(log2(v)) for v >= 2; durations in seconds, floats have no bucket.
    bucket = measured.duration
      ? `CASE WHEN ${measured.num} >= 2 THEN pow(2, ceil(log2(${measured.num}))) / 1e9 END`
      : `CASE WHEN ${measured.type} = 'int' AND ${measured.num} >= 2 THEN pow(2, ceil(log2(${measured.num}))) END`;
  }
  // The exemplar's value (Tempo's): the measured value, durations in seconds; none for counts.
  const exemplarValue = !measured ? 'NULL' : measured.duration ? `${measured.num} / 1e9` : `CASE WHEN ${measured.type} IN ('int', 'double') THEN ${measured.num} END`;
  const pred = q.predicate.withTimeFloor ? q.predicate.withTimeFloor(range.startNs + 1n) : q.predicate;
  const needsTrace = b.needsTrace || pred.needsTrace;
  const groupCols = groups.flatMap((g, i) => [`${g.type} AS g${i}_t`, `${g.text} AS g${i}_s`]);
  const groupNames = groups.flatMap((_, i) => [`g${i}_t`, `g${i}_s`]);
  const keep = valued ? 'WHERE v IS NOT NULL AND NOT isnan(v)' : bucketed ? 'WHERE bucket IS NOT NULL' : '';
  const sql = `
    SELECT k, bucket, count(*) AS cnt, sum(v) AS vsum, min(v) AS vmin, max(v) AS vmax${groupNames.map((g) => `, ${g}`).join('')},
      arg_max({'t': tid, 's': sid, 'st': st, 'v': ev}, coalesce(ev, st::DOUBLE)) AS ex
    FROM (
      SELECT (s.start_ns - ${range.startNs} - 1) // ${range.stepNs} AS k, (${value})::DOUBLE AS v, (${bucket})::DOUBLE AS bucket${groupCols.map((c) => `, ${c}`).join('')},
        s.trace_id AS tid, s.span_id AS sid, s.start_ns AS st, (${exemplarValue})::DOUBLE AS ev
      FROM spans s
      ${needsTrace ? 'JOIN trace_summaries t ON t.trace_id = s.trace_id' : ''}
      ${b.joins.join('\n      ')}
      WHERE s.start_ns > ${range.startNs} AND s.start_ns <= ${range.endNs} AND (${pred.sql})
    ) ${keep}
    GROUP BY ALL${q.limit === undefined ? '' : `
    LIMIT ${Math.trunc(q.limit)}`}`;
  return { sql, params: [...b.joinParams, ...pred.params] };
}
