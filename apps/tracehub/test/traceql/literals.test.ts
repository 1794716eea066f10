import { describe, expect, test } from 'vitest';
import { tokenize } from '../../src/traceql/lexer.js';
import { parseDuration, unquote } from '../../src/traceql/literals.js';
import { TraceQLError } from '../../src/traceql/errors.js';

describe('parseDuration', () => {
  test.each([
    ['1ns', 1n],
    ['5us', 5_000n],
    ['5µs', 5_000n],
    ['5μs', 5_000n],
    ['100ms', 100_000_000n],
    ['2s', 2_000_000_000n],
    ['3m', 180_000_000_000n],
    ['1h', 3_600_000_000_000n],
    ['1d', 86_400_000_000_000n],
    ['1w', 604_800_000_000_000n],
    ['1y', 31_536_000_000_000_000n],
    ['1m30s', 90_000_000_000n],
    ['2h45m', 9_900_000_000_000n],
    ['1s500ms', 1_500_000_000n],
    ['1.5s', 1_500_000_000n],
    ['1.5m', 90_000_000_000n],
    ['.5ms', 500_000n],
    ['0.25ms', 250_000n],
    ['1.5ns', 1n], // sub-nanosecond fractions truncate, as in Go
  ])('%s = %s ns', (text, ns) => {
    expect(parseDuration(text)).toBe(ns);
  });

  test.each(['', '5', 'ms', '5mb', '5 ms', '1.2.3s', '5sec', '-5s'])('%j is not a duration', (text) => {
    expect(parseDuration(text)).toBeNull();
  });
});

describe('unquote', () => {
  test.each([
    ['"plain"', 'plain'],
    ['"a \\"quoted\\" word"', 'a "quoted" word'],
    ['"back\\\\slash"', 'back\\slash'],
    ['"tab\\tnew\\nline"', 'tab\tnew\nline'],
    ['"\\x41\\u00e9\\U0001F600"', 'Aé😀'],
    ['"\\101"', 'A'],
    ['"regex \\\\d+"', 'regex \\d+'],
    ['`raw \\n "string"`', 'raw \\n "string"'],
    ['"한국어"', '한국어'],
  ])('%s', (text, value) => {
    const r = unquote(text, 0);
    expect(r).toEqual({ value, end: text.length });
  });

  test.each([
    ['"open', 'unterminated string', 5],
    ['`open', 'unterminated string', 5],
    ['"bad \\q escape"', 'unknown escape \\q', 5],
    ['"bad \\xZZ"', 'invalid \\x escape', 5],
    ['"multi\nline"', 'newline in string', 6],
  ])('%j fails', (text, error, at) => {
    const r = unquote(text, 0);
    expect(r).toMatchObject({ at });
    expect((r as { error: string }).error).toContain(error);
  });
});

describe('tokenize', () => {
  const kinds = (q: string) => tokenize(q).map((t) => `${t.kind}:${t.text}`);

  test('operators without spaces, longest match first', () => {
    expect(kinds('{.a>=1&&.b!~"x"||!(.c=~"y")}')).toEqual([
      'punct:{', 'attribute:.a', 'op:>=', 'int:1', 'op:&&', 'attribute:.b', 'op:!~', 'string:"x"',
      'op:||', 'op:!', 'punct:(', 'attribute:.c', 'op:=~', 'string:"y"', 'punct:)', 'punct:}', 'eof:',
    ]);
    expect(kinds('} !>> { } &<< {')).toEqual(['punct:}', 'op:!>>', 'punct:{', 'punct:}', 'op:&<<', 'punct:{', 'eof:']);
  });

  test('attribute names run to the next terminator, dots and dashes included', () => {
    const t = tokenize('span.http.response.status_code>=500 resource.service.name .http-status .a+b');
    expect(t.filter((x) => x.kind === 'attribute').map((x) => x.kind === 'attribute' && [x.scope, x.name])).toEqual([
      ['span', 'http.response.status_code'],
      ['resource', 'service.name'],
      ['none', 'http-status'],
      ['none', 'a+b'],
    ]);
  });

  test('quoted attribute segments', () => {
    const t = tokenize('span."a b" .foo."bar \\" baz".qux resource."service.name"');
    expect(t.filter((x) => x.kind === 'attribute').map((x) => x.kind === 'attribute' && x.name)).toEqual([
      'a b',
      'foo.bar " baz.qux',
      'service.name',
    ]);
  });

  test('numbers, floats and durations', () => {
    const t = tokenize('42 3.14 .5 1e3 100ms 1m30s 1.5h');
    expect(t.slice(0, -1).map((x) => [x.kind, x.kind === 'duration' ? x.ns : 'value' in x ? x.value : null])).toEqual([
      ['int', 42],
      ['float', 3.14],
      ['float', 0.5],
      ['float', 1000],
      ['duration', 100_000_000n],
      ['duration', 90_000_000_000n],
      ['duration', 5_400_000_000_000n],
    ]);
  });

  test('scoped intrinsics are single words', () => {
    expect(kinds('span:name trace:rootService')).toEqual(['word:span:name', 'word:trace:rootService', 'eof:']);
  });

  test.each([
    ['{ name = "x', 'unterminated string', 11],
    ['{ duration > 5mb }', 'invalid duration "5mb"', 13],
    ['{ . = 1 }', 'expected an attribute name after "."', 3],
    ['{ span. = 1 }', 'expected an attribute name after "span."', 7],
    ['{ name = \'x\' }', 'unexpected character "\'"', 9],
    ['{ name = "x" } #', 'unexpected character "#"', 15],
  ])('%j fails at its position', (q, message, position) => {
    let err: unknown;
    try {
      tokenize(q);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(TraceQLError);
    expect((err as TraceQLError).message).toContain(message);
    expect((err as TraceQLError).message).toContain(`at position ${position}`);
    expect((err as TraceQLError).position).toBe(position);
  });
});
