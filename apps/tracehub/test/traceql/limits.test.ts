import { describe, expect, it } from 'vitest';
import { TraceQLError } from '../../src/traceql/errors.js';
import { MAX_COMPARISONS, MAX_NESTING, MAX_QUERY_LENGTH, checkQueryLimits } from '../../src/traceql/limits.js';

const rejects = (q: string, re: RegExp) => {
  const err = (() => {
    try {
      checkQueryLimits(q);
      return null;
    } catch (e) {
      return e;
    }
  })();
  expect(err, q.slice(0, 60)).toBeInstanceOf(TraceQLError);
  expect((err as Error).message).toMatch(re);
};

describe('checkQueryLimits', () => {
  it('accepts what real queries look like', () => {
    for (const q of [
      '{ resource.service.name = "order-service" && status = error && duration > 100ms }',
      '({ a = 1 } >> { b != 2 }) && !({ c =~ "x" } !< { d !~ "y" }) | count() > 2 | select(span.x)',
      '{ span.a = "((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((" }',
      '{ span.b = `!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!` }',
      `{ ${Array.from({ length: MAX_COMPARISONS }, (_, i) => `span.a${i} = ${i}`).join(' && ')} }`,
      `${'('.repeat(MAX_NESTING - 1)}{}${')'.repeat(MAX_NESTING - 1)}`,
      '{ !(!(!(status = error))) }',
    ]) {
      expect(() => checkQueryLimits(q), q.slice(0, 60)).not.toThrow();
    }
  });

  it('refuses deep nesting, long runs of unary operators, too many comparisons and very long queries', () => {
    rejects(`${'('.repeat(5000)}{}${')'.repeat(5000)}`, /nests deeper than 64 levels .* at position 64$/);
    rejects(`{ ${'!'.repeat(1000)}(status = error) }`, /nests deeper/);
    rejects(`{ ${'-'.repeat(3)}${'!'.repeat(80)}x }`, /nests deeper/);
    rejects(`{ ${Array.from({ length: MAX_COMPARISONS + 1 }, () => 'span.a = 1').join(' && ')} }`, /more than 128 comparisons/);
    rejects(`{ span.a = "${'x'.repeat(MAX_QUERY_LENGTH)}" }`, /characters long; at most 16384/);
  });
});
