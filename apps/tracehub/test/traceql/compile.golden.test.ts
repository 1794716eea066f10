// Golden tests: representative queries and the exact SQL + parameters they
// compile to. A change here changes every search that uses TraceQL, so it
// should be deliberate (the execution tests check the SQL actually selects
// the right spans).
import { describe, expect, test } from 'vitest';
import { compileTraceQL } from '../../src/traceql/index.js';

const SPAN_ATTR = 's.span_key IN (SELECT span_key FROM span_attrs WHERE key = ?';
const RESOURCE_ATTR = 's.resource_id IN (SELECT resource_id FROM resource_attrs WHERE key = ?';

interface Golden {
  q: string;
  sql: string;
  params: unknown[];
  needsTrace?: boolean;
}

const GOLDEN: Golden[] = [
  { q: '{}', sql: 'TRUE', params: [] },
  {
    q: '{ resource.service.name = "order-service" && name = "GET /order" && status = error && duration > 100ms }',
    sql: 's.service = ? AND s.name = ? AND s.status_code = 2 AND s.duration_ns > ?',
    params: ['order-service', 'GET /order', 100_000_000n],
  },
  {
    q: '{ resource.service.name =~ "order-service|payment-service" }',
    sql: 'regexp_full_match(s.service, ?)',
    params: ['order-service|payment-service'],
  },
  {
    q: '{ traceDuration > 500ms && rootName != "GET /health" }',
    sql: "t.duration_ns > ? AND coalesce(t.root_name, '') <> ?",
    params: [500_000_000n, 'GET /health'],
    needsTrace: true,
  },
  {
    q: '{ kind = server && rootServiceName = "order-service" }',
    sql: "s.kind = 2 AND coalesce(t.root_service, '') = ?",
    params: ['order-service'],
    needsTrace: true,
  },
  {
    q: '{ span.http.response.status_code >= 500 }',
    sql: `${SPAN_ATTR} AND num >= ?)`,
    params: ['http.response.status_code', 500],
  },
  {
    q: '{ .productName = "Book" }',
    sql: `${SPAN_ATTR} AND vtype = 'string' AND str = ?) OR ${RESOURCE_ATTR} AND vtype = 'string' AND str = ?)`,
    params: ['productName', 'Book', 'productName', 'Book'],
  },
  {
    q: '{ resource.deployment.environment != "prod" }',
    sql: `${RESOURCE_ATTR} AND vtype = 'string' AND str <> ?)`,
    params: ['deployment.environment', 'prod'],
  },
  {
    q: '{ span.order.express = true && span.db.statement !~ "SELECT.*" }',
    sql: `${SPAN_ATTR} AND vtype = 'bool' AND str = 'true') AND ${SPAN_ATTR} AND vtype = 'string' AND NOT regexp_full_match(str, ?))`,
    params: ['order.express', 'db.statement', 'SELECT.*'],
  },
  {
    q: '{ span.error.type != nil && !(resource.k8s.pod.name != nil) }',
    sql: `${SPAN_ATTR}) AND NOT (${RESOURCE_ATTR}))`,
    params: ['error.type', 'k8s.pod.name'],
  },
  {
    q: '{ (status = error || statusMessage =~ "(?i).*timeout.*") && !(kind = internal) }',
    sql: '(s.status_code = 2 OR regexp_full_match(s.status_message, ?)) AND NOT (s.kind = 1)',
    params: ['(?i).*timeout.*'],
  },
  {
    // Grafana's builder, several values picked for an intrinsic enum
    q: '{ status =~ "error|unset" && kind !~ "server|client" && kind =~ "nothing" }',
    sql: 's.status_code IN (0, 2) AND s.kind NOT IN (2, 3) AND FALSE',
    params: [],
  },
  {
    q: '{ name = "a" } || { .service.name = "b" && duration <= 1.5s }',
    sql: `s.name = ? OR ((${SPAN_ATTR} AND vtype = 'string' AND str = ?) OR s.service = ?) AND s.duration_ns <= ?)`,
    params: ['a', 'service.name', 'b', 'b', 1_500_000_000n],
  },
];

describe('TraceQL → SQL golden', () => {
  test.each(GOLDEN)('$q', ({ q, sql, params, needsTrace = false }) => {
    expect(compileTraceQL(q)).toMatchObject({ sql, params, needsTrace });
  });
});

describe('parameters', () => {
  test('durations beyond int64 are clamped rather than failing the BIGINT cast', () => {
    expect(compileTraceQL('{ duration < maxInt && traceDuration > minInt }').params).toEqual([2n ** 63n - 1n, -(2n ** 63n)]);
    expect(compileTraceQL('{ duration > 99999999999h }').params).toEqual([2n ** 63n - 1n]);
  });

  test('integral numbers beyond 2^53 go as text cast to DOUBLE (the binding would type them BIGINT and overflow)', () => {
    expect(compileTraceQL('{ span.x < maxInt }')).toMatchObject({
      sql: `${SPAN_ATTR} AND num < CAST(? AS DOUBLE))`,
      params: ['x', '9223372036854776000'],
      needsTrace: false,
    });
  });

  test('values are never inlined', () => {
    const p = compileTraceQL(`{ name = "x' OR 1=1 --" && span."k'ey" = "v" }`);
    expect(p.sql).not.toContain("x'");
    expect(p.sql).not.toContain("k'ey");
    expect(p.params).toEqual(["x' OR 1=1 --", "k'ey", 'v']);
  });

  test('placeholders and params agree in number for every golden query', () => {
    for (const { q } of GOLDEN) {
      const p = compileTraceQL(q);
      expect(p.sql.split('?').length - 1, q).toBe(p.params.length);
    }
  });
});

describe('time floor', () => {
  test('bounds span-attribute lookups by start time, keeping the parameters in order', () => {
    const p = compileTraceQL('{ span.http.route = "/order" && resource.host.name = "a" }').withTimeFloor!(123n);
    expect(p.sql).toBe(
      `${SPAN_ATTR} AND start_ns >= ? AND vtype = 'string' AND str = ?) AND ${RESOURCE_ATTR} AND vtype = 'string' AND str = ?)`,
    );
    expect(p.params).toEqual(['http.route', 123n, '/order', 'host.name', 'a']);
  });
});
