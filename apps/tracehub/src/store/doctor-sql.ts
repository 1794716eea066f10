/**
 * The propagation doctor's one query (pure SQL builder + row reader): spans
 * of other traces that may be the far end of a broken hop, with the
 * attributes matching reads. Root SERVER/CONSUMER spans in one start window,
 * CLIENT/PRODUCER spans with no child in another service in another; each
 * sort bounded (the servers earliest first, the clients latest first: nearest the trace), both read by `start_ns` ranges (row-group pruning).
 */
import type { Sql, SqlParam } from './graph-sql.js';
import { CHILD_LEAD_NS } from './graph-sql.js';
import type { HopCandidateQuery, HopSpan } from './types.js';

const COLS = 's.span_key, s.trace_id, s.span_id, s.parent_span_id, s.service, s.name, s.kind, s.start_ns, s.end_ns';

export function hopCandidatesSql(q: HopCandidateQuery): Sql | null {
  const parts: string[] = [];
  const params: SqlParam[] = [];
  let lo: bigint | null = null;
  let hi: bigint | null = null;
  const widen = (a: bigint, b: bigint) => {
    lo = lo === null || a < lo ? a : lo;
    hi = hi === null || b > hi ? b : hi;
  };
  if (q.servers) {
    parts.push(`(SELECT ${COLS} FROM spans s
      WHERE s.start_ns BETWEEN ? AND ? AND s.kind IN (2, 5) AND s.parent_span_id = '' AND s.trace_id <> ?
      ORDER BY s.start_ns LIMIT ?)`);
    params.push(q.servers.startNs, q.servers.endNs, q.excludeTraceId, q.limit);
    widen(q.servers.startNs, q.servers.endNs);
  }
  if (q.clients) {
    const { startNs, endNs, endAfterNs } = q.clients;
    parts.push(`(SELECT ${COLS} FROM spans s
      WHERE s.start_ns BETWEEN ? AND ? AND s.end_ns >= ? AND s.kind IN (3, 4) AND s.trace_id <> ?
        AND NOT EXISTS (SELECT 1 FROM spans ch WHERE ch.start_ns BETWEEN ? AND ?
                        AND ch.trace_id = s.trace_id AND ch.parent_span_id = s.span_id AND ch.service <> s.service)
      ORDER BY s.start_ns DESC LIMIT ?)`);
    params.push(startNs, endNs, endAfterNs, q.excludeTraceId, startNs, endNs + CHILD_LEAD_NS, q.limit);
    widen(startNs, endNs);
  }
  if (parts.length === 0 || lo === null || hi === null) return null;
  const keys = q.keys.map(() => '?').join(', ');
  return {
    sql: `WITH c AS (${parts.join(' UNION ALL ')}),
      a AS (
        SELECT sa.span_key, to_json(list(struct_pack(k := sa.key, v := sa.str)))::VARCHAR AS attrs
        FROM span_attrs sa
        WHERE sa.start_ns BETWEEN ? AND ? AND sa.key IN (${keys}) AND sa.span_key IN (SELECT span_key FROM c)
        GROUP BY sa.span_key
      )
      SELECT c.trace_id, c.span_id, c.parent_span_id, c.service, c.name, c.kind, c.start_ns, c.end_ns, a.attrs
      FROM c LEFT JOIN a ON a.span_key = c.span_key
      ORDER BY c.start_ns, c.trace_id, c.span_id`,
    params: [...params, lo, hi, ...q.keys],
  };
}

export function hopSpanRow(r: unknown[]): HopSpan {
  const attrs: Record<string, string> = {};
  if (typeof r[8] === 'string') for (const { k, v } of JSON.parse(r[8]) as { k: string; v: string }[]) attrs[k] = v;
  return {
    traceId: r[0] as string,
    spanId: r[1] as string,
    parentSpanId: r[2] as string,
    service: r[3] as string,
    name: r[4] as string,
    kind: Number(r[5]),
    startNs: r[6] as bigint,
    endNs: r[7] as bigint,
    attrs,
  };
}
