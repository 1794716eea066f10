/**
 * The service map's SQL (pure): caller→callee edges, calls to uninstrumented
 * peers, per-service node counts, and the traces behind one edge. Every query
 * reads spans by `start_ns` ranges only (BIGINT parameters, so DuckDB prunes
 * row groups by their min/max).
 *
 * Caller side of a call: the parent span. A child (callee) span starts within
 * its parent's lifetime, so children are read up to CHILD_LEAD_NS after the
 * window's end.
 */
import type { PeerAttributes, PeerCallRow, ServiceCallRow, ServiceNodeRow } from './types.js';

export type SqlParam = string | number | bigint | boolean;
export interface Sql {
  sql: string;
  params: SqlParam[];
}

export const CHILD_LEAD_NS = 5n * 60_000_000_000n;

const CLIENT = 3;
const PRODUCER = 4;
const ERROR = 2;

/** Span attribute key → PeerAttributes field, in the column order of the peer queries. */
export const PEER_KEYS: readonly [keyof PeerAttributes, string][] = [
  ['dbSystemName', 'db.system.name'],
  ['dbSystem', 'db.system'],
  ['dbNamespace', 'db.namespace'],
  ['dbName', 'db.name'],
  ['peerService', 'peer.service'],
  ['serverAddress', 'server.address'],
  ['serverPort', 'server.port'],
];
const peerCols = PEER_KEYS.map(([, key], i) => `max(sa.str) FILTER (WHERE sa.key = '${key}') AS k${i}`).join(',\n        ');

/** Stats columns over rows with `dur` (caller-side duration), `err` and `trace_id`. */
const STATS = `count(*) AS calls, count(*) FILTER (WHERE err) AS errors,
    quantile_cont(dur, 0.5) AS p50, quantile_cont(dur, 0.95) AS p95,
    arg_max(trace_id, dur) FILTER (WHERE err) AS err_trace, arg_max(trace_id, dur) AS slow_trace`;

/** Parent/child span pairs that cross services, caller in the window; with `dur` and `err` unless filtered by `extra` (edge traces need neither). */
function crossingPairs(startNs: bigint, endNs: bigint, extra = '', extraParams: SqlParam[] = []): Sql {
  const failed = failedSpans(startNs, endNs);
  const stats = extraParams.length === 0;
  return {
    sql: `${stats ? `WITH RECURSIVE ${failed.sql}` : ''}
      SELECT p.trace_id, p.start_ns, p.service AS source, ch.service AS target${stats ? `,
        CASE WHEN p.kind = ${CLIENT} THEN p.duration_ns ELSE ch.duration_ns END AS dur,
        (f.span_id IS NOT NULL OR (p.kind IN (${CLIENT}, ${PRODUCER}) AND p.status_code = ${ERROR})) AS err` : ''}
      FROM spans p JOIN spans ch ON ch.trace_id = p.trace_id AND ch.parent_span_id = p.span_id
      ${stats ? 'LEFT JOIN failed f ON f.trace_id = ch.trace_id AND f.span_id = ch.span_id' : ''}
      WHERE p.start_ns BETWEEN ? AND ? AND ch.start_ns BETWEEN ? AND ? AND p.service <> ch.service${extra}`,
    params: [...(stats ? failed.params : []), startNs, endNs, startNs, endNs + CHILD_LEAD_NS, ...extraParams],
  };
}

/**
 * CTEs ending in `failed(trace_id, span_id, parent_span_id, service, kind,
 * start_ns)`: the spans with status ERROR, other than CLIENT/PRODUCER ones (a
 * failed outgoing call counts on its own edge), and their ancestors in the
 * same service, up to where the service was called. A callee span is in it
 * when the callee failed while serving the call (e.g. its handler span failed
 * though the SERVER span answered 200). The walk up reads only the spans of
 * traces with such an error (few), found with one semi-join.
 */
function failedSpans(startNs: bigint, endNs: bigint): Sql {
  const seed = `status_code = ${ERROR} AND kind NOT IN (${CLIENT}, ${PRODUCER})`;
  return {
    sql: `err_traces AS (SELECT DISTINCT trace_id FROM spans WHERE start_ns BETWEEN ? AND ? AND ${seed}),
      err_spans AS MATERIALIZED (
        SELECT trace_id, span_id, parent_span_id, service, kind, status_code, start_ns FROM spans
        WHERE start_ns BETWEEN ? AND ? AND trace_id IN (SELECT trace_id FROM err_traces)
      ),
      failed(trace_id, span_id, parent_span_id, service, kind, start_ns) AS (
        SELECT trace_id, span_id, parent_span_id, service, kind, start_ns FROM err_spans WHERE ${seed}
        UNION
        SELECT s.trace_id, s.span_id, s.parent_span_id, s.service, s.kind, s.start_ns
        FROM failed u JOIN err_spans s ON s.trace_id = u.trace_id AND s.span_id = u.parent_span_id AND s.service = u.service
      )`,
    params: [startNs, endNs + CHILD_LEAD_NS, startNs, endNs + CHILD_LEAD_NS],
  };
}

/**
 * CLIENT/PRODUCER spans in the window with no child span in another service,
 * with their peer attributes (spans with none of them are left out).
 */
function peerCalls(startNs: bigint, endNs: bigint, extra = '', extraParams: SqlParam[] = []): Sql {
  // Joining the candidates to their attribute rows before pivoting groups only their rows.
  return {
    sql: `WITH c AS (
      SELECT s.span_key, s.trace_id, s.start_ns, s.service AS source, s.duration_ns AS dur, s.status_code = ${ERROR} AS err
      FROM spans s
      WHERE s.start_ns BETWEEN ? AND ? AND s.kind IN (${CLIENT}, ${PRODUCER})
        AND NOT EXISTS (SELECT 1 FROM spans ch WHERE ch.start_ns BETWEEN ? AND ?
                        AND ch.trace_id = s.trace_id AND ch.parent_span_id = s.span_id AND ch.service <> s.service)
    ), a AS (
      SELECT c.span_key, any_value(c.trace_id) AS trace_id, any_value(c.start_ns) AS start_ns, any_value(c.source) AS source,
        any_value(c.dur) AS dur, any_value(c.err) AS err,
        ${peerCols}
      FROM c JOIN span_attrs sa ON sa.span_key = c.span_key
      WHERE sa.start_ns BETWEEN ? AND ? AND sa.key IN (${PEER_KEYS.map(([, k]) => `'${k}'`).join(', ')})
      GROUP BY c.span_key
    )
    SELECT * FROM a${extra}`,
    params: [startNs, endNs, startNs, endNs + CHILD_LEAD_NS, startNs, endNs, ...extraParams],
  };
}

export function serviceCallsSql(startNs: bigint, endNs: bigint): Sql {
  const pairs = crossingPairs(startNs, endNs);
  return {
    sql: `SELECT source, target, ${STATS} FROM (${pairs.sql}) GROUP BY source, target ORDER BY source, target`,
    params: pairs.params,
  };
}

export function peerCallsSql(startNs: bigint, endNs: bigint): Sql {
  const calls = peerCalls(startNs, endNs);
  const cols = PEER_KEYS.map((_, i) => `k${i}`).join(', ');
  return {
    sql: `SELECT source, ${cols}, ${STATS} FROM (${calls.sql}) GROUP BY source, ${cols} ORDER BY source, ${cols}`,
    params: calls.params,
  };
}

export function serviceNodesSql(startNs: bigint, endNs: bigint): Sql {
  const failed = failedSpans(startNs, endNs);
  const entry = `(kind IN (2, 5) OR parent_span_id = '')`;
  return {
    sql: `WITH RECURSIVE ${failed.sql},
    g AS (
      SELECT service, resource_id, count(*) AS spans, count(*) FILTER (WHERE ${entry}) AS calls
      FROM spans WHERE start_ns BETWEEN ? AND ? GROUP BY service, resource_id
    ),
    e AS (SELECT service, count(*) AS errors FROM failed WHERE ${entry} AND start_ns BETWEEN ? AND ? GROUP BY service)
    SELECT g.service, sum(g.spans), sum(g.calls), coalesce(any_value(e.errors), 0),
      bool_or(g.resource_id IN (SELECT resource_id FROM resource_attrs WHERE key = 'telemetry.sdk.language' AND str = 'webjs'))
    FROM g LEFT JOIN e ON e.service = g.service GROUP BY g.service ORDER BY g.service`,
    params: [...failed.params, startNs, endNs, startNs, endNs],
  };
}

/** Trace ids, newest call first, of the calls from `source` to the service `target`. */
export function serviceEdgeTracesSql(startNs: bigint, endNs: bigint, source: string, target: string, limit: number): Sql {
  const pairs = crossingPairs(startNs, endNs, ' AND p.service = ? AND ch.service = ?', [source, target]);
  return {
    sql: `SELECT trace_id FROM (${pairs.sql}) GROUP BY trace_id ORDER BY max(start_ns) DESC, trace_id LIMIT ?`,
    params: [...pairs.params, limit],
  };
}

/** Trace ids, newest call first, of the calls from `source` to a peer named by any of `peers`. */
export function peerEdgeTracesSql(startNs: bigint, endNs: bigint, source: string, peers: PeerAttributes[], limit: number): Sql {
  const params: SqlParam[] = [source];
  const alternatives = peers.map((p) => {
    const conds = PEER_KEYS.map(([field], i) => {
      const v = p[field];
      if (v === null) return `a.k${i} IS NULL`;
      params.push(v);
      return `a.k${i} = ?`;
    });
    return `(${conds.join(' AND ')})`;
  });
  const calls = peerCalls(startNs, endNs, ` WHERE a.source = ? AND (${alternatives.join(' OR ') || 'false'})`, params);
  return {
    sql: `SELECT trace_id FROM (${calls.sql}) GROUP BY trace_id ORDER BY max(start_ns) DESC, trace_id LIMIT ?`,
    params: [...calls.params, limit],
  };
}

type Row = unknown[];
const n = (v: unknown) => (v === null || v === undefined ? 0 : Number(v));
const s = (v: unknown) => (v === null || v === undefined ? null : String(v));

function statsOf(r: Row, at: number) {
  return {
    calls: n(r[at]),
    errors: n(r[at + 1]),
    p50Ns: n(r[at + 2]),
    p95Ns: n(r[at + 3]),
    errorTraceId: s(r[at + 4]),
    slowestTraceId: s(r[at + 5]),
  };
}

export function serviceCallRow(r: Row): ServiceCallRow {
  return { source: String(r[0]), target: String(r[1]), ...statsOf(r, 2) };
}

export function peerCallRow(r: Row): PeerCallRow {
  const peer = Object.fromEntries(PEER_KEYS.map(([field], i) => [field, s(r[1 + i])])) as unknown as PeerAttributes;
  return { source: String(r[0]), peer, ...statsOf(r, 1 + PEER_KEYS.length) };
}

export function serviceNodeRow(r: Row): ServiceNodeRow {
  return { service: String(r[0]), spans: n(r[1]), calls: n(r[2]), errors: n(r[3]), browser: r[4] === true };
}
