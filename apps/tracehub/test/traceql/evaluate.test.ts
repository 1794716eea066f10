// The pure evaluator: every TraceQL construct of Tempo's documentation run
// over the traces of trace-fixture.ts, checking which traces, spansets and
// spans match (span ids sorted within a spanset).
import { describe, expect, test } from 'vitest';
import { evaluatePipeline, spanMatches, valueExpr } from '../../src/traceql/evaluate.js';
import { parseTraceQLQuery } from '../../src/traceql/index.js';
import { buildTraceContext } from '../../src/traceql/trace-context.js';
import { fieldValue } from '../../src/traceql/values.js';
import { T1, TRACES } from './trace-fixture.js';

function run(q: string): Record<string, string[][]> {
  const parsed = parseTraceQLQuery(q);
  const out: Record<string, string[][]> = {};
  for (const [id, spans] of Object.entries(TRACES)) {
    const sets = evaluatePipeline(parsed.pipeline, spans);
    if (sets.length > 0) out[id] = sets.map((s) => s.spans.map((x) => x.spanId).sort());
  }
  return out;
}

const t1 = (...ids: string[]) => ({ t1: [ids.sort()] });

describe('spanset filters: operators and types', () => {
  test.each([
    ['{ }', { t1: [['cache', 'db', 'leaf', 'pay', 'ph', 'r1']], t2: [['h2']], t3: [['c3', 'r3']] }],
    ['{ span.http.status_code = 200 }', { t1: [['r1']], t2: [['h2']] }],
    ['{ span.http.status_code != 200 }', { t1: [['pay']], t3: [['r3']] }],
    ['{ span.http.status_code >= 500 }', { t1: [['pay']], t3: [['r3']] }],
    ['{ span.http.status_code > 500 }', { t3: [['r3']] }],
    ['{ span.http.status_code <= 200 }', { t1: [['r1']], t2: [['h2']] }],
    ['{ span.http.status_code < 500 && span.http.status_code >= 200 }', { t1: [['r1']], t2: [['h2']] }],
    ['{ span.http.method =~ "DELETE|GET" }', { t1: [['r1']], t3: [['r3']] }],
    ['{ span.http.method !~ "G.*" }', t1('pay')],
    ['{ span.http.method =~ "ET" }', {}],
    ['{ span.http.method >= "P" }', t1('pay')],
    ['{ span.http.status_code = "200" }', {}],
    ['{ span.cache_hit }', t1('cache')],
    ['{ span.cache_hit = true }', t1('cache')],
    ['{ span.cache_hit != true }', {}],
    ['{ span.timeout = 45 }', t1('pay')],
    ['{ span.timeout > 44.5 }', t1('pay')],
    ['{ span.any_attribute != nil }', {}],
    ['{ span.db.system != nil }', t1('db')],
    ['{ !(span.http.status_code != nil) && resource.service.name = "frontend" }', { t1: [['cache', 'db']], t3: [] }],
  ])('%s', (q, expected) => {
    const got = run(q);
    // `t3: []` in an expectation means "no t3 key"
    expect(got).toEqual(Object.fromEntries(Object.entries(expected).filter(([, v]) => (v as unknown[]).length > 0)));
  });

  test('arrays match when any element matches; != and !~ need every element to (as Tempo)', () => {
    expect(run('{ span.tags = "b" }')).toEqual(t1('pay'));
    expect(run('{ span.tags =~ "a|z" }')).toEqual(t1('pay'));
    expect(run('{ span.tags = "c" }')).toEqual({});
    expect(run('{ span.tags != "a" }')).toEqual({});
    expect(run('{ span.tags != "c" }')).toEqual(t1('pay'));
    expect(run('{ span.tags !~ "a|b" }')).toEqual({});
    expect(run('{ span.tags !~ "z.*" }')).toEqual(t1('pay'));
    expect(run('{ span.tags > "a" }')).toEqual(t1('pay'));
  });

  test('quoted attribute names, string ordering, trace-level regex (examples of the Tempo docs)', () => {
    expect(run('{ span."attribute name with space" = "value" }')).toEqual({ t2: [['h2']] });
    expect(run('{ span.attribute."name with space" = "value" }')).toEqual({});
    expect(run('{ span.code >= "400" }')).toEqual({ t3: [['c3']] });
    expect(run('{ span.code >= "5" }')).toEqual({});
    expect(run('{ resource.deployment.environment = "staging" && trace:rootName !~ ".*perf.*" }')).toEqual({ t3: [['c3', 'r3']] });
    expect(run('{ span.http.method = "DELETE" && status != ok }')).toEqual({});
  });

  test('resource, unscoped and intrinsic fields', () => {
    expect(run('{ resource.deployment.environment = "staging" }')).toEqual({ t3: [['c3', 'r3']] });
    expect(run('{ .deployment.environment = "staging" && .http.method = "GET" }')).toEqual({ t3: [['r3']] });
    expect(run('{ resource.service.name = "frontend" && name = "POST /api/orders" }')).toEqual({});
    expect(run('{ resource.deployment.environment =~ "prod.*" && span.http.status_code = 200 }')).toEqual({ t1: [['r1']], t2: [['h2']] });
  });
});

describe('intrinsics of every scope', () => {
  test.each([
    ['{ name = "SELECT" }', t1('db')],
    ['{ span:name = "SELECT" }', t1('db')],
    ['{ status = error && kind = server }', { t1: [['ph']], t3: [['r3']] }],
    ['{ span:status = ok }', {}],
    ['{ status = unset && kind = internal }', t1('cache')],
    ['{ status =~ "error|ok" && kind = client }', t1('db', 'pay')],
    ['{ span:kind = client }', t1('db', 'pay')],
    ['{ kind != server && kind != client && kind != internal }', {}],
    ['{ duration > 100ms }', { t3: [['c3', 'r3']] }],
    ['{ span:duration <= 1ms }', t1('cache')],
    ['{ statusMessage = "boom" }', { t3: [['r3']] }],
    ['{ span:statusMessage =~ "bo.*" }', { t3: [['r3']] }],
    ['{ span:id = "ph" }', t1('ph')],
    ['{ span:parentID = "ph" }', t1('leaf')],
    ['{ span:childCount = 3 }', t1('r1')],
    ['{ span:childCount = 0 && resource.service.name = "payment" }', t1('leaf')],
    ['{ childCount > 0 }', { t1: [['pay', 'ph', 'r1']], t3: [['r3']] }],
    ['{ nestedSetLeft = 1 }', { t1: [['r1']], t2: [['h2']], t3: [['r3']] }],
    ['{ nestedSetParent = -1 }', { t1: [['r1']], t2: [['h2']], t3: [['r3']] }],
    ['{ nestedSetRight - nestedSetLeft = 1 }', { t1: [['cache', 'db', 'leaf']], t2: [['h2']], t3: [['c3']] }],
    ['{ nestedSetRight = 12 }', t1('r1')],
    ['{ trace:id = "t3" }', { t3: [['c3', 'r3']] }],
    ['{ trace:duration > 200ms }', { t3: [['c3', 'r3']] }],
    ['{ traceDuration < 10ms }', { t2: [['h2']] }],
    ['{ trace:rootName = "GET /health" }', { t2: [['h2']] }],
    ['{ rootName = "GET /api/orders" && name = "charge" }', t1('leaf')],
    ['{ trace:rootService = "frontend" && resource.service.name = "productcatalogservice" }', { t3: [['c3']] }],
    ['{ rootServiceName = "payment" }', {}],
    ['{ event:name = "exception" }', t1('db')],
    ['{ event:timeSinceStart > 2ms }', t1('db')],
    ['{ event:timeSinceStart > 5ms }', {}],
    ['{ event.exception.message =~ ".*something went wrong.*" }', t1('db')],
    ['{ link:traceID = "t9" }', t1('pay')],
    ['{ link:spanID = "l9" }', t1('pay')],
    ['{ link.opentracing.ref_type = "child_of" }', t1('pay')],
    ['{ instrumentation:name = "pg" }', t1('db')],
    ['{ instrumentation:version = "1.0.0" && name = "charge" }', t1('leaf')],
    ['{ instrumentation.language = "java" && name = "charge" }', t1('leaf')],
    // parent.x is an attribute of the parent (there are no parent intrinsics)
    ['{ parent.http.method = "POST" }', t1('ph')],
    ['{ parent.span.bytesProcessed = 600 }', t1('leaf')],
    ['{ parent.resource.service.name = "frontend" && resource.service.name = "payment" }', t1('pay')],
    ['{ parent.span.http.method != nil }', { t1: [['cache', 'db', 'pay', 'ph']], t3: [['c3']] }],
  ])('%s', (q, expected) => {
    expect(run(q)).toEqual(expected);
  });
});

describe('arithmetic and field-to-field comparisons', () => {
  test.each([
    ['{ span.bytesProcessed > 1 * 500 }', t1('ph')],
    ['{ span.bytesProcessed + 100 = 600 }', t1('leaf')],
    ['{ span.bytesProcessed - 100 = 500 }', t1('ph')],
    ['{ span.bytesProcessed / 2 = 250 }', t1('leaf')],
    // int with int stays an int: division truncates
    ['{ span.bytesProcessed / 400 = 1 }', t1('leaf', 'ph')],
    ['{ span.bytesProcessed / 400.0 = 1.25 }', t1('leaf')],
    ['{ span.bytesProcessed % 400 = 200 }', t1('ph')],
    ['{ span.bytesProcessed * 2 >= 1200 }', t1('ph')],
    ['{ 2 ^ 3 = 8 && name = "charge" }', t1('leaf')],
    ['{ -span.timeout = -45 }', t1('pay')],
    ['{ duration > span.timeout * 1000000 }', t1('pay')],
    ['{ span.bytesProcessed > parent.span.bytesProcessed - 200 }', t1('leaf')],
    ['{ duration * 2 > 100ms }', { t1: [['r1']], t3: [['c3', 'r3']] }],
    ['{ span.http.status_code = span.timeout }', {}],
  ])('%s', (q, expected) => {
    expect(run(q)).toEqual(Object.fromEntries(Object.entries(expected).filter(([, v]) => (v as unknown[]).length > 0)));
  });
});

describe('spanset operators', () => {
  test.each([
    // && / ||: the trace must have both / either; the spans of both sides
    ['{ resource.deployment.environment = "production" } && { resource.deployment.environment = "staging" }', {}],
    ['{ name = "SELECT" } && { span.cache_hit = true }', t1('cache', 'db')],
    ['{ span.http.method = "GET" && status = unset } && { span.http.method = "POST" && status != ok }', t1('pay', 'r1')],
    ['{ resource.service.name = "payment" } || { name = "GET /health" }', { t1: [['leaf', 'pay', 'ph']], t2: [['h2']] }],
    ['{ name = "nope" } || { span:childCount = 1 }', { t1: [['pay', 'ph']], t3: [['r3']] }],
    // structural: the right-hand side's spans
    // t3: c3 is below the frontend root but not an error
    ['{ resource.service.name = "frontend" } >> { status = error }', { t1: [['db', 'leaf', 'pay', 'ph']] }],
    ['{ name = "POST /pay" } >> { }', t1('leaf', 'ph')],
    ['{ name = "charge" } << { }', t1('pay', 'ph', 'r1')],
    ['{ name = "GET /api/orders" } > { }', { t1: [['cache', 'db', 'pay']], t3: [['c3']] }],
    ['{ name = "process" } < { }', t1('pay')],
    ['{ name = "SELECT" } ~ { }', t1('cache', 'pay')],
    ['{ resource.service.name = "productcatalogservice" } ~ { resource.service.name = "frontend" }', {}],
    ['{ } > { name = "nope" }', {}],
    // negated: right-hand spans with no such relation
    ['{ } !< { resource.service.name = "payment" }', t1('leaf')],
    ['{ } !< { }', { t1: [['cache', 'db', 'leaf']], t2: [['h2']], t3: [['c3']] }],
    // the last error of each cascade; t3's r3 has no error below it
    ['{ status = error } !< { status = error }', { t1: [['db', 'leaf']], t3: [['r3']] }],
    ['{ } !> { }', { t1: [['r1']], t2: [['h2']], t3: [['r3']] }],
    ['{ name = "POST /pay" } !>> { resource.service.name = "payment" }', t1('pay')],
    // t3 has no charge span: with nothing on the left, a negated operator keeps every right-hand span (as Tempo)
    ['{ name = "charge" } !<< { status = error }', { t1: [['db', 'leaf']], t3: [['r3']] }],
    ['{ name = "SELECT" } !~ { }', { t1: [['db', 'leaf', 'ph', 'r1']], t2: [['h2']], t3: [['c3', 'r3']] }],
    ['{ name = "nope" } !> { }', { t1: [['cache', 'db', 'leaf', 'pay', 'ph', 'r1']], t2: [['h2']], t3: [['c3', 'r3']] }],
    // union: both sides' spans that take part
    ['{ name = "POST /pay" && status = error } &>> { status = error }', t1('leaf', 'pay', 'ph')],
    ['{ name = "charge" } &<< { kind = client }', t1('leaf', 'pay')],
    ['{ name = "GET /api/orders" } &> { kind = client }', t1('db', 'pay', 'r1')],
    ['{ kind = internal } &< { }', t1('cache', 'leaf', 'ph', 'r1')],
    ['{ name = "SELECT" } &~ { name = "cache" }', t1('cache', 'db')],
    // chained and nested
    ['{ name = "GET /api/orders" } > { name = "POST /pay" } > { }', t1('ph')],
    ['({ name = "GET /api/orders" } > { }) && { span.cache_hit }', t1('cache', 'db', 'pay')],
  ])('%s', (q, expected) => {
    expect(run(q)).toEqual(expected);
  });
});

describe('pipelines', () => {
  test.each([
    ['{ status = error } | count() > 2', t1('db', 'leaf', 'pay', 'ph')],
    ['{ status = error } | count() = 1', { t3: [['r3']] }],
    ['count() > 5', t1('cache', 'db', 'leaf', 'pay', 'ph', 'r1')],
    ['{ } | avg(duration) > 200ms', { t3: [['c3', 'r3']] }],
    ['avg(duration) > 20ms', { t1: [['cache', 'db', 'leaf', 'pay', 'ph', 'r1']], t3: [['c3', 'r3']] }],
    ['{ } | sum(span.bytesProcessed) > 1000', t1('cache', 'db', 'leaf', 'pay', 'ph', 'r1')],
    // spans without the value are skipped; a spanset with none is dropped (Tempo)
    ['{ } | sum(span.bytesProcessed) >= 0', t1('cache', 'db', 'leaf', 'pay', 'ph', 'r1')],
    ['{ } | min(span.bytesProcessed) = 500', t1('cache', 'db', 'leaf', 'pay', 'ph', 'r1')],
    ['{ } | max(span.bytesProcessed) = 600', t1('cache', 'db', 'leaf', 'pay', 'ph', 'r1')],
    ['{ } | avg(span.bytesProcessed) = 550', t1('cache', 'db', 'leaf', 'pay', 'ph', 'r1')],
    ['{ } | min(duration) < 2ms', t1('cache', 'db', 'leaf', 'pay', 'ph', 'r1')],
    ['{ } | max(duration) >= 300ms', { t3: [['c3', 'r3']] }],
    ['{ } | count() + 1 = 3', { t3: [['c3', 'r3']] }],
    ['{ status = error } | by(resource.service.name) | count() > 1', t1('leaf', 'pay', 'ph')],
    ['{ .a = 1 } | { }', {}],
    ['{ status = error } | { kind = server }', { t1: [['ph']], t3: [['r3']] }],
    ['{ } | count() > 3 | { status = error } | count() = 4', t1('db', 'leaf', 'pay', 'ph')],
    ['{ } | by(resource.service.name) | coalesce()', { t1: [['cache', 'db', 'leaf', 'pay', 'ph', 'r1']], t2: [['h2']], t3: [['c3', 'r3']] }],
    ['({ status = error } | count() > 2) && { span.cache_hit }', t1('cache', 'db', 'leaf', 'pay', 'ph')],
    ['{ name = "GET /api/orders" } >> { status = error } | count() > 1', t1('db', 'leaf', 'pay', 'ph')],
    ['{ status = error } with (most_recent=true)', { t1: [['db', 'leaf', 'pay', 'ph']], t3: [['r3']] }],
  ])('%s', (q, expected) => {
    expect(run(q)).toEqual(expected);
  });

  test('the roots of a trace are siblings (equal nestedSetParent, as Tempo)', () => {
    const second = { ...T1[0], spanId: 'r1b', name: 'second root' };
    const sets = evaluatePipeline(parseTraceQLQuery('{ name = "GET /api/orders" } ~ { }').pipeline, [...T1, second]);
    expect(sets.map((s) => s.spans.map((x) => x.spanId))).toEqual([['r1b']]);
  });

  test('by() splits into spansets carrying the value; aggregates add theirs', () => {
    const sets = evaluatePipeline(parseTraceQLQuery('{ } | by(resource.service.name) | count() > 1').pipeline, T1);
    expect(sets.map((s) => ({ ids: s.spans.map((x) => x.spanId), attributes: s.attributes }))).toEqual([
      {
        ids: ['r1', 'db', 'cache'],
        attributes: [
          { key: 'by(resource.service.name)', value: { type: 'string', value: 'frontend' } },
          { key: 'count()', value: { type: 'int', value: 3 } },
        ],
      },
      {
        ids: ['pay', 'ph', 'leaf'],
        attributes: [
          { key: 'by(resource.service.name)', value: { type: 'string', value: 'payment' } },
          { key: 'count()', value: { type: 'int', value: 3 } },
        ],
      },
    ]);
  });

  test('avg() reports its value; select() names the fields to return', () => {
    const [set] = evaluatePipeline(parseTraceQLQuery('{ status = error } | avg(duration) > 20ms | select(span.http.url, name)').pipeline, T1);
    // the average of durations is a duration, as in Tempo
    expect(set.attributes).toEqual([{ key: 'avg(duration)', value: { type: 'duration', value: 30_000_000 } }]);
    expect(set.selected).toEqual([
      { type: 'attribute', scope: 'span', name: 'http.url' },
      { type: 'intrinsic', name: 'name' },
    ]);
  });
});

describe('the per-span evaluators the metrics executor uses', () => {
  const ctx = buildTraceContext(T1);
  const leaf = T1.find((s) => s.spanId === 'leaf')!;

  test('fieldValue', () => {
    expect(fieldValue({ type: 'intrinsic', name: 'span:childCount' }, T1[0], ctx)).toEqual({ type: 'int', value: 3 });
    expect(fieldValue({ type: 'intrinsic', name: 'duration' }, leaf, ctx)).toEqual({ type: 'duration', value: 10_000_000 });
    expect(fieldValue({ type: 'attribute', scope: 'resource', name: 'service.name' }, leaf, ctx)).toEqual({ type: 'string', value: 'payment' });
    expect(fieldValue({ type: 'attribute', scope: 'span', name: 'nope' }, leaf, ctx)).toBeNull();
    expect(ctx.relations.get(leaf)).toMatchObject({ nestedSetLeft: 6, nestedSetRight: 7, nestedSetParent: 5, childCount: 0 });
  });

  test('spanMatches and valueExpr', () => {
    const q = parseTraceQLQuery('{ parent.span.bytesProcessed > span.bytesProcessed && status = error }');
    const stage = q.pipeline.stages[0];
    if (stage.type !== 'spanset' || stage.expr.type !== 'filter') throw new Error('shape');
    expect(T1.filter((s) => spanMatches(stage.expr.type === 'filter' ? stage.expr.where : { type: 'const', value: false }, s, ctx)).map((s) => s.spanId)).toEqual(['leaf']);
    expect(valueExpr({ type: 'arith', op: '*', left: { type: 'field', field: { type: 'attribute', scope: 'span', name: 'bytesProcessed' } }, right: { type: 'literal', value: { type: 'int', value: 2 } } }, leaf, ctx)).toEqual([{ type: 'int', value: 1000 }]);
  });
});

describe('structural operators stay linear on large traces', () => {
  // A root with 2000 children, each with one grandchild: 4001 spans. Comparing
  // every pair would be millions of checks per operator; the evaluator walks
  // the tree once per side. (Correctness is checked here; speed lives in bench/.)
  const root = { ...T1[0], spanId: 'big', parentSpanId: '', name: 'root', attributes: [] };
  const kids = Array.from({ length: 2000 }, (_, i) => ({ ...T1[0], spanId: `k${i}`, parentSpanId: 'big', name: 'kid', attributes: [] }));
  const grandkids = kids.map((k, i) => ({ ...T1[0], spanId: `g${i}`, parentSpanId: k.spanId, name: 'grandkid', attributes: [] }));
  const big = [root, ...kids, ...grandkids];
  const count = (q: string) => evaluatePipeline(parseTraceQLQuery(q).pipeline, big).map((s) => s.spans.length);

  test.each([
    ['{ name = "root" } >> { }', [4000]],
    ['{ name = "grandkid" } << { }', [2001]],
    ['{ } << { name = "grandkid" }', []],
    ['{ } ~ { name = "kid" }', [2000]],
    ['{ name = "kid" } > { }', [2000]],
    ['{ } !< { }', [2000]],
    ['{ name = "grandkid" } &<< { name = "kid" }', [4000]],
    ['{ } !~ { }', [2001]],
  ])('%s', (q, expected) => {
    expect(count(q)).toEqual(expected);
  });
});
