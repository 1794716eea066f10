import { describe, expect, it } from 'vitest';
import { spansToJaegerTrace } from '../../src/compat/jaeger-model.js';
import { decodeJaegerTraces, looksLikeJaeger } from '../../src/transfer/jaeger-import.js';
import { fullSpan } from '../otlp/value-fixtures.js';

const TRACE = '0af7651916cd43dd8448eb211c80319c';

describe('decodeJaegerTraces', () => {
  it("inverts the hub's own Jaeger mapping: ids, parent, links, times (µs), kind, status, scope, trace state, events, process", () => {
    const span = fullSpan({ startTimeUnixNano: 1_700_000_000_123_456_000n, endTimeUnixNano: 1_700_000_000_223_456_000n });
    span.events = span.events.map((e, i) => ({ ...e, timeUnixNano: 1_700_000_000_130_000_000n + BigInt(i) * 1000n }));
    const { spans, rejected } = decodeJaegerTraces(JSON.parse(JSON.stringify({ data: [spansToJaegerTrace([span])] })));
    expect(rejected).toBe(0);
    const s = spans[0]!;
    expect({ traceId: s.traceId, spanId: s.spanId, parentSpanId: s.parentSpanId, name: s.name, kind: s.kind }).toEqual({
      traceId: TRACE, spanId: 'b7ad6b7169203331', parentSpanId: '00f067aa0ba902b7', name: 'every value', kind: 4,
    });
    expect([s.startTimeUnixNano, s.endTimeUnixNano]).toEqual([1_700_000_000_123_456_000n, 1_700_000_000_223_456_000n]);
    expect([s.statusCode, s.statusMessage, s.traceState, s.flags]).toEqual([2, 'it broke: ✗', span.traceState, 1]);
    expect([s.scope.name, s.scope.version]).toEqual(['value-lib', '3.1.4']);
    expect(s.links.map((l) => [l.traceId, l.spanId])).toEqual([['4bf92f3577b34da6a3ce929d0e0e4736', '00f067aa0ba902b8']]);
    expect(s.events.map((e) => [e.name, e.timeUnixNano])).toEqual([['ev', 1_700_000_000_130_000_000n], ['', 1_700_000_000_130_001_000n]]);
    expect(s.resource.serviceName).toBe('value-svc');
    // Special tags went back to their fields; the rest are attributes with their types.
    const keys = s.attributes.map((a) => a.key);
    for (const k of ['span.kind', 'otel.status_code', 'error', 'otel.status_description', 'otel.scope.name', 'w3c.tracestate']) expect(keys).not.toContain(k);
    const attr = (k: string) => s.attributes.find((a) => a.key === k)?.value;
    expect(attr('int.2^53+1')).toEqual({ type: 'string', value: '9007199254740993' });
    expect(attr('int.negative')).toEqual({ type: 'int', value: '-7' });
    expect(attr('double')).toEqual({ type: 'double', value: 1.5 });
    expect(attr('bool.true')).toEqual({ type: 'bool', value: true });
    expect(attr('bytes')).toEqual({ type: 'bytes', value: 'AAEC/v8=' });
  });

  it('reads Jaeger UI downloads: short ids padded, a bare trace object, error=true without otel.status_code, inline process', () => {
    const doc = {
      traceID: 'abc',
      spans: [
        { traceID: 'abc', spanID: '1', operationName: 'root', startTime: 10, duration: 5, tags: [{ key: 'error', type: 'bool', value: true }], process: { serviceName: 'svc', tags: [{ key: 'host', type: 'string', value: 'h1' }] } },
        { traceID: 'abc', spanID: '2', operationName: 'child', startTime: 11, duration: 1, references: [{ refType: 'CHILD_OF', traceID: 'abc', spanID: '1' }], process: { serviceName: 'svc' } },
      ],
    };
    expect(looksLikeJaeger(doc)).toBe(true);
    const { spans } = decodeJaegerTraces(doc);
    expect(spans.map((s) => [s.traceId, s.spanId, s.parentSpanId, s.statusCode])).toEqual([
      ['0'.repeat(29) + 'abc', '0'.repeat(15) + '1', '', 2],
      ['0'.repeat(29) + 'abc', '0'.repeat(15) + '2', '0'.repeat(15) + '1', 0],
    ]);
    expect(spans[0]!.resource.attributes).toEqual([
      { key: 'service.name', value: { type: 'string', value: 'svc' } },
      { key: 'host', value: { type: 'string', value: 'h1' } },
    ]);
  });

  it('names the field that is wrong, and counts invalid spans instead of throwing', () => {
    const base = { traceID: TRACE, spanID: 'b7ad6b7169203331', processID: 'p1', startTime: 1, duration: 1 };
    const wrap = (span: object) => ({ data: [{ traceID: TRACE, spans: [span], processes: { p1: { serviceName: 's' } } }] });
    expect(() => decodeJaegerTraces(wrap({ ...base, processID: 'p9' }))).toThrow('data[0].spans[0].processID: no process "p9" in the trace\'s processes');
    expect(() => decodeJaegerTraces(wrap({ ...base, startTime: 'later' }))).toThrow('data[0].spans[0].startTime: not a non-negative integer');
    expect(() => decodeJaegerTraces(wrap({ ...base, references: [{ refType: 'PARENT', spanID: '1' }] }))).toThrow('data[0].spans[0].references[0].refType: must be CHILD_OF or FOLLOWS_FROM');
    expect(() => decodeJaegerTraces(wrap({ ...base, tags: [{ key: 'n', type: 'int64', value: 'x' }] }))).toThrow('data[0].spans[0].tags[0].value: not a 64-bit integer');
    expect(() => decodeJaegerTraces(wrap({ ...base, tags: [{ key: 'n', type: 'money', value: 1 }] }))).toThrow('data[0].spans[0].tags[0].type: unknown tag type "money"');
    const zero = decodeJaegerTraces(wrap({ ...base, spanID: '0' }));
    expect(zero).toEqual({ spans: [], rejected: 1, rejectReasons: ['data[0].spans[0]: span id is all zeros'] });
  });
});
