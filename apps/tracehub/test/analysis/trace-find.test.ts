// Subtree selection (?root=) and the in-trace search (/search) over records.
import { describe, expect, it } from 'vitest';
import { subtreeSpans } from '../../src/analysis/subtree.js';
import { searchTraceSpans } from '../../src/analysis/trace-search.js';
import { fixtureSpans } from '../api/trace-fixture.js';

const ids = (xs: { spanId: string }[] | string[] | null) => (xs ?? []).map((x) => (typeof x === 'string' ? x : x.spanId).replace(/^0+/, ''));

describe('subtreeSpans', () => {
  it('keeps the span and all its descendants, in the trace order', () => {
    const spans = fixtureSpans();
    expect(ids(subtreeSpans(spans, '0000000000000001'))).toEqual(['1', '2', '3', '4']);
    expect(ids(subtreeSpans(spans, '0000000000000003'))).toEqual(['3', '4']);
    expect(ids(subtreeSpans(spans, '0000000000000004'))).toEqual(['4']);
    expect(ids(subtreeSpans(spans, '0000000000000005'))).toEqual(['5']);
  });
  it('is null for a span id that is not in the trace', () => {
    expect(subtreeSpans(fixtureSpans(), '000000000000dead')).toBeNull();
  });
  it('ends on a parent cycle', () => {
    const [a, b] = fixtureSpans();
    const cyc = [{ ...a!, parentSpanId: b!.spanId }, { ...b!, parentSpanId: a!.spanId }];
    expect(ids(subtreeSpans(cyc, a!.spanId))).toEqual(['1', '2']);
  });
});

describe('searchTraceSpans', () => {
  const spans = fixtureSpans();
  it('matches names, services, status messages, attribute keys and values, event names, span ids', () => {
    expect(ids(searchTraceSpans(spans, 'select'))).toEqual(['2', '3']);
    expect(ids(searchTraceSpans(spans, 'POSTGRES'))).toEqual(['2', '3']);
    expect(ids(searchTraceSpans(spans, 'payment failed'))).toEqual(['1']);
    expect(ids(searchTraceSpans(spans, 'http.method'))).toEqual(['1', '2']);
    expect(ids(searchTraceSpans(spans, 'base64:aaec'))).toEqual(['1']);
    expect(ids(searchTraceSpans(spans, '{k: "v"}'))).toEqual(['1']);
    expect(ids(searchTraceSpans(spans, 'exception'))).toEqual(['1']);
    expect(ids(searchTraceSpans(spans, '0000000000000004'))).toEqual(['4']);
    expect(searchTraceSpans(spans, '   ')).toEqual([]);
    expect(searchTraceSpans(spans, 'no such text')).toEqual([]);
  });
});
