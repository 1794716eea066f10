import { describe, expect, it } from 'vitest';
import {
  type CompareSpan,
  aggregateBaseline,
  compareTraces,
  compareWithBaseline,
  diffRows,
  median,
  pathAggregates,
  selfTimesNs,
  summarize,
  traceInfo,
} from '../../src/analysis/compare.js';

const MS = 1_000_000n;

/** A span from ms offsets: [service, name, startMs, endMs]. */
function span(id: string, parent: string, service: string, name: string, startMs: number, endMs: number, error = false): CompareSpan {
  return { spanId: id, parentSpanId: parent, service, name, startNs: BigInt(startMs) * MS, endNs: BigInt(endMs) * MS, statusCode: error ? 2 : 0 };
}

/** order-service GET /order → check-stock, call-payment-api → payment-service POST /pay. */
function order(payMs: number, opts: { stockError?: boolean; offsetMs?: number; queries?: number } = {}): CompareSpan[] {
  const o = opts.offsetMs ?? 0;
  const spans = [span('r', '', 'order-service', 'GET /order', o, o + 20 + payMs + 5, opts.stockError)];
  spans.push(span('cs', 'r', 'order-service', 'check-stock', o + 1, o + 11, opts.stockError));
  for (let i = 0; i < (opts.queries ?? 1); i++) spans.push(span(`q${i}`, 'cs', 'order-service', 'SELECT', o + 2 + i, o + 3 + i));
  if (!opts.stockError) {
    spans.push(span('cp', 'r', 'order-service', 'call-payment-api', o + 12, o + 14 + payMs));
    spans.push(span('pay', 'cp', 'payment-service', 'POST /pay', o + 13, o + 13 + payMs));
  }
  return spans;
}

describe('self time', () => {
  it('subtracts the union of children, clipped to the span, counting overlaps once', () => {
    const spans = [
      span('p', '', 's', 'parent', 0, 100),
      span('c1', 'p', 's', 'child', 10, 40),
      span('c2', 'p', 's', 'child', 30, 60), // overlaps c1: union 10..60
      span('c3', 'p', 's', 'late', 90, 130), // clipped to 90..100
      span('g', 'c1', 's', 'grandchild', 15, 20), // not the parent's child
    ];
    const self = selfTimesNs(spans);
    expect(self.get('p')).toBe(Number(100n * MS - 60n * MS));
    expect(self.get('c1')).toBe(Number(25n * MS));
    expect(self.get('c2')).toBe(Number(30n * MS));
    expect(self.get('c3')).toBe(Number(40n * MS));
  });

  it('a child entirely inside another child adds nothing', () => {
    const self = selfTimesNs([span('p', '', 's', 'p', 0, 10), span('a', 'p', 's', 'a', 1, 9), span('b', 'p', 's', 'b', 2, 3)]);
    expect(self.get('p')).toBe(Number(2n * MS));
  });
});

describe('span paths', () => {
  it('names the ancestry of (service, name) from the root', () => {
    const paths = [...pathAggregates(order(100)).values()].map((p) => [p.path, p.depth]);
    expect(paths).toEqual([
      ['order-service: GET /order', 0],
      ['order-service: GET /order > order-service: check-stock', 1],
      ['order-service: GET /order > order-service: check-stock > order-service: SELECT', 2],
      ['order-service: GET /order > order-service: call-payment-api', 1],
      ['order-service: GET /order > order-service: call-payment-api > payment-service: POST /pay', 2],
    ]);
  });

  it('folds repeated siblings into one row with a count and summed times', () => {
    const agg = pathAggregates(order(100, { queries: 3 }));
    const q = agg.get('order-service: GET /order > order-service: check-stock > order-service: SELECT')!;
    expect(q.count).toBe(3);
    expect(q.durationNs).toBe(Number(3n * MS));
    expect(q.selfNs).toBe(Number(3n * MS));
    expect(q.spanIds).toEqual(['q0', 'q1', 'q2']);
  });

  it('keeps at most 5 span ids, earliest first', () => {
    const spans = [span('r', '', 's', 'root', 0, 100)];
    for (let i = 9; i >= 0; i--) spans.push(span(`c${i}`, 'r', 's', 'loop', i * 5, i * 5 + 2));
    const loop = pathAggregates(spans).get('s: root > s: loop')!;
    expect(loop.count).toBe(10);
    expect(loop.spanIds).toEqual(['c0', 'c1', 'c2', 'c3', 'c4']);
  });

  it('an orphan (parent missing) starts a path of its own', () => {
    const agg = pathAggregates([span('r', '', 'a', 'root', 0, 10), span('o', 'gone', 'b', 'orphan', 2, 5), span('k', 'o', 'b', 'kid', 3, 4)]);
    expect([...agg.keys()]).toEqual(['a: root', 'b: orphan', 'b: orphan > b: kid']);
    expect(agg.get('b: orphan')!.depth).toBe(0);
  });

  it('survives a parent cycle', () => {
    const agg = pathAggregates([span('x', 'y', 's', 'x', 0, 10), span('y', 'x', 's', 'y', 1, 5)]);
    expect(agg.size).toBe(2);
  });

  it('counts errors per path', () => {
    const agg = pathAggregates(order(0, { stockError: true }));
    expect(agg.get('order-service: GET /order > order-service: check-stock')!.errorCount).toBe(1);
    expect(agg.get('order-service: GET /order > order-service: check-stock > order-service: SELECT')!.errorCount).toBe(0);
  });
});

describe('baseline', () => {
  it('median of odd and even lists', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBe(0);
  });

  it('takes medians over the traces that have the path, and the share of traces that do', () => {
    const traces = [order(100), order(120), order(300), order(0, { stockError: true })].map(pathAggregates);
    const base = aggregateBaseline(traces);
    const pay = base.get('order-service: GET /order > order-service: call-payment-api > payment-service: POST /pay')!;
    expect(pay.presence).toBe(0.75);
    expect(pay.traceCount).toBe(3);
    expect(pay.durationNs).toBe(Number(120n * MS));
    expect(pay.selfNs).toBe(Number(120n * MS));
    expect(pay.count).toBe(1);
    const stock = base.get('order-service: GET /order > order-service: check-stock')!;
    expect(stock.presence).toBe(1);
    expect(stock.errorCount).toBe(0); // median of 0,0,0,1
  });

  it('counts are medians per trace', () => {
    const base = aggregateBaseline([order(10, { queries: 1 }), order(10, { queries: 3 }), order(10, { queries: 4 })].map(pathAggregates));
    expect(base.get('order-service: GET /order > order-service: check-stock > order-service: SELECT')!.count).toBe(3);
  });
});

describe('diff and ranking', () => {
  it('diff is a − b; the slow path ranks first', () => {
    const { rows, summary } = compareTraces(order(600), order(100));
    expect(rows.every((r) => r.in === 'both')).toBe(true);
    expect(rows[0]!.path).toBe('order-service: GET /order > order-service: call-payment-api > payment-service: POST /pay');
    expect(rows[0]!.diffDurationMs).toBe(500);
    expect(rows[0]!.diffSelfMs).toBe(500);
    expect(rows[0]!.impact).toBe(500);
    expect(rows[0]!.a!.spanIds).toEqual(['pay']);
    expect(summary).toBe('payment-service: POST /pay took 500 ms longer in this trace (600 ms vs 100 ms in trace b).');
    // Sorted by impact, then path.
    for (let i = 1; i < rows.length; i++) {
      const [p, q] = [rows[i - 1]!, rows[i]!];
      expect(p.impact > q.impact || (p.impact === q.impact && p.path < q.path)).toBe(true);
    }
  });

  it('a faster trace gets a negative diff and says "less"', () => {
    const { rows, summary } = compareTraces(order(100), order(400));
    expect(rows[0]!.diffDurationMs).toBe(-300);
    expect(summary).toMatch(/^payment-service: POST \/pay took 300 ms less in this trace/);
  });

  it('marks paths only in a or only in b; a missing side counts as 0', () => {
    const { rows, summary } = compareTraces(order(0, { stockError: true }), order(100));
    const byPath = new Map(rows.map((r) => [r.path, r]));
    const pay = byPath.get('order-service: GET /order > order-service: call-payment-api > payment-service: POST /pay')!;
    expect(pay.in).toBe('only-b');
    expect(pay.a).toBeNull();
    expect(pay.diffDurationMs).toBe(-100);
    expect(pay.impact).toBe(200); // |self diff| + its duration
    expect(byPath.get('order-service: GET /order > order-service: call-payment-api')!.in).toBe('only-b');
    const stock = byPath.get('order-service: GET /order > order-service: check-stock')!;
    expect(stock.in).toBe('both');
    expect(stock.a!.errorCount).toBe(1);
    expect(stock.b!.errorCount).toBe(0);
    expect(rows[0]!.path).toBe(pay.path);
    expect(summary).toBe('payment-service: POST /pay ran only in trace b (100 ms), not in this trace.');

    const reverse = compareTraces(order(100), order(0, { stockError: true }));
    expect(reverse.rows[0]!.in).toBe('only-a');
    expect(reverse.summary).toBe('payment-service: POST /pay ran only in this trace (100 ms); trace b does not have it.');
  });

  it('an only-a span that failed says "failed only in this trace"', () => {
    const a = [...order(10), span('x', 'r', 'order-service', 'check-fraud', 30, 90, true)];
    const { rows, summary } = compareTraces(a, order(10));
    expect(rows[0]!.in).toBe('only-a');
    expect(rows[0]!.a!.errorCount).toBe(1);
    expect(summary).toBe('order-service: check-fraud failed only in this trace (60 ms); trace b does not have it.');
  });

  it('names counts when they differ', () => {
    const { summary } = compareTraces(order(10, { queries: 30 }), order(10, { queries: 1 }));
    expect(summary).toContain('order-service: SELECT took');
    expect(summary).toContain('30 vs 1 spans');
  });

  it('the same trace twice: no difference, all rows impact 0', () => {
    const { rows, summary } = compareTraces(order(100), order(100, { offsetMs: 5000 }));
    expect(rows.every((r) => r.impact === 0)).toBe(true);
    expect(summary).toBe('Both traces have the same span paths, with no difference in time.');
    // Ties ordered by path.
    expect(rows.map((r) => r.path)).toEqual([...rows.map((r) => r.path)].sort());
  });

  it('against a baseline: medians, presence on b, and the sentence', () => {
    const baseline = [order(90), order(100), order(110), order(0, { stockError: true })];
    const { rows, summary } = compareWithBaseline(order(612), baseline);
    const top = rows[0]!;
    expect(top.service).toBe('payment-service');
    expect(top.b!.durationMs).toBe(100);
    expect(top.b!.presence).toBe(0.75);
    expect(top.b!.spanIds).toBeUndefined();
    expect(top.diffDurationMs).toBe(512);
    expect(summary).toBe('payment-service: POST /pay took 512 ms longer in this trace (612 ms vs a median of 100 ms over 4 baseline traces).');
  });

  it('a baseline path missing in a is only-b with its presence', () => {
    const { rows, summary } = compareWithBaseline(order(0, { stockError: true }), [order(100), order(100)]);
    expect(rows[0]!.in).toBe('only-b');
    expect(rows[0]!.b!.presence).toBe(1);
    expect(summary).toBe('payment-service: POST /pay ran in 100 % of the 2 baseline traces (median 100 ms) but not in this trace.');
  });

  it('diffRows works on any two aggregates and keeps rows stable', () => {
    const one = diffRows(pathAggregates(order(300)), pathAggregates(order(100)));
    const two = diffRows(pathAggregates(order(300)), pathAggregates(order(100)));
    expect(one).toEqual(two);
    expect(summarize([], { kind: 'baseline', traceCount: 3 })).toMatch(/same span paths as the 3 baseline traces/);
  });
});

describe('trace info', () => {
  it('root, duration, span count and error', () => {
    const t = traceInfo('abc', [span('k', 'r', 's', 'kid', 5, 30, true), span('r', '', 's', 'root', 2, 20), span('o', 'gone', 's', 'orphan', 0, 1)]);
    expect(t).toMatchObject({ traceId: 'abc', rootService: 's', rootName: 'root', rootStartNs: 2n * MS, durationMs: 30, spanCount: 3, error: true });
  });
});
