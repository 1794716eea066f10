import { describe, expect, test } from 'vitest';
import { compileTraceQL, formatAst, parseTraceQL, TraceQLError, UnsupportedTraceQLError } from '../../src/traceql/index.js';

/** Parses and renders the AST as an S-expression, so expectations show the tree shape. */
const ast = (q: string): string => formatAst(parseTraceQL(q));

function errorOf(q: string): TraceQLError {
  try {
    parseTraceQL(q);
  } catch (e) {
    if (e instanceof TraceQLError) return e;
    throw e;
  }
  throw new Error(`expected ${q} to fail`);
}

describe('spanset filters', () => {
  test.each(['{}', '{ }', '{     }', '{ true }'])('%j matches every span', (q) => {
    expect(ast(q)).toBe('{ true }');
  });

  test('false', () => {
    expect(ast('{ false }')).toBe('{ false }');
  });

  test("Grafana's search builder query", () => {
    expect(ast('{ resource.service.name = "order-service" && name = "GET /order" && status = error && duration > 100ms }')).toBe(
      '{ (and (and (and (= resource.service.name "order-service") (= name "GET /order")) (= status error)) (> duration 100000000ns)) }',
    );
  });

  test('whitespace is optional', () => {
    expect(ast('{resource.service.name="a"&&duration>=1s}')).toBe('{ (and (= resource.service.name "a") (>= duration 1000000000ns)) }');
  });
});

describe('comparison operators', () => {
  test.each([
    ['=', '(= name "x")'],
    ['!=', '(!= name "x")'],
    ['>', '(> name "x")'],
    ['>=', '(>= name "x")'],
    ['<', '(< name "x")'],
    ['<=', '(<= name "x")'],
    ['=~', '(=~ name "x")'],
    ['!~', '(!~ name "x")'],
  ])('name %s "x"', (op, expected) => {
    expect(ast(`{ name ${op} "x" }`)).toBe(`{ ${expected} }`);
    expect(ast(`{name${op}"x"}`)).toBe(`{ ${expected} }`);
  });

  test.each([
    ['=', '(= span.n 5)'],
    ['!=', '(!= span.n 5)'],
    ['>', '(> span.n 5)'],
    ['>=', '(>= span.n 5)'],
    ['<', '(< span.n 5)'],
    ['<=', '(<= span.n 5)'],
  ])('numeric attribute %s', (op, expected) => {
    expect(ast(`{ span.n ${op} 5 }`)).toBe(`{ ${expected} }`);
  });

  test('a literal on the left is mirrored', () => {
    expect(ast('{ 100ms < duration }')).toBe('{ (> duration 100000000ns) }');
    expect(ast('{ 5 >= span.n }')).toBe('{ (<= span.n 5) }');
    expect(ast('{ "x" != name }')).toBe('{ (!= name "x") }');
  });
});

describe('intrinsics', () => {
  test.each([
    ['name = "GET /order"', '(= name "GET /order")'],
    ['status = error', '(= status error)'],
    ['status = ok', '(= status ok)'],
    ['status != unset', '(!= status unset)'],
    ['kind = server', '(= kind server)'],
    ['kind = client', '(= kind client)'],
    ['kind = producer', '(= kind producer)'],
    ['kind = consumer', '(= kind consumer)'],
    ['kind = internal', '(= kind internal)'],
    ['kind != unspecified', '(!= kind unspecified)'],
    ['duration > 100ms', '(> duration 100000000ns)'],
    ['duration > 100', '(> duration 100)'],
    ['statusMessage =~ "Out of stock.*"', '(=~ statusMessage "Out of stock.*")'],
    ['traceDuration > 500ms', '(> traceDuration 500000000ns)'],
    ['rootName = "GET /order"', '(= rootName "GET /order")'],
    ['rootServiceName = "order-service"', '(= rootServiceName "order-service")'],
    ['status =~ "error|unset"', '(=~ status "error|unset")'],
    ['kind !~ "server|client"', '(!~ kind "server|client")'],
  ])('%s', (expr, expected) => {
    expect(ast(`{ ${expr} }`)).toBe(`{ ${expected} }`);
  });

  test.each([
    ['span:name = "a"', '(= name "a")'],
    ['span:status = error', '(= status error)'],
    ['span:kind = server', '(= kind server)'],
    ['span:duration > 1s', '(> duration 1000000000ns)'],
    ['span:statusMessage = "m"', '(= statusMessage "m")'],
    ['trace:duration > 1s', '(> traceDuration 1000000000ns)'],
    ['trace:rootName = "r"', '(= rootName "r")'],
    ['trace:rootService = "svc"', '(= rootServiceName "svc")'],
  ])('scoped form %s', (expr, expected) => {
    expect(ast(`{ ${expr} }`)).toBe(`{ ${expected} }`);
  });

  test('intrinsic names after a dot are attributes', () => {
    expect(ast('{ .name = "a" }')).toBe('{ (= .name "a") }');
    expect(ast('{ span.status = "a" }')).toBe('{ (= span.status "a") }');
    expect(ast('{ resource.duration = 3 }')).toBe('{ (= resource.duration 3) }');
  });
});

describe('durations', () => {
  test.each([
    ['1ns', '1ns'],
    ['1us', '1000ns'],
    ['1µs', '1000ns'],
    ['1ms', '1000000ns'],
    ['1s', '1000000000ns'],
    ['1m', '60000000000ns'],
    ['1h', '3600000000000ns'],
    ['1m30s', '90000000000ns'],
    ['1.5s', '1500000000ns'],
  ])('duration > %s', (lit, ns) => {
    expect(ast(`{ duration > ${lit} }`)).toBe(`{ (> duration ${ns}) }`);
  });
});

describe('literals', () => {
  test.each([
    ['"double"', '"double"'],
    ['`backtick`', '"backtick"'],
    ['"esc \\"q\\" \\\\ \\t"', JSON.stringify('esc "q" \\ \t')],
    ['42', '42'],
    ['-42', '-42'],
    ['3.5', '3.5'],
    ['-0.5', '-0.5'],
    ['true', 'true'],
    ['false', 'false'],
    ['250ms', '250000000ns'],
    ['maxInt', String(2 ** 63 - 1)],
    ['minInt', String(-(2 ** 63))],
  ])('span.x = %s', (lit, shown) => {
    expect(ast(`{ span.x = ${lit} }`)).toBe(`{ (= span.x ${shown}) }`);
  });
});

describe('attributes', () => {
  test.each([
    ['span.http.response.status_code >= 500', '(>= span.http.response.status_code 500)'],
    ['resource.service.name = "a"', '(= resource.service.name "a")'],
    ['.productName = "Book"', '(= .productName "Book")'],
    ['.http-status = 1', '(= .http-status 1)'],
    ['span."a b" = "x"', '(= span."a b" "x")'],
    ['.foo."bar baz".qux = "x"', '(= ."foo.bar baz.qux" "x")'],
    ['resource."deployment.environment" = "prod"', '(= resource.deployment.environment "prod")'],
  ])('%s', (expr, expected) => {
    expect(ast(`{ ${expr} }`)).toBe(`{ ${expected} }`);
  });

  test('a bare attribute tests for boolean true', () => {
    expect(ast('{ span.cache_hit }')).toBe('{ (is-true span.cache_hit) }');
    expect(ast('{ span.cache_hit = false }')).toBe('{ (= span.cache_hit false) }');
  });

  test('nil tests presence; absence is !(x != nil) (Tempo rejects x = nil)', () => {
    expect(ast('{ span.x != nil }')).toBe('{ (exists span.x) }');
    expect(ast('{ !(.x != nil) }')).toBe('{ (not (exists .x)) }');
    expect(ast('{ nil != resource.x }')).toBe('{ (exists resource.x) }');
  });
});

describe('boolean structure and precedence', () => {
  test('&& and || chain left to right', () => {
    expect(ast('{ name = "a" && name = "b" && name = "c" }')).toBe('{ (and (and (= name "a") (= name "b")) (= name "c")) }');
    expect(ast('{ name = "a" || name = "b" || name = "c" }')).toBe('{ (or (or (= name "a") (= name "b")) (= name "c")) }');
  });

  test('&& and || share one precedence level, as in Tempo (expr.y: %left AND OR)', () => {
    expect(ast('{ name = "a" || name = "b" && name = "c" }')).toBe('{ (and (or (= name "a") (= name "b")) (= name "c")) }');
    expect(ast('{ name = "a" && name = "b" || name = "c" }')).toBe('{ (or (and (= name "a") (= name "b")) (= name "c")) }');
  });

  test('parentheses group', () => {
    expect(ast('{ name = "a" || (name = "b" && name = "c") }')).toBe('{ (or (= name "a") (and (= name "b") (= name "c"))) }');
    expect(ast('{ (name = "a") }')).toBe('{ (= name "a") }');
    expect(ast('{ ((name = "a" || kind = server)) && status = error }')).toBe(
      '{ (and (or (= name "a") (= kind server)) (= status error)) }',
    );
  });

  test('comparisons bind tighter than && and ||', () => {
    expect(ast('{ duration > 1s && duration < 2s }')).toBe('{ (and (> duration 1000000000ns) (< duration 2000000000ns)) }');
  });

  test('! negates a parenthesised condition or a boolean attribute', () => {
    expect(ast('{ !(name = "a") }')).toBe('{ (not (= name "a")) }');
    expect(ast('{ !(name = "a" || name = "b") && kind = server }')).toBe('{ (and (not (or (= name "a") (= name "b"))) (= kind server)) }');
    expect(ast('{ !span.cache_hit }')).toBe('{ (not (is-true span.cache_hit)) }');
  });

  test('spansets joined by || are a union', () => {
    expect(ast('{ name = "a" } || { name = "b" }')).toBe('({ (= name "a") } || { (= name "b") })');
    expect(ast('({ name = "a" }) || ({ name = "b" } || { name = "c" })')).toBe(
      '({ (= name "a") } || ({ (= name "b") } || { (= name "c") }))',
    );
  });
});

describe('query hints', () => {
  test('with(...) is accepted and ignored (results are newest first anyway)', () => {
    expect(ast('{ status = error } with (most_recent=true)')).toBe('{ (= status error) }');
    expect(ast('{} with(most_recent=true, sample=0.5, span_sample="x")')).toBe('{ true }');
  });

  test.each([
    ['{} with most_recent=true', 'expected "("', 8],
    ['{} with (most_recent)', 'expected "=" after the hint name', 20],
    ['{} with (most_recent=nil)', 'expected a hint value', 21],
    ['{} with (a=1 b=2)', 'expected "," or ")"', 13],
  ])('%j is an error', (q, message, position) => {
    const err = errorOf(q);
    expect(err.message).toContain(message);
    expect(err.position).toBe(position);
  });
});

describe('errors name the problem and its position', () => {
  test.each([
    ['', 'expected a spanset filter', 0],
    ['name = "a"', 'expected "{" to start a spanset filter', 0],
    ['{ name = "a"', 'expected "}"', 12],
    ['{ name = "a" }}', 'expected end of query', 14],
    ['{ name = }', 'expected a field', 9],
    ['{ name "a" }', 'expected "}" or an operator', 7],
    ['{ (name = "a" }', 'expected ")"', 14],
    ['{ && name = "a" }', 'expected a field', 2],
    ['{ foo = "a" }', 'unknown identifier "foo"', 2],
    ['{ name = 5 }', 'name is a string', 9],
    ['{ status = "error" }', 'status can only be compared with error, ok or unset', 11],
    ['{ status > ok }', 'status supports only =, !=, =~ and !~', 9],
    ['{ kind < server }', 'kind supports only =, !=, =~ and !~', 7],
    ['{ status =~ "(" }', 'invalid regular expression "("', 12],
    ['{ kind = "server" }', 'kind can only be compared with server', 9],
    ['{ duration > "1s" }', 'duration is a duration', 13],
    ['{ traceDuration > true }', 'traceDuration is a duration', 18],
    ['{ span.x = error }', 'error is a status value', 11],
    ['{ span.x = server }', 'server is a span kind', 11],
    ['{ span.x > true }', 'booleans support only = and !=', 9],
    ['{ span.x =~ 5 }', '=~ needs a quoted regular expression', 12],
    ['{ name =~ "(" }', 'invalid regular expression "("', 10],
    ['{ span.x !~ "[a" }', 'invalid regular expression "[a"', 12],
    ['{ "a" =~ name }', 'the regular expression must be on the right', 6],
    ['{ name = nil }', 'name = nil is not valid TraceQL', 7],
    ['{ resource.service.name = nil }', 'resource.service.name = nil is not valid TraceQL', 24],
    ['{ span.x > nil }', 'nil can only be compared with !=', 9],
    ['{ name }', 'name is not a condition', 2],
    ['{ "a" }', '"a" is not a condition', 2],
    ['{ !name = "a" }', '"!" binds tighter than =', 2],
    ['{ !name }', '"!" needs a condition, not name', 2],
    ['{ (name = "a") = true }', 'cannot compare the result of a condition', 15],
    ['{ duration > 5parsecs }', 'invalid duration "5parsecs"', 13],
  ])('%j', (q, message, position) => {
    const err = errorOf(q);
    expect(err).not.toBeInstanceOf(UnsupportedTraceQLError);
    expect(err.message).toContain(message);
    expect(err.message).toContain(`at position ${position}`);
    expect(err.position).toBe(position);
  });
});

describe('compileTraceQL (one SQL predicate) names what it cannot compile; the search endpoints evaluate it', () => {
  test.each([
    ['{ name = "a" } | count() > 2', 'count() > 2'],
    ['{ } | select(span.a)', 'select(span.a)'],
    ['{ } | rate()', 'metrics function rate()'],
    ['{ name = "a" } && { name = "b" }', 'spanset operator &&'],
    ['{ name = "a" } >> { name = "b" }', 'structural operator >>'],
    ['{ name = "a" } !< { name = "b" }', 'structural operator !<'],
    ['{ name = "a" } &~ { name = "b" }', 'structural operator &~'],
    ['{ span:childCount > 2 }', '(> span:childCount 2)'],
    ['{ event:name = "exception" }', '(= event:name "exception")'],
    ['{ parent.http.method = "GET" }', '(= parent.http.method "GET")'],
    ['{ span.a = span.b }', '(= span.a span.b)'],
  ])('%j', (q, construct) => {
    let err: unknown;
    try {
      compileTraceQL(q);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UnsupportedTraceQLError);
    expect((err as Error).message.startsWith('unsupported TraceQL: ')).toBe(true);
    expect((err as Error).message).toContain(construct);
  });
});
