/**
 * Runs the attribute analysis (attributes-sql.ts) on one reader connection.
 * The temp tables are the connection's own and dropped before it goes back
 * to the pool.
 */
import type { DuckDBConnection, DuckDBValue } from '@duckdb/node-api';
import { SET_TOTALS_SQL, TEMP_TABLES, matchSql, setsSql, valuesSql, windowSql, type Statement } from './attributes-sql.js';
import type { AttributeAnalysisData, AttributeAnalysisQuery, AttributeSetTotals, AttributeValueCounts } from './types.js';

const run = (c: DuckDBConnection, s: Statement) => c.run(s.sql, s.params as DuckDBValue[]);
const rows = async (c: DuckDBConnection, s: Statement) => (await c.runAndReadAll(s.sql, s.params as DuckDBValue[])).getRows();

export async function analyzeAttributesIn(c: DuckDBConnection, q: AttributeAnalysisQuery): Promise<AttributeAnalysisData> {
  try {
    await run(c, windowSql(q));
    if (q.selection.kind === 'predicate') {
      const [maxEnd] = (await rows(c, { sql: 'SELECT max(end_ns) FROM attr_win', params: [] }))[0] ?? [];
      await run(c, matchSql(q, maxEnd === null || maxEnd === undefined ? q.endNs : BigInt(maxEnd as bigint))!);
    }
    await run(c, setsSql(q));
    const empty = (): AttributeSetTotals => ({ traceCount: 0, totalTraceCount: 0, spanCount: 0, timeNs: 0 });
    const selection = empty();
    const baseline = empty();
    let from: bigint | null = null;
    let to: bigint | null = null;
    for (const [sel, n, total, spans, lo, hi] of await rows(c, { sql: SET_TOTALS_SQL, params: [] })) {
      const t = sel ? selection : baseline;
      t.traceCount = Number(n);
      t.totalTraceCount = Number(total);
      t.spanCount = Number(spans);
      if (from === null || (lo as bigint) < from) from = lo as bigint;
      if (to === null || (hi as bigint) > to) to = hi as bigint;
    }
    if (selection.traceCount === 0 || from === null || to === null) return { selection, baseline, values: [] };
    const values: AttributeValueCounts[] = [];
    for (const r of await rows(c, valuesSql(q, from, to))) {
      selection.timeNs = Number(r[10]);
      baseline.timeNs = Number(r[11]);
      values.push({
        scope: r[0] as AttributeValueCounts['scope'],
        key: r[1] as string,
        value: r[2] as string,
        selTraces: Number(r[3]),
        baseTraces: Number(r[4]),
        selTimeNs: Number(r[5]),
        baseTimeNs: Number(r[6]),
        spans: Number(r[7]),
        keyDistinctValues: Number(r[8]),
        keySingletonValues: Number(r[9]),
      });
    }
    return { selection, baseline, values };
  } finally {
    for (const t of TEMP_TABLES) await c.run(`DROP TABLE IF EXISTS ${t}`).catch(() => undefined);
  }
}
