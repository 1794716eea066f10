/**
 * Incoming span links: spans of other traces whose links point at a trace.
 * Links are stored as JSON text on the linking span (spans.links), so the
 * scan is bounded by a time window on the linking span's start and the
 * trace id is matched as text first, then exactly on the parsed links.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { SpanLink } from '../model.js';
import type { SqlParam } from './search-sql.js';
import type { IncomingLink, IncomingLinkQuery } from './types.js';

/** The trace's time span over its stored parts: one row, NULLs when the trace is not stored. */
export function traceBoundsSql(traceId: string): { sql: string; params: SqlParam[] } {
  return { sql: 'SELECT min(start_ns), max(end_ns) FROM trace_parts WHERE trace_id = ?', params: [traceId] };
}

/** Spans of other traces starting in [loNs, hiNs] whose links' JSON names the trace, oldest first, at most `limit`. */
export function linkingSpansSql(q: IncomingLinkQuery, loNs: bigint, hiNs: bigint): { sql: string; params: SqlParam[] } {
  return {
    sql: `SELECT trace_id, span_id, service, name, links FROM spans
       WHERE start_ns BETWEEN ? AND ? AND trace_id <> ? AND links <> '[]' AND contains(links, ?)
       ORDER BY start_ns, trace_id, span_id LIMIT ?`,
    params: [loNs, hiNs, q.traceId, q.traceId, q.limit],
  };
}

export async function incomingLinksIn(c: DuckDBConnection, q: IncomingLinkQuery): Promise<IncomingLink[] | null> {
  const b = traceBoundsSql(q.traceId);
  const bounds = (await c.runAndReadAll(b.sql, b.params)).getRows()[0];
  if (!bounds || bounds[0] === null || bounds[0] === undefined) return null;
  const linking = linkingSpansSql(q, (bounds[0] as bigint) - q.windowNs, (bounds[1] as bigint) + q.windowNs);
  const rows = (await c.runAndReadAll(linking.sql, linking.params)).getRows();
  const out: IncomingLink[] = [];
  for (const r of rows) {
    for (const l of JSON.parse(r[4] as string) as SpanLink[]) {
      if (l.traceId !== q.traceId) continue;
      out.push({
        traceId: r[0] as string,
        spanId: r[1] as string,
        service: r[2] as string,
        name: r[3] as string,
        linkedSpanId: l.spanId,
        attributes: l.attributes,
      });
    }
  }
  return out;
}
