// The prefilter: its requirement tree per construct (pure), and its SQL run
// against a real DuckDB from schema.sql (seed-fixture.ts), checking which
// traces are candidates. Every trace the evaluator can match must be one.
import type { DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { formatCondition } from '../../src/traceql/ast.js';
import { parseTraceQLQuery } from '../../src/traceql/index.js';
import { pipelineRequirement, prefilterIsExact, prefilterPredicate, relax, type TraceRequirement } from '../../src/traceql/prefilter.js';
import { createSeedStore } from './seed-fixture.js';

let store: { conn: DuckDBConnection; close: () => void };
beforeAll(async () => {
  store = await createSeedStore();
});
afterAll(() => store?.close());

const pipeline = (q: string) => parseTraceQLQuery(q).pipeline;

function show(r: TraceRequirement): string {
  if (r.type === 'any') return 'any';
  if (r.type === 'span') return `span${formatCondition(r.where)}`;
  return `(${r.type} ${r.parts.map(show).join(' ')})`;
}

async function candidates(q: string, floor?: bigint): Promise<string[] | 'all'> {
  const base = prefilterPredicate(pipeline(q));
  if (!base) return 'all';
  const p = floor === undefined ? base : base.withTimeFloor!(floor);
  const join = p.needsTrace ? ' JOIN trace_summaries t ON t.trace_id = s.trace_id' : '';
  const rows = await store.conn.runAndReadAll(`SELECT DISTINCT s.trace_id FROM spans s${join} WHERE ${p.sql} ORDER BY 1`, p.params);
  return rows.getRows().map((r) => String(r[0]));
}

describe('requirements', () => {
  test.each([
    ['{ }', 'any'],
    ['{ name = "a" }', 'span(= name "a")'],
    ['{ name = "a" } && { name = "b" }', '(and span(= name "a") span(= name "b"))'],
    ['{ name = "a" } || { name = "b" }', '(or span(= name "a") span(= name "b"))'],
    ['{ name = "a" } >> { name = "b" }', '(and span(= name "a") span(= name "b"))'],
    // negated: the right-hand side only (with no left-hand match every right-hand span is returned)
    ['{ name = "a" } !< { name = "b" }', 'span(= name "b")'],
    ['{ name = "a" } &~ { name = "b" }', '(and span(= name "a") span(= name "b"))'],
    ['{ } !< { name = "b" }', 'span(= name "b")'],
    ['{ name = "a" } || { }', 'any'],
    ['{ name = "a" } | count() > 2 | { kind = server } | by(name) | select(span.x) | coalesce()', '(and span(= name "a") span(= kind server))'],
    ['count() > 2', 'any'],
    ['({ name = "a" } | count() > 1) && ({ name = "b" } || { name = "c" })', '(and span(= name "a") (or span(= name "b") span(= name "c")))'],
    // what SQL cannot express is relaxed away
    ['{ span:childCount > 1 && name = "a" }', 'span(= name "a")'],
    ['{ span:childCount > 1 || name = "a" }', 'any'],
    ['{ !(span:childCount > 1 && name = "a") }', 'any'],
    ['{ !(span:childCount > 1 || name = "a") }', 'span(not (= name "a"))'],
    ['{ span.a = span.b && event:name = "x" && parent.span.y = 1 && link.z = 2 }', 'any'],
    ['{ span.size > 10 * 1024 }', 'span(> span.size 10240)'],
  ])('%s', (q, expected) => {
    expect(show(pipelineRequirement(pipeline(q)))).toBe(expected);
  });

  test('relax keeps compilable conditions as they are', () => {
    const stage = pipeline('{ status = error && !(kind = client) }').stages[0];
    if (stage.type !== 'spanset' || stage.expr.type !== 'filter') throw new Error('shape');
    expect(relax(stage.expr.where, true)).toEqual(stage.expr.where);
  });
});

describe('exact prefilters (every candidate matches: the search reads only `limit` of them)', () => {
  test.each([
    ['{ name = "a" && status = error }', true],
    ['{ name = "a" } || { kind = server }', true],
    ['{ name = "a" } | select(span.x)', true],
    ['{ }', true],
    ['{ name = "a" } && { kind = server }', false],
    ['{ name = "a" } >> { kind = server }', false],
    ['{ name = "a" } | count() > 1', false],
    ['{ span:childCount > 1 }', false],
    ['{ name = "a" } | by(kind)', false],
  ])('%s → %s', (q, exact) => {
    expect(prefilterIsExact(pipeline(q))).toBe(exact);
  });
});

describe('candidate traces from the SQL', () => {
  test.each([
    ['{ name = "check-stock" } && { resource.service.name = "payment-service" }', ['trace-a', 'trace-c']],
    ['{ name = "save-order" } || { resource.service.name = "payment-service" && duration < 60ms }', ['trace-a', 'trace-d']],
    ['{ kind = server } >> { status = error }', ['trace-b', 'trace-c']],
    ['{ } !< { resource.service.name = "payment-service" }', ['trace-a', 'trace-c', 'trace-d']],
    ['{ span:childCount > 1 && name = "GET /order" }', ['trace-a', 'trace-b', 'trace-c']],
    ['{ status = error } | count() > 1 | { kind = client }', ['trace-c']],
    ['({ name = "check-stock" } | count() > 0) && { name = "save-order" }', ['trace-a']],
    ['{ traceDuration > 500ms } && { kind = client }', ['trace-c']],
    ['{ span.delay * 2 > 100 }', 'all'],
  ])('%s', async (q, expected) => {
    expect(await candidates(q)).toEqual(expected);
    // The time floor keeps the SQL valid and (from 0) the same answer.
    expect(await candidates(q, 0n)).toEqual(expected);
  });
});

describe('attribute lookup budget', () => {
  const many = (n: number, join = ' && ') => `{ ${Array.from({ length: n }, (_, i) => `span.k${i} = ${i}`).join(join)} }`;
  const lookups = (q: string) => (prefilterPredicate(pipeline(q))?.sql.match(/FROM span_attrs/g) ?? []).length;

  test('a prefilter holds at most 8 attribute lookups, across filters too; the rest is relaxed away', () => {
    expect(lookups(many(8))).toBe(8);
    expect(lookups(many(100))).toBe(8);
    expect(lookups(`${many(6)} >> ${many(6)}`)).toBe(8);
    // Under an OR nothing may be dropped without dropping the whole OR: relaxing to TRUE keeps it conservative.
    expect(prefilterPredicate(pipeline(many(20, ' || ')))).toBeUndefined();
    // Not exact any more: the evaluator decides.
    expect(prefilterIsExact(pipeline(many(8)))).toBe(true);
    expect(prefilterIsExact(pipeline(many(9)))).toBe(false);
  });

  test('a relaxed prefilter still selects every trace the query can match', async () => {
    const q = `{ resource.service.name = "order-service" && ${Array.from({ length: 12 }, () => 'span.productName = "Book"').join(' && ')} }`;
    const c = await candidates(q);
    expect(c).not.toBe('all');
    expect(c).toContain('trace-a');
  });
});
