// Generated TraceQL (the grammar's constructs, then mangled) against the
// parser: every answer is a parsed query or a TraceQLError with a position,
// never another exception. The million-query run is bench/fuzz-query.mjs.
import { describe, expect, it } from 'vitest';
import { TraceQLError, parseTraceQLQuery } from '../../src/traceql/index.js';
// @ts-expect-error -- plain JS shared with bench/fuzz-query.mjs
import { fuzzTraceQL, rng } from '../fuzz/gen.mjs';

describe('TraceQL parser fuzzing', () => {
  it('answers 20,000 generated queries with a query or a positioned TraceQLError', () => {
    const r = rng(20261204);
    let accepted = 0;
    const crashes: string[] = [];
    for (let i = 0; i < 20_000; i++) {
      const q: string = fuzzTraceQL(r);
      try {
        parseTraceQLQuery(q);
        accepted++;
      } catch (err) {
        if (!(err instanceof TraceQLError) || !/position \d+/.test(err.message) || !Number.isInteger(err.position)) {
          crashes.push(`${String(err).slice(0, 120)} ← ${q.slice(0, 120)}`);
        }
      }
    }
    expect(crashes).toEqual([]);
    // The generator is not all noise: a share of its queries is valid TraceQL.
    expect(accepted).toBeGreaterThan(1000);
  });
});
