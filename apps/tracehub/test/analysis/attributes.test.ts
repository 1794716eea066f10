// The pure side of "what is different": scoring, ranking, id-like keys, the
// summary sentence, and the request body's validation.
import { describe, expect, it } from 'vitest';
import { isIdLike, percent, rankAttributes, valueScore } from '../../src/analysis/attributes.js';
import { parseAnalyzeBody } from '../../src/api/analyze-routes.js';
import { BadParameterError } from '../../src/api/params.js';
import type { AttributeAnalysisData, AttributeValueCounts } from '../../src/store/types.js';

const totals = (traceCount: number, timeNs: number, totalTraceCount = traceCount) => ({ traceCount, totalTraceCount, spanCount: traceCount * 3, timeNs });

function v(key: string, value: string, c: Partial<AttributeValueCounts> = {}): AttributeValueCounts {
  return { scope: 'span', key, value, selTraces: 0, baseTraces: 0, selTimeNs: 0, baseTimeNs: 0, spans: 10, keyDistinctValues: 2, keySingletonValues: 0, ...c };
}

describe('valueScore', () => {
  it('takes the larger difference of the two measures, traces on a tie', () => {
    expect(valueScore({ value: 'x', selection: { traces: 0.5, time: 0.9 }, baseline: { traces: 0.5, time: 0.1 } })).toEqual({ score: 0.8, by: 'time' });
    expect(valueScore({ value: 'x', selection: { traces: 0, time: 0.2 }, baseline: { traces: 0.7, time: 0.5 } })).toEqual({ score: 0.7, by: 'traces' });
    expect(valueScore({ value: 'x', selection: { traces: 1, time: 1 }, baseline: { traces: 0, time: 0 } }).by).toBe('traces');
  });
});

describe('rankAttributes', () => {
  const data: AttributeAnalysisData = {
    selection: totals(10, 1000),
    baseline: totals(40, 4000),
    values: [
      // region: 80% vs 25% of traces.
      v('region', 'eu', { selTraces: 8, baseTraces: 10, selTimeNs: 500, baseTimeNs: 1000 }),
      v('region', 'us', { selTraces: 2, baseTraces: 30, selTimeNs: 100, baseTimeNs: 3000 }),
      // fault: on every selected trace, on none of the others.
      v('lab.faults', 'payment.latency=500ms', { selTraces: 10, selTimeNs: 900 }),
      // service.name: the same traces, but far more of the time.
      v('service.name', 'payment', { scope: 'resource', selTraces: 10, baseTraces: 40, selTimeNs: 900, baseTimeNs: 800 }),
      v('service.name', 'order', { scope: 'resource', selTraces: 10, baseTraces: 40, selTimeNs: 100, baseTimeNs: 3200 }),
      // An id: many values, nearly all on one span.
      v('order.id', 'o-1', { selTraces: 1, spans: 1, keyDistinctValues: 200, keySingletonValues: 190 }),
    ],
  };

  it('ranks keys by their best value difference and says which measure gave it; on a tie, the value more in the selection first', () => {
    const r = rankAttributes(data);
    expect(r.attributes.map((a) => [a.key, a.scope, a.score, a.by])).toEqual([
      ['lab.faults', 'span', 1, 'traces'],
      ['service.name', 'resource', 0.7, 'time'],
      ['region', 'span', 0.65, 'time'],
    ]);
    const svc = r.attributes[1]!;
    expect(svc.values[0]).toEqual({ value: 'payment', selection: { traces: 1, time: 0.9 }, baseline: { traces: 1, time: 0.2 } });
    expect(svc.values.map((x) => x.value)).toEqual(['payment', 'order']);
  });

  it('between keys of the same score, the one whose value also differs more in the other measure first', () => {
    const tie = rankAttributes({
      selection: totals(4, 1000),
      baseline: totals(4, 1000),
      values: [
        // Both on every selected trace and no other; "a.delay" on spans taking 60% of the time, "z.fault" on all of them.
        v('a.delay', '520', { selTraces: 4, selTimeNs: 600 }),
        v('z.fault', 'on', { selTraces: 4, selTimeNs: 1000 }),
      ],
    });
    expect(tie.attributes.map((a) => [a.key, a.score])).toEqual([
      ['z.fault', 1],
      ['a.delay', 1],
    ]);
  });

  it('leaves id-like keys out and lists them as skipped', () => {
    const r = rankAttributes(data);
    expect(r.attributes.some((a) => a.key === 'order.id')).toBe(false);
    expect(r.skipped).toEqual([{ key: 'order.id', scope: 'span', distinctValues: 200 }]);
    expect(isIdLike(51, 30)).toBe(true);
    expect(isIdLike(50, 50)).toBe(false);
    expect(isIdLike(500, 100)).toBe(false);
  });

  it('keeps the top values of a key only', () => {
    const many = Array.from({ length: 15 }, (_, i) => v('route', `/r${i}`, { selTraces: i, baseTraces: 1, keyDistinctValues: 15 }));
    const r = rankAttributes({ selection: totals(20, 0), baseline: totals(20, 0), values: many }, 10);
    expect(r.attributes[0]!.values).toHaveLength(10);
    expect(r.attributes[0]!.values[0]!.value).toBe('/r14');
  });

  it('summarises the top key = value in one sentence', () => {
    expect(rankAttributes(data).summary).toBe('lab.faults = payment.latency=500ms is on 100% of the selected traces and 0% of the others.');
    const byTime = rankAttributes({ ...data, values: data.values.filter((x) => x.key === 'service.name') });
    expect(byTime.summary).toBe("service.name = payment takes 90% of the selected traces' span time and 20% of the others'.");
  });

  it('says so when nothing matched, nothing differs, or there is nothing to compare with', () => {
    expect(rankAttributes({ selection: totals(0, 0), baseline: totals(5, 10), values: [] })).toEqual({
      attributes: [],
      skipped: [],
      summary: 'No traces in the window match the selection.',
    });
    const same = rankAttributes({ selection: totals(2, 10), baseline: totals(4, 20), values: [v('a', 'b', { selTraces: 2, baseTraces: 4, selTimeNs: 10, baseTimeNs: 20 })] });
    expect(same.summary).toBe('No attribute value sets the 2 selected traces apart from the others.');
    expect(rankAttributes({ selection: totals(3, 10), baseline: totals(0, 0), values: [] }).summary).toBe(
      'All 3 traces in the window match the selection; there are no others to compare them with.',
    );
  });

  it('percent rounds, but never to 0% or 100% for a share that is not', () => {
    expect([percent(0), percent(0.001), percent(0.456), percent(0.999), percent(1)]).toEqual(['0%', '<1%', '46%', '>99%', '100%']);
  });
});

describe('parseAnalyzeBody', () => {
  const now = 10_000_000_000_000n;
  const bad = (body: unknown) => {
    try {
      parseAnalyzeBody(body, now);
    } catch (e) {
      expect(e).toBeInstanceOf(BadParameterError);
      return (e as BadParameterError).message;
    }
    throw new Error('accepted');
  };

  it('defaults to the last hour and 1000 traces per set', () => {
    const q = parseAnalyzeBody({ selection: { status: 'error' } }, now);
    expect(q).toMatchObject({ startNs: now - 3_600_000_000_000n, endNs: now, limit: 1000, selection: { kind: 'status', status: 'error' } });
  });

  it('reads a box in ns and ms', () => {
    const q = parseAnalyzeBody(
      { selection: { box: { startTimeUnixNano: '100', endTimeUnixNano: '200', minDurationMs: 1.5, maxDurationMs: 20 } }, start: '50', end: '300', limit: 10 },
      now,
    );
    expect(q).toMatchObject({ startNs: 50n, endNs: 300n, limit: 10, selection: { kind: 'box', startNs: 100n, endNs: 200n, minDurationNs: 1_500_000n, maxDurationNs: 20_000_000n } });
  });

  it('compiles q with the TraceQL compiler, whose errors pass through', () => {
    expect(parseAnalyzeBody({ selection: { q: '{ duration > 100ms }' } }, now).selection.kind).toBe('predicate');
    expect(() => parseAnalyzeBody({ selection: { q: '{ duration > ' } }, now)).toThrow(/TraceQL|expected/i);
  });

  it('keeps q beyond one SQL predicate as a pipeline for the evaluator; a metrics query is an error', () => {
    const q = parseAnalyzeBody({ selection: { q: '{ status = error } !< { status = error } | count() > 0' } }, now);
    expect(q.selection.kind).toBe('traceql');
    expect(() => parseAnalyzeBody({ selection: { q: '{ } | rate()' } }, now)).toThrow(/metrics endpoint/);
  });

  it('names the field that is wrong', () => {
    expect(bad(null)).toMatch(/^body:/);
    expect(bad({})).toMatch(/^selection:/);
    expect(bad({ selection: {} })).toMatch(/^selection: needs one of/);
    expect(bad({ selection: { q: '{}', status: 'error' } })).toBe('selection: give only one of q, box, status (got q and status)');
    expect(bad({ selection: { status: 'ok' } })).toMatch(/^selection.status:/);
    expect(bad({ selection: { q: 5 } })).toMatch(/^selection.q:/);
    expect(bad({ selection: { box: { startTimeUnixNano: 1, endTimeUnixNano: '2', minDurationMs: 0, maxDurationMs: 1 } } })).toMatch(/^selection.box.startTimeUnixNano:/);
    expect(bad({ selection: { box: { startTimeUnixNano: '1', endTimeUnixNano: '2', minDurationMs: '0', maxDurationMs: 1 } } })).toMatch(/^selection.box.minDurationMs:/);
    expect(bad({ selection: { box: { startTimeUnixNano: '1', endTimeUnixNano: '2', minDurationMs: 5, maxDurationMs: 1 } } })).toMatch(/^selection.box.minDurationMs: must not be more/);
    expect(bad({ selection: { status: 'error' }, limit: 10_001 })).toMatch(/^limit:/);
    expect(bad({ selection: { status: 'error' }, start: 'yesterday' })).toMatch(/^start:/);
    expect(bad({ selection: { status: 'error' }, start: '9', end: '1' })).toMatch(/^start: must not be after end/);
    expect(bad({ selection: { status: 'error' }, colour: 'red' })).toMatch(/^colour: unknown field/);
  });
});
