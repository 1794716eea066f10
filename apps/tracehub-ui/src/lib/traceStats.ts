import { selfTime } from './criticalPath';
import { byText } from './format';
import type { SpanTree } from './spanTree';
import { spanStatement } from './statementShape';

/**
 * One row of the statistics view: the spans of one service with one
 * operation name, or, for database spans, one statement shape (so the 30
 * queries of an N+1 are one row with count 30). Times in microseconds.
 */
export interface StatsRow {
  key: string;
  service: string;
  /** The operation name, or the statement shape for a statement row. */
  name: string;
  /** True when the row groups spans by statement shape. */
  statement: boolean;
  count: number;
  totalUs: number;
  selfUs: number;
  avgUs: number;
  maxUs: number;
  errorCount: number;
  /** Span indices (tree order). */
  spans: number[];
}

export type StatsColumn = 'service' | 'name' | 'count' | 'totalUs' | 'selfUs' | 'avgUs' | 'maxUs' | 'errorCount';

/** Per service + operation (or statement shape) aggregates of a trace, by total time, largest first. */
export function traceStats(tree: SpanTree): StatsRow[] {
  const rows = new Map<string, StatsRow>();
  const shapes = new Map<string, string>();
  tree.spans.forEach((s, i) => {
    const shape = spanStatement(s, shapes);
    const name = shape ?? s.name;
    const key = `${s.service}\u0000${shape === null ? 'op' : 'db'}\u0000${name}`;
    let row = rows.get(key);
    if (!row) {
      row = { key, service: s.service, name, statement: shape !== null, count: 0, totalUs: 0, selfUs: 0, avgUs: 0, maxUs: 0, errorCount: 0, spans: [] };
      rows.set(key, row);
    }
    row.count++;
    row.totalUs += s.durationUs;
    row.selfUs += selfTime(tree, i);
    if (s.durationUs > row.maxUs) row.maxUs = s.durationUs;
    if (s.status.code === 'error') row.errorCount++;
    row.spans.push(i);
  });
  const out = [...rows.values()];
  for (const r of out) r.avgUs = r.totalUs / r.count;
  return sortStats(out, 'totalUs', 'desc');
}

/** A sorted copy; ties by service, then name, so the order is stable across sorts. */
export function sortStats(rows: readonly StatsRow[], column: StatsColumn, dir: 'asc' | 'desc'): StatsRow[] {
  const sign = dir === 'asc' ? 1 : -1;
  return [...rows].sort((a, b) => {
    const x = a[column];
    const y = b[column];
    const c = typeof x === 'string' ? byText(x, y as string) : x - (y as number);
    return sign * c || byText(a.service, b.service) || byText(a.name, b.name);
  });
}
