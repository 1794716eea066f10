// parseTraceQLQuery: every construct of Tempo's TraceQL documentation parses
// to the expected tree (rendered with formatPipeline), and invalid queries
// fail with a TraceQLError naming the problem and its position.
import { describe, expect, test } from 'vitest';
import { formatPipeline, parseTraceQLQuery, TraceQLError, type MetricsStage } from '../../src/traceql/index.js';

const search = (q: string): string => {
  const r = parseTraceQLQuery(q);
  if (r.kind !== 'search') throw new Error(`expected a search query: ${q}`);
  return formatPipeline(r.pipeline);
};

const metrics = (q: string): { pipeline: string; metrics: MetricsStage } => {
  const r = parseTraceQLQuery(q);
  if (r.kind !== 'metrics') throw new Error(`expected a metrics query: ${q}`);
  return { pipeline: formatPipeline(r.pipeline), metrics: r.metrics };
};

function errorOf(q: string): TraceQLError {
  try {
    parseTraceQLQuery(q);
  } catch (e) {
    if (e instanceof TraceQLError) return e;
    throw e;
  }
  throw new Error(`expected ${q} to fail`);
}

describe('spanset operators', () => {
  test.each([
    ['{ span.a = 1 } && { span.b = 2 }', '({ (= span.a 1) } && { (= span.b 2) })'],
    ['{ span.a = 1 } || { span.b = 2 }', '({ (= span.a 1) } || { (= span.b 2) })'],
    ['{ resource.service.name="frontend" } >> { status = error }', '({ (= resource.service.name "frontend") } >> { (= status error) })'],
    ['{ } !< { resource.service.name = "productcatalogservice" }', '({ true } !< { (= resource.service.name "productcatalogservice") })'],
    ['{ .a = 1 } ~ { .b = 1 }', '({ (= .a 1) } ~ { (= .b 1) })'],
    ['{ .a = 1 } > { .b = 1 }', '({ (= .a 1) } > { (= .b 1) })'],
    ['{ .a = 1 } < { .b = 1 }', '({ (= .a 1) } < { (= .b 1) })'],
    ['{ .a = 1 } << { .b = 1 }', '({ (= .a 1) } << { (= .b 1) })'],
    ['{ .a = 1 } !> { .b = 1 }', '({ (= .a 1) } !> { (= .b 1) })'],
    ['{ .a = 1 } !>> { .b = 1 }', '({ (= .a 1) } !>> { (= .b 1) })'],
    ['{ .a = 1 } !<< { .b = 1 }', '({ (= .a 1) } !<< { (= .b 1) })'],
    ['{ .a = 1 } !~ { .b = 1 }', '({ (= .a 1) } !~ { (= .b 1) })'],
    ['{ .a = 1 } &> { .b = 1 }', '({ (= .a 1) } &> { (= .b 1) })'],
    ['{ .a = 1 } &< { .b = 1 }', '({ (= .a 1) } &< { (= .b 1) })'],
    ['{ .a = 1 } &>> { .b = 1 }', '({ (= .a 1) } &>> { (= .b 1) })'],
    ['{ .a = 1 } &<< { .b = 1 }', '({ (= .a 1) } &<< { (= .b 1) })'],
    ['{ .a = 1 } &~ { .b = 1 }', '({ (= .a 1) } &~ { (= .b 1) })'],
  ])('%s', (q, expected) => {
    expect(search(q)).toBe(expected);
  });

  test('structural operators bind tighter than && and ||, all left-associative', () => {
    expect(search('{ .a = 1 } && { .b = 1 } >> { .c = 1 }')).toBe('({ (= .a 1) } && ({ (= .b 1) } >> { (= .c 1) }))');
    expect(search('{ .a = 1 } > { .b = 1 } > { .c = 1 }')).toBe('(({ (= .a 1) } > { (= .b 1) }) > { (= .c 1) })');
    expect(search('{ .a = 1 } || { .b = 1 } && { .c = 1 }')).toBe('(({ (= .a 1) } || { (= .b 1) }) && { (= .c 1) })');
    expect(search('({ .a = 1 } || { .b = 1 }) >> { .c = 1 }')).toBe('(({ (= .a 1) } || { (= .b 1) }) >> { (= .c 1) })');
  });
});

describe('pipelines', () => {
  test.each([
    ['{ span.http.status_code >= 200 && span.http.status_code < 300 } | count() > 2',
      '{ (and (>= span.http.status_code 200) (< span.http.status_code 300)) } | count() > 2'],
    ['count() > 10', 'count() > 10'],
    ['avg(duration) > 20ms', 'avg(duration) > 20000000ns'],
    ['{ span.http.status_code = 200 } | count() > 3', '{ (= span.http.status_code 200) } | count() > 3'],
    ['{ } | sum(span.bytesProcessed) > 1000000000', '{ true } | sum(span.bytesProcessed) > 1000000000'],
    ['{ } | min(duration) < 1ms', '{ true } | min(duration) < 1000000ns'],
    ['{ } | max(span.a * 2) >= 3', '{ true } | max((span.a * 2)) >= 3'],
    ['{ status = error } | by(resource.service.name) | count() > 1', '{ (= status error) } | by(resource.service.name) | count() > 1'],
    ['{ } | by(span.a) | coalesce()', '{ true } | by(span.a) | coalesce()'],
    ['{ status = error } | select(span.http.status_code, span.http.url)', '{ (= status error) } | select(span.http.status_code, span.http.url)'],
    ['{ span.http.status_code = 200 } | select(resource.service.name)', '{ (= span.http.status_code 200) } | select(resource.service.name)'],
    ['{ .a = 1 } | { .b = 2 }', '{ (= .a 1) } | { (= .b 2) }'],
    ['{ } | count() > 1 | { .b = 2 } | avg(duration) > 1s', '{ true } | count() > 1 | { (= .b 2) } | avg(duration) > 1000000000ns'],
    ['({ .a = 1 } | count() > 1) && { .b = 2 }', '(({ (= .a 1) } | count() > 1) && { (= .b 2) })'],
    ['{ } | count() + 1 > 2 * 2', '{ true } | (count() + 1) > (2 * 2)'],
    ['{ } | 2 < count()', '{ true } | 2 < count()'],
    ['by(resource.service.name) | count() > 1', 'by(resource.service.name) | count() > 1'],
  ])('%s', (q, expected) => {
    expect(search(q)).toBe(expected);
  });

  test('with(...) hints are accepted and kept', () => {
    const q = parseTraceQLQuery('{ span.foo = "bar" } >> { status = error } with (most_recent=true, sample=0.5)');
    expect(q.kind).toBe('search');
    expect(q.hints).toEqual({ most_recent: true, sample: 0.5 });
  });
});

describe('field expressions', () => {
  test.each([
    ['{ span.http.request_content_length > 10 * 1024 * 1024 }', '{ (> span.http.request_content_length 10485760) }'],
    ['{ span.a + span.b > 3 }', '{ (> (span.a + span.b) 3) }'],
    ['{ duration * 2 > 1s }', '{ (> (duration * 2) 1000000000ns) }'],
    ['{ span.a - 1 = 2 }', '{ (= (span.a - 1) 2) }'],
    ['{ span.a / 2 = 2 }', '{ (= (span.a / 2) 2) }'],
    ['{ span.a % 2 = 1 }', '{ (= (span.a % 2) 1) }'],
    ['{ span.a ^ 2 ^ 3 = 1 }', '{ (= (span.a ^ (2 ^ 3)) 1) }'],
    ['{ span.a + 2 * 3 = 1 }', '{ (= (span.a + (2 * 3)) 1) }'],
    ['{ -span.a = 1 }', '{ (= -span.a 1) }'],
    ['{ span.a = span.b }', '{ (= span.a span.b) }'],
    ['{ duration > span.timeout }', '{ (> duration span.timeout) }'],
    ['{ 1 = 1 }', '{ (= 1 1) }'],
    ['{ name != nil }', '{ (!= name nil) }'],
    ['{ span.http.request.header.Accept =~ "application.*" }', '{ (=~ span.http.request.header.Accept "application.*") }'],
  ])('%s', (q, expected) => {
    expect(search(q)).toBe(expected);
  });
});

describe('intrinsics and scopes', () => {
  test.each([
    ['{ span:id = "0000000000000001" }', '{ (= span:id "0000000000000001") }'],
    ['{ span:parentID = "0000000000000001" }', '{ (= span:parentID "0000000000000001") }'],
    ['{ span:childCount > 2 }', '{ (> span:childCount 2) }'],
    ['{ childCount = 0 }', '{ (= span:childCount 0) }'],
    ['{ nestedSetLeft = 1 }', '{ (= nestedSetLeft 1) }'],
    ['{ nestedSetRight > 1 }', '{ (> nestedSetRight 1) }'],
    ['{ nestedSetParent = -1 }', '{ (= nestedSetParent -1) }'],
    ['{ trace:id = "1234" }', '{ (= trace:id "1234") }'],
    ['{ trace:duration > 100ms }', '{ (> traceDuration 100000000ns) }'],
    ['{ trace:rootName = "HTTP GET" }', '{ (= rootName "HTTP GET") }'],
    ['{ trace:rootService = "gateway" }', '{ (= rootServiceName "gateway") }'],
    ['{ event:name = "exception" }', '{ (= event:name "exception") }'],
    ['{ event:timeSinceStart > 2ms }', '{ (> event:timeSinceStart 2000000ns) }'],
    ['{ link:traceID = "1234567890abcde" }', '{ (= link:traceID "1234567890abcde") }'],
    ['{ link:spanID = "0000000000000001" }', '{ (= link:spanID "0000000000000001") }'],
    ['{ instrumentation:name = "grpc" }', '{ (= instrumentation:name "grpc") }'],
    ['{ instrumentation:version = "1.0.0" }', '{ (= instrumentation:version "1.0.0") }'],
    ['{ span:statusMessage = "Forbidden" }', '{ (= statusMessage "Forbidden") }'],
    ['{ traceDuration > 1s && rootName = "a" && rootServiceName = "b" }', '{ (and (and (> traceDuration 1000000000ns) (= rootName "a")) (= rootServiceName "b")) }'],
    ['{ event.exception.message =~ ".*something went wrong.*" }', '{ (=~ event.exception.message ".*something went wrong.*") }'],
    ['{ link.opentracing.ref_type = "child_of" }', '{ (= link.opentracing.ref_type "child_of") }'],
    ['{ instrumentation.language = "java" }', '{ (= instrumentation.language "java") }'],
    ['{ parent.http.method = "GET" }', '{ (= parent.http.method "GET") }'],
    ['{ parent.span.http.method = "GET" }', '{ (= parent.span.http.method "GET") }'],
    ['{ parent.resource.service.name = "a" }', '{ (= parent.resource.service.name "a") }'],
    ['{ span."attribute name with space" = "value" }', '{ (= span."attribute name with space" "value") }'],
  ])('%s', (q, expected) => {
    expect(search(q)).toBe(expected);
  });
});

describe('metrics stage', () => {
  test('rate() by (...) | topk(n)', () => {
    expect(metrics('{ resource.service.name = "foo" } | rate() by (instrumentation:name)')).toEqual({
      pipeline: '{ (= resource.service.name "foo") }',
      metrics: { fn: 'rate', by: [{ type: 'intrinsic', name: 'instrumentation:name' }] },
    });
    expect(metrics('{ } | rate() by (resource.service.name, span.http.route) | topk(5)').metrics).toEqual({
      fn: 'rate',
      by: [
        { type: 'attribute', scope: 'resource', name: 'service.name' },
        { type: 'attribute', scope: 'span', name: 'http.route' },
      ],
      topk: { fn: 'topk', n: 5 },
    });
  });

  test.each([
    ['{ } | count_over_time()', { fn: 'count_over_time', by: [] }],
    ['{ } | sum_over_time(span.size)', { fn: 'sum_over_time', field: { type: 'attribute', scope: 'span', name: 'size' }, by: [] }],
    ['{ } | min_over_time(duration)', { fn: 'min_over_time', field: { type: 'intrinsic', name: 'duration' }, by: [] }],
    ['{ } | max_over_time(duration) by (name)', { fn: 'max_over_time', field: { type: 'intrinsic', name: 'duration' }, by: [{ type: 'intrinsic', name: 'name' }] }],
    ['{ } | avg_over_time(span.x)', { fn: 'avg_over_time', field: { type: 'attribute', scope: 'span', name: 'x' }, by: [] }],
    ['{ } | quantile_over_time(duration, .99, .9, .5)', { fn: 'quantile_over_time', field: { type: 'intrinsic', name: 'duration' }, quantiles: [0.99, 0.9, 0.5], by: [] }],
    ['{ } | histogram_over_time(duration)', { fn: 'histogram_over_time', field: { type: 'intrinsic', name: 'duration' }, by: [] }],
    ['{ } | rate() > 10', { fn: 'rate', by: [], filter: { op: '>', value: 10 } }],
    ['{ } | rate() by (name) | bottomk(3) <= 0.5', { fn: 'rate', by: [{ type: 'intrinsic', name: 'name' }], topk: { fn: 'bottomk', n: 3 }, filter: { op: '<=', value: 0.5 } }],
    ['{ } | compare({ status = error })', { fn: 'compare', by: [], compare: { selection: { type: 'compare', field: { type: 'intrinsic', name: 'status' }, op: '=', value: { type: 'status', value: 'error' } }, topN: 10 } }],
    ['{ } | compare({ status = error }, 5, 1700000000000000000, 1700000100000000000)', {
      fn: 'compare', by: [],
      compare: { selection: { type: 'compare', field: { type: 'intrinsic', name: 'status' }, op: '=', value: { type: 'status', value: 'error' } }, topN: 5, startNs: 1700000000000000000n, endNs: 1700000100000000000n },
    }],
  ])('%s', (q, expected) => {
    expect(metrics(q).metrics).toEqual(expected);
  });

  test('a pipeline before the metrics stage, and hints after it', () => {
    const q = parseTraceQLQuery('{ status = error } | by(name) | count() > 1 | rate() with (sample=true)');
    expect(q.kind).toBe('metrics');
    expect(q.hints).toEqual({ sample: true });
    expect(q.kind === 'metrics' && formatPipeline(q.pipeline)).toBe('{ (= status error) } | by(name) | count() > 1');
  });
});

describe('invalid queries name the problem and its position', () => {
  test.each([
    ['{ .a = 1 } |', 'expected a pipeline stage after "|"', 11],
    ['{ .a = 1 } | foo()', 'expected "{" to start a spanset filter', 13],
    ['{ } | count()', 'expected a comparison', 13],
    ['{ } | count(duration) > 1', '")": count() takes no argument', 12],
    ['{ } | avg() > 1', 'a field to aggregate', 10],
    ['{ } | avg(name) > 1', 'avg() needs a number field', 10],
    ['{ } | by(1)', 'by() needs a field of the span', 6],
    ['{ } | by(name, kind)', 'by() in a search pipeline takes one field', 13],
    ['{ } | select(1)', 'select() takes fields', 13],
    ['{ } | select()', 'expected a field', 13],
    ['{ } | 1 > 2', 'a scalar filter needs an aggregate', 6],
    ['{ .a = 1 } >> ', 'expected "{" to start a spanset filter', 14],
    ['{ .a | .b }', '"|" cannot be used inside { }', 5],
    ['{ count() > 1 }', 'count() cannot be used inside { }', 2],
    ['rate()', 'metrics function rate() must follow a spanset filter', 0],
    ['{ } | rate(duration)', '")": rate() takes no argument', 11],
    ['{ } | quantile_over_time(duration)', 'at least one quantile', 33],
    ['{ } | quantile_over_time(duration, 2)', 'a quantile between 0 and 1', 35],
    ['{ } | sum_over_time()', 'a field to measure', 20],
    ['{ } | rate() by ()', 'expected a field', 17],
    ['{ } | rate() | topk()', 'a positive integer', 20],
    ['{ } | rate() | count() > 1', 'topk(n) or bottomk(n)', 15],
    ['{ } | compare(status = error)', 'a spanset filter: compare', 14],
    ['{ } | compare({ status = error }, 1, 2)', 'both a start and an end', 6],
    ['({ } | rate())', 'metrics function cannot be used inside parentheses', 7],
    ['{ } | rate() | topk(5) | rate()', 'expected end of query', 23],
    ['{ span.a + "x" > 1 }', 'arithmetic operator + needs numbers', 9],
    ['{ name = span.a + 1 }', 'cannot compare name (a string) with an expression (a number)', 7],
    ['{ span.a = span.b =~ "x" }', 'cannot compare the result of a condition', 18],
    ['{ span.a =~ span.b }', '=~ needs a quoted regular expression on its right', 9],
    ['{ span.a + 1 }', 'arithmetic is not a condition', 9],
    ['{ span:foo = "x" }', 'unknown intrinsic "span:foo"', 2],
    ['{ span:childCount = "x" }', 'span:childCount is a number', 20],
    ['{ event:timeSinceStart > "x" }', 'event:timeSinceStart is a duration', 25],
    ['topk(5)', 'topk() must follow a metrics function', 0],
  ])('%j', (q, message, position) => {
    const err = errorOf(q);
    expect(err.message).toContain(message);
    expect(err.message).toContain(`at position ${position}`);
    expect(err.position).toBe(position);
  });
});
