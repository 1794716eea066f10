import { describe, expect, it } from 'vitest';
import { spansToTempoTraceByIdJson, spansToTempoTraceJson } from '../../src/compat/tempo-json.js';
import { wrapTraceByIdResponse } from '../../src/compat/tempo-proto.js';
import { parseTempoSearch, parseTempoTraceQL, toTempoSearchResponse } from '../../src/compat/tempo-search.js';
import { BadParameterError } from '../../src/api/params.js';
import type { TraceSearchResult } from '../../src/store/types.js';
import { formatPipeline } from '../../src/traceql/index.js';
import { parseSearchQuery } from '../../src/traceql/search.js';
import { resource, span } from './span-fixtures.js';

describe('spansToTempoTraceJson (proto3 JSON)', () => {
  const payment = resource('payment-service');
  const spans = [
    span({ spanId: '00f067aa0ba902b7', name: 'GET /order', kind: 2 }),
    span({
      spanId: '1111111111111111',
      parentSpanId: '00f067aa0ba902b7',
      name: 'charge',
      kind: 3,
      statusCode: 2,
      statusMessage: 'card declined',
      attributes: [
        { key: 'n', value: { type: 'int', value: '9007199254740993' } },
        { key: 'ok', value: { type: 'bool', value: false } },
        { key: 'ratio', value: { type: 'double', value: 'NaN' } },
        { key: 'list', value: { type: 'array', value: [{ type: 'string', value: 'a' }] } },
      ],
      events: [{ timeUnixNano: 1_732_560_000_200_000_000n, name: 'exception', attributes: [], droppedAttributesCount: 0 }],
      resource: payment,
    }),
  ];
  const json = spansToTempoTraceJson(spans) as { resourceSpans: any[] };

  it('groups by resource, uses base64 ids, enum names and int64 strings', () => {
    expect(json.resourceSpans).toHaveLength(2);
    const [order, pay] = json.resourceSpans;
    expect(order.resource.attributes).toEqual([{ key: 'service.name', value: { stringValue: 'order-service' } }]);
    const root = order.scopeSpans[0].spans[0];
    expect(order.scopeSpans[0].scope).toEqual({ name: 'tracelab', version: '1.0.0' });
    expect(root.traceId).toBe('CvdlGRbNQ92ESOshHIAxnA==');
    expect(root.spanId).toBe(Buffer.from('00f067aa0ba902b7', 'hex').toString('base64'));
    expect(root.parentSpanId).toBeUndefined();
    expect(root.kind).toBe('SPAN_KIND_SERVER');
    expect(root.startTimeUnixNano).toBe('1732560000123456789');
    expect(root.status).toEqual({});
    const child = pay.scopeSpans[0].spans[0];
    expect(child.kind).toBe('SPAN_KIND_CLIENT');
    expect(child.status).toEqual({ message: 'card declined', code: 'STATUS_CODE_ERROR' });
    expect(child.attributes).toEqual([
      { key: 'n', value: { intValue: '9007199254740993' } },
      { key: 'ok', value: { boolValue: false } },
      { key: 'ratio', value: { doubleValue: 'NaN' } },
      { key: 'list', value: { arrayValue: { values: [{ stringValue: 'a' }] } } },
    ]);
    expect(child.events).toEqual([{ timeUnixNano: '1732560000200000000', name: 'exception' }]);
  });

  it('merges equal resources that are distinct objects', () => {
    const a = span({ spanId: 'aaaaaaaaaaaaaaaa', resource: resource('x') });
    const b = span({ spanId: 'bbbbbbbbbbbbbbbb', resource: resource('x') });
    const j = spansToTempoTraceJson([a, b]) as { resourceSpans: any[] };
    expect(j.resourceSpans).toHaveLength(1);
    expect(j.resourceSpans[0].scopeSpans[0].spans).toHaveLength(2);
  });

  it('v2 wraps the trace in a TraceByIDResponse', () => {
    const v2 = spansToTempoTraceByIdJson(spans) as any;
    expect(v2.trace).toEqual(json);
  });
});

describe('wrapTraceByIdResponse', () => {
  it('frames the Trace bytes as field 1, length-delimited', () => {
    expect([...wrapTraceByIdResponse(new Uint8Array([1, 2, 3]))]).toEqual([0x0a, 3, 1, 2, 3]);
    const big = new Uint8Array(300);
    const framed = wrapTraceByIdResponse(big);
    expect([...framed.slice(0, 3)]).toEqual([0x0a, 0xac, 0x02]); // 300 as a varint
    expect(framed.length).toBe(303);
  });
});

describe('parseTempoSearch', () => {
  it('reads Grafana\'s search request', () => {
    const q = { q: '{ resource.service.name = "order-service" }', limit: '20', spss: '3', start: '1732550000', end: '1732560000' };
    const s = parseTempoSearch(q);
    expect(s).toMatchObject({ limit: 20, spansPerSpanSet: 3, startNs: 1_732_550_000_000_000_000n });
    expect(formatPipeline(parseTempoTraceQL(q, parseSearchQuery)!)).toBe('{ (= resource.service.name "order-service") }');
    expect(s.endNs).toBe(1_732_560_000_999_999_999n);
  });
  it('defaults limit 20 and spss 3, caps limit, ignores empty q', () => {
    expect(parseTempoSearch({ q: '' })).toEqual({ limit: 20, spansPerSpanSet: 3 });
    expect(parseTempoSearch({ limit: '5000' }).limit).toBe(1000);
  });
  it('reads legacy tags and durations', () => {
    const s = parseTempoSearch({ tags: 'service.name=cart name="GET /x" http.method=GET', minDuration: '100ms', maxDuration: '2s' });
    expect(s).toMatchObject({
      service: 'cart',
      operation: 'GET /x',
      attributes: [{ key: 'http.method', value: 'GET' }],
      minDurationNs: 100_000_000n,
      maxDurationNs: 2_000_000_000n,
    });
  });
  it('rejects bad parameters with a message naming them', () => {
    expect(() => parseTempoSearch({ limit: 'ten' })).toThrow(BadParameterError);
    expect(() => parseTempoSearch({ minDuration: '5 minutes' })).toThrow(/minDuration/);
    expect(() => parseTempoSearch({ start: '200', end: '100' })).toThrow(/end/);
    expect(parseTempoTraceQL({ q: ' ' }, parseSearchQuery)).toBeUndefined();
    expect(() => parseTempoTraceQL({ q: '{ } | rate()' }, parseSearchQuery)).toThrow(/metrics query .*metrics endpoint/);
    expect(() => parseTempoTraceQL({ q: '{ name = }' }, parseSearchQuery)).toThrow(/at position 9/);
  });
});

describe('toTempoSearchResponse', () => {
  const result: TraceSearchResult = {
    summary: {
      traceId: '0af7651916cd43dd8448eb211c80319c',
      rootService: 'order-service',
      rootName: 'GET /order',
      startTimeUnixNano: 1_732_560_000_123_456_789n,
      endTimeUnixNano: 1_732_560_000_233_956_789n,
      spanCount: 4,
      errorCount: 1,
      services: [
        { name: 'order-service', spanCount: 3, errorCount: 0 },
        { name: 'payment-service', spanCount: 1, errorCount: 1 },
      ],
    },
    matched: {
      spans: [{ spanId: '1111111111111111', name: 'charge', service: 'payment-service', startTimeUnixNano: 1_732_560_000_150_000_000n, durationNs: 5_000_001n, statusCode: 2 }],
      total: 7,
    },
  };

  it('has the shape and string types Grafana decodes', () => {
    const r = toTempoSearchResponse([result]);
    const t = r.traces[0]!;
    expect(t).toMatchObject({
      traceID: '0af7651916cd43dd8448eb211c80319c',
      rootServiceName: 'order-service',
      rootTraceName: 'GET /order',
      startTimeUnixNano: '1732560000123456789',
      durationMs: 110,
    });
    expect(Number.isInteger(t.durationMs)).toBe(true);
    expect(t.spanSets).toEqual([t.spanSet]);
    expect(t.spanSet).toEqual({
      spans: [
        {
          spanID: '1111111111111111',
          name: 'charge',
          startTimeUnixNano: '1732560000150000000',
          durationNanos: '5000001',
          attributes: [
            { key: 'service.name', value: { stringValue: 'payment-service' } },
            { key: 'status', value: { stringValue: 'error' } },
          ],
        },
      ],
      matched: 7,
    });
    expect(t.serviceStats).toEqual({ 'order-service': { spanCount: 3 }, 'payment-service': { spanCount: 1, errorCount: 1 } });
    expect(typeof r.metrics.inspectedBytes).toBe('string');
  });

  it('omits span sets for tag searches and names a missing root', () => {
    const r = toTempoSearchResponse([{ summary: { ...result.summary, rootService: '', rootName: '<root span not yet received>' } }]);
    expect(r.traces[0]!.spanSet).toBeUndefined();
    expect(r.traces[0]!.rootServiceName).toBe('<root span not yet received>');
  });
});
