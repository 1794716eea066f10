import { describe, expect, it } from 'vitest';
import { jaegerSpanKind, spansToJaegerTrace, toJaegerKeyValue } from '../../src/compat/jaeger-model.js';
import { parseJaegerTraceQuery } from '../../src/compat/jaeger-query.js';
import { BadParameterError } from '../../src/api/params.js';
import { resource, span } from './span-fixtures.js';

describe('spansToJaegerTrace', () => {
  const order = resource('order-service', { 'host.name': 'box' });
  const payment = resource('payment-service');
  const root = span({ spanId: '00f067aa0ba902b7', name: 'GET /order', kind: 2, resource: order, startTimeUnixNano: 1_000_000_000_500n, endTimeUnixNano: 1_000_100_000_499n });
  const child = span({
    spanId: '1111111111111111',
    parentSpanId: '00f067aa0ba902b7',
    name: 'charge',
    kind: 3,
    statusCode: 2,
    statusMessage: 'card declined',
    startTimeUnixNano: 1_000_010_000_000n,
    endTimeUnixNano: 1_000_020_000_000n,
    attributes: [{ key: 'http.status_code', value: { type: 'int', value: '502' } }],
    events: [
      {
        timeUnixNano: 1_000_015_000_000n,
        name: 'exception',
        attributes: [{ key: 'exception.message', value: { type: 'string', value: 'boom' } }],
        droppedAttributesCount: 0,
      },
    ],
    links: [{ traceId: 'ffffffffffffffffffffffffffffffff', spanId: '2222222222222222', traceState: '', flags: 0, attributes: [], droppedAttributesCount: 0 }],
    resource: payment,
  });
  const t = spansToJaegerTrace([child, root]);

  it('orders spans by start time and uses microseconds', () => {
    expect(t.traceID).toBe('0af7651916cd43dd8448eb211c80319c');
    expect(t.spans.map((s) => s.operationName)).toEqual(['GET /order', 'charge']);
    expect(t.spans[0]!.startTime).toBe(1_000_000_000);
    expect(t.spans[0]!.duration).toBe(99_999);
    expect(Number.isInteger(t.spans[1]!.duration)).toBe(true);
  });

  it('maps resources to processes, without service.name in the tags', () => {
    expect(t.processes).toEqual({
      p1: { serviceName: 'order-service', tags: [{ key: 'host.name', type: 'string', value: 'box' }] },
      p2: { serviceName: 'payment-service', tags: [] },
    });
    expect(t.spans.map((s) => s.processID)).toEqual(['p1', 'p2']);
  });

  it('turns kind, status, events, parent and links into tags, logs and references', () => {
    const c = t.spans[1]!;
    expect(c.tags).toEqual([
      { key: 'http.status_code', type: 'int64', value: 502 },
      { key: 'span.kind', type: 'string', value: 'client' },
      { key: 'otel.status_code', type: 'string', value: 'ERROR' },
      { key: 'error', type: 'bool', value: true },
      { key: 'otel.status_description', type: 'string', value: 'card declined' },
      { key: 'otel.scope.name', type: 'string', value: 'tracelab' },
      { key: 'otel.scope.version', type: 'string', value: '1.0.0' },
    ]);
    expect(c.logs).toEqual([
      {
        timestamp: 1_000_015_000,
        fields: [
          { key: 'event', type: 'string', value: 'exception' },
          { key: 'exception.message', type: 'string', value: 'boom' },
        ],
      },
    ]);
    expect(c.references).toEqual([
      { refType: 'CHILD_OF', traceID: '0af7651916cd43dd8448eb211c80319c', spanID: '00f067aa0ba902b7' },
      { refType: 'FOLLOWS_FROM', traceID: 'ffffffffffffffffffffffffffffffff', spanID: '2222222222222222' },
    ]);
    expect(t.spans[0]!.references).toEqual([]);
    expect(t.spans[0]!.tags.find((x) => x.key === 'error')).toBeUndefined();
  });

  it('types values the way Jaeger does', () => {
    expect(toJaegerKeyValue('b', { type: 'bytes', value: 'AQI=' })).toEqual({ key: 'b', type: 'binary', value: 'AQI=' });
    expect(toJaegerKeyValue('d', { type: 'double', value: 1.5 })).toEqual({ key: 'd', type: 'float64', value: 1.5 });
    expect(toJaegerKeyValue('d', { type: 'double', value: 'Infinity' })).toEqual({ key: 'd', type: 'string', value: 'Infinity' });
    expect(toJaegerKeyValue('big', { type: 'int', value: '9007199254740993' })).toEqual({ key: 'big', type: 'string', value: '9007199254740993' });
    expect(toJaegerKeyValue('a', { type: 'array', value: [{ type: 'int', value: '1' }, { type: 'string', value: 'x' }] })).toEqual({ key: 'a', type: 'string', value: '[1,"x"]' });
    expect(jaegerSpanKind(2)).toBe('server');
    expect(jaegerSpanKind(0)).toBe('');
  });
});

describe('parseJaegerTraceQuery', () => {
  it('reads what Jaeger UI and Grafana send', () => {
    const r = parseJaegerTraceQuery({
      service: 'order-service',
      operation: 'GET /order',
      tags: '{"http.method":"GET","error":"true"}',
      tag: ['app.product:Book', 'url:http://x:1/'],
      minDuration: '100ms',
      maxDuration: '1.5s',
      limit: '20',
      start: '1732560000000000',
      end: '1732560060000000',
      lookback: '1h',
    });
    expect(r).toEqual({
      kind: 'search',
      search: {
        service: 'order-service',
        operation: 'GET /order',
        limit: 20,
        // The trace starts no later than the matching span: the end bounds the trace scan.
        endNs: 1_732_560_060_000_000_000n,
        // Everything else must hold on the one span that has the service and operation.
        span: {
          startNs: 1_732_560_000_000_000_000n,
          endNs: 1_732_560_060_000_000_000n,
          minDurationNs: 100_000_000n,
          maxDurationNs: 1_500_000_000n,
          error: true,
          tags: [
            { key: 'http.method', value: 'GET' },
            { key: 'app.product', value: 'Book' },
            { key: 'url', value: 'http://x:1/' },
          ],
        },
      },
    });
  });
  it('error=false is a span condition too; a second error tag is matched literally', () => {
    expect(parseJaegerTraceQuery({ service: 's', tags: '{"error":"false"}' })).toEqual({
      kind: 'search',
      search: { service: 's', limit: 100, span: { error: false } },
    });
    expect(parseJaegerTraceQuery({ service: 's', tags: '{"error":"false"}', tag: 'error:true' })).toEqual({
      kind: 'search',
      search: { service: 's', limit: 100, span: { error: false, tags: [{ key: 'error', value: 'true' }] } },
    });
  });
  it('reads repeated traceID and pads short ids', () => {
    expect(parseJaegerTraceQuery({ traceID: ['abc', '0af7651916cd43dd8448eb211c80319c', 'ABC'] })).toEqual({
      kind: 'ids',
      traceIds: ['0'.repeat(29) + 'abc', '0af7651916cd43dd8448eb211c80319c'],
    });
  });
  it('defaults limit to 100', () => {
    expect(parseJaegerTraceQuery({ service: 's' })).toEqual({ kind: 'search', search: { service: 's', limit: 100 } });
  });
  it.each([
    [{}, /service/],
    [{ service: 's', minDuration: '10 sec' }, /minDuration/],
    [{ service: 's', tags: '{bad' }, /tags/],
    [{ service: 's', tags: '{"a":1}' }, /tags/],
    [{ service: 's', tag: 'novalue' }, /tag/],
    [{ service: 's', start: '17e5' }, /start/],
    [{ service: 's', limit: 'x' }, /limit/],
    [{ traceID: 'zz' }, /traceID/],
  ])('rejects %j', (q, msg) => {
    expect(() => parseJaegerTraceQuery(q)).toThrow(BadParameterError);
    expect(() => parseJaegerTraceQuery(q)).toThrow(msg);
  });
});
