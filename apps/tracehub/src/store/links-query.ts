/**
 * Incoming span links: spans of other traces whose links point at a trace.
 * Links are stored as JSON text on the linking span (spans.links), so the
 * scan is bounded by a time window on the linking span's start and the
 * trace id is matched as text first, then exactly on the parsed links.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { SpanLink } from '../model.js';
import type { IncomingLink, IncomingLinkQuery } from './types.js';

export async function incomingLinksIn(c: DuckDBConnection, q: IncomingLinkQuery): Promise<IncomingLink[] | null> {
  const bounds = (
    await c.runAndReadAll('SELECT min(start_ns), max(end_ns) FROM trace_parts WHERE trace_id = ?', [q.traceId])
  ).getRows()[0];
  if (!bounds || bounds[0] === null || bounds[0] === undefined) return null;
  const lo = (bounds[0] as bigint) - q.windowNs;
  const hi = (bounds[1] as bigint) + q.windowNs;
  const rows = (
    await c.runAndReadAll(
      `SELECT trace_id, span_id, service, name, links FROM spans
       WHERE start_ns BETWEEN ? AND ? AND trace_id <> ? AND links <> '[]' AND contains(links, ?)
       ORDER BY start_ns, trace_id, span_id LIMIT ?`,
      [lo, hi, q.traceId, q.traceId, q.limit],
    )
  ).getRows();
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
