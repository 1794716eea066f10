// Golden tests of the SQL the store's pure builders render: a change to a
// query shows up here as a diff of a checked-in .sql file (review it; update
// with `npx vitest run -u <this file>`). The behaviour of these queries is
// tested elsewhere against real DuckDB; these catch unintended changes, such
// as a filter that silently drops out of the SQL.
import { describe, expect, it } from 'vitest';
import { matchSql, SET_TOTALS_SQL, setsSql, valuesSql, windowSql } from '../../src/store/attributes-sql.js';
import { hopCandidatesSql } from '../../src/store/doctor-sql.js';
import { peerCallsSql, serviceCallsSql, serviceNodesSql } from '../../src/store/graph-sql.js';
import { linkingSpansSql, traceBoundsSql } from '../../src/store/links-query.js';
import { metricsCellsSql } from '../../src/store/metrics-sql.js';
import { buildCandidatesSql, buildSearchSql, partEndsSql } from '../../src/store/search-sql.js';
import { spanConditions } from '../../src/store/span-conditions.js';
import type { SqlParam } from '../../src/store/search-sql.js';
import type { AttributeAnalysisQuery } from '../../src/store/types.js';
import { compileCondition } from '../../src/traceql/compile.js';
import { compileTraceQL } from '../../src/traceql/index.js';
import { metricsRange } from '../../src/traceql/metrics-range.js';
import { parseMetricsQuery } from '../../src/traceql/metrics-query.js';
import { prefilterPredicate } from '../../src/traceql/prefilter.js';
import { parseSearchQuery } from '../../src/traceql/search.js';

const T0 = 1_760_000_000_000_000_000n;
const HOUR = 3_600_000_000_000n;

/** SQL and parameters as one readable file: the statement, then `-- params:` with each value. */
function golden(sql: string, params: readonly unknown[]): string {
  const text = sql
    .split('\n')
    .map((l) => l.trimEnd())
    .join('\n')
    .trim();
  const shown = params.map((p) => (typeof p === 'bigint' ? `${p}n` : JSON.stringify(p)));
  return `${text}\n-- params: ${shown.join(', ')}\n`;
}

/** `.sql.golden`, not `.sql`: rendered output to review, not source (tools that look for copied code skip it). */
const file = (name: string) => `./golden/${name}.sql.golden`;

describe('trace search (search-sql.ts)', () => {
  it.each([
    ['search-all', { limit: 20 }],
    ['search-window-duration', { limit: 20, startNs: T0, endNs: T0 + HOUR, minDurationNs: 100_000_000n, maxDurationNs: 2_000_000_000n }],
    ['search-service-operation-status', { limit: 20, service: 'order-service', operation: 'GET /order', status: 'error' as const, span: { error: true } }],
    ['search-status-ok', { limit: 20, status: 'ok' as const }],
    ['search-span-attributes', { limit: 20, startNs: T0, service: 'payment-service', span: { attributes: [{ key: 'product.name', value: 'Book' }] } }],
    ['search-trace-ids', { limit: 2, traceIds: ['0af7651916cd43dd8448eb211c80319c', '00000000000000000000000000000001'] }],
  ])('%s', async (name, search) => {
    const { sql, params } = buildSearchSql(search);
    await expect(golden(sql, params)).toMatchFileSnapshot(file(name));
  });

  it('a window that reads only the trace parts ending in it, with a few rows to spare', async () => {
    const { sql, params, prunedFromNs } = buildSearchSql(
      { limit: 20, startNs: T0, service: 'frontend', operation: 'GET /order', minDurationNs: 500_000_000n },
      { pruneParts: true, limit: 28 },
    );
    expect(prunedFromNs).toBe(T0);
    await expect(golden(sql, params)).toMatchFileSnapshot(file('search-window-pruned'));
    const check = partEndsSql(['0af7651916cd43dd8448eb211c80319c', '00000000000000000000000000000001']);
    await expect(golden(check.sql, check.params)).toMatchFileSnapshot(file('search-part-ends'));
  });

  it('candidates from the batches the attribute index names', async () => {
    const { sql, params } = buildCandidatesSql(
      {
        limit: 20,
        service: 'payment-service',
        span: { attributes: [{ key: 'order.id', value: '42', batches: [[3n, 5n], [90n, 90n]] }, { key: 'tier', value: 'gold' }] },
      },
      1001,
    );
    await expect(golden(sql, params)).toMatchFileSnapshot(file('search-candidates-indexed'));
  });

  it('a TraceQL prefilter with a time floor', async () => {
    const predicate = prefilterPredicate(parseSearchQuery('{ resource.service.name = "order-service" && status = error } >> { span.db.system.name = "postgresql" }'))!;
    const { sql, params } = buildSearchSql({ limit: 20, startNs: T0, predicate });
    await expect(golden(sql, params)).toMatchFileSnapshot(file('search-traceql-structural'));
  });
});

describe('span conditions (span-conditions.ts)', () => {
  it('Jaeger tags, error and duration bounds on one span', async () => {
    const params: SqlParam[] = [];
    const parts = spanConditions(
      { startNs: T0, endNs: T0 + HOUR, minDurationNs: 1_000_000n, error: false, tags: [{ key: 'span.kind', value: 'server' }, { key: 'exception.type', value: 'PAYMENT_TIMEOUT' }] },
      params,
    );
    await expect(golden(parts.join('\nAND '), params)).toMatchFileSnapshot(file('span-conditions-jaeger'));
  });
});

describe('service map (graph-sql.ts) and the doctor (doctor-sql.ts)', () => {
  it.each([
    ['graph-service-calls', serviceCallsSql(T0, T0 + HOUR)],
    ['graph-peer-calls', peerCallsSql(T0, T0 + HOUR)],
    ['graph-service-nodes', serviceNodesSql(T0, T0 + HOUR)],
  ])('%s', async (name, q) => {
    await expect(golden(q.sql, q.params)).toMatchFileSnapshot(file(name));
  });

  it('hop candidates', async () => {
    const q = hopCandidatesSql({
      excludeTraceId: '0af7651916cd43dd8448eb211c80319c',
      servers: { startNs: T0, endNs: T0 + 1_000_000_000n },
      clients: { startNs: T0 - 1_000_000_000n, endNs: T0, endAfterNs: T0 - 500_000_000n },
      keys: ['server.address', 'server.port', 'url.path'],
      limit: 2000,
    })!;
    await expect(golden(q.sql, q.params)).toMatchFileSnapshot(file('doctor-hop-candidates'));
  });
});

describe('TraceQL metrics (metrics-sql.ts)', () => {
  it.each([
    ['metrics-rate-by-name', '{ resource.service.name = "order-service" } | rate() by (span:name)'],
    ['metrics-quantile-by-service', '{ kind = server } | quantile_over_time(duration, .95, .5) by (resource.service.name)'],
  ])('%s', async (name, q) => {
    const { stage, pushdown } = parseMetricsQuery(q);
    const { sql, params } = metricsCellsSql({ predicate: compileCondition(pushdown!)!, stage, range: metricsRange(T0, T0 + HOUR, 60_000_000_000n), limit: 500_001 });
    await expect(golden(sql, params)).toMatchFileSnapshot(file(name));
  });
});

describe('attribute analysis (attributes-sql.ts)', () => {
  const base = { startNs: T0, endNs: T0 + HOUR, limit: 1000, valuesPerKey: 20 };
  const status: AttributeAnalysisQuery = { ...base, selection: { kind: 'status' } };
  const box: AttributeAnalysisQuery = { ...base, selection: { kind: 'box', startNs: T0 + 60_000_000_000n, endNs: T0 + 120_000_000_000n, minDurationNs: 500_000_000n, maxDurationNs: 3_000_000_000n } };
  const predicate: AttributeAnalysisQuery = { ...base, selection: { kind: 'predicate', predicate: compileTraceQL('{ resource.service.name = "payment-service" && span.payment.status = "declined" }') } };
  const traceLevel: AttributeAnalysisQuery = { ...base, selection: { kind: 'predicate', predicate: compileTraceQL('{ traceDuration > 2s }') } };

  it.each([
    ['attributes-window', windowSql(status)],
    ['attributes-match-span', matchSql(predicate, T0 + 2n * HOUR)!],
    ['attributes-match-trace', matchSql(traceLevel, T0 + 2n * HOUR)!],
    ['attributes-sets-status', setsSql(status)],
    ['attributes-sets-box', setsSql(box)],
    ['attributes-sets-predicate', setsSql(predicate)],
    ['attributes-set-totals', { sql: SET_TOTALS_SQL, params: [] }],
    ['attributes-values', valuesSql(status, T0 - HOUR, T0 + 2n * HOUR)],
  ])('%s', async (name, q) => {
    await expect(golden(q.sql, q.params)).toMatchFileSnapshot(file(name));
  });

  it('no match step for a status or box selection', () => {
    expect(matchSql(status, T0)).toBeNull();
    expect(matchSql(box, T0)).toBeNull();
  });
});

describe('incoming links (links-query.ts)', () => {
  it.each([
    ['links-trace-bounds', traceBoundsSql('0af7651916cd43dd8448eb211c80319c')],
    ['links-linking-spans', linkingSpansSql({ traceId: '0af7651916cd43dd8448eb211c80319c', windowNs: HOUR, limit: 100 }, T0 - HOUR, T0 + 2n * HOUR)],
  ])('%s', async (name, q) => {
    await expect(golden(q.sql, q.params)).toMatchFileSnapshot(file(name));
  });
});
