/**
 * The OTLP spec's example request (opentelemetry-proto examples/trace.json):
 * upper-case hex ids and int64 timestamps as JSON numbers beyond 2^53. The
 * fixture keeps the example's shape with 19-digit timestamps whose last digit
 * is not zero, so a lossy JSON.parse would show.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeTracesJson, decodeTracesProtobuf, encodeTracesJson, encodeTracesProtobuf } from '../../src/otlp/index.js';

const text = readFileSync(new URL('./fixtures/spec-trace.json', import.meta.url), 'utf8');

describe('spec example trace.json', () => {
  it('decodes exactly, keeping every digit of the timestamps', () => {
    const { spans, rejected } = decodeTracesJson(text);
    expect(rejected).toBe(0);
    expect(spans).toHaveLength(1);
    const s = spans[0]!;
    expect(s.traceId).toBe('5b8efff798038103d269b633813fc60c');
    expect(s.spanId).toBe('eee19b7ec3c1b174');
    expect(s.parentSpanId).toBe('eee19b7ec3c1b173');
    expect(s.name).toBe("I'm a server span");
    expect(s.kind).toBe(2);
    expect(s.startTimeUnixNano).toBe(1544712660300000001n);
    expect(s.endTimeUnixNano).toBe(1544712661300000009n);
    expect(s.attributes).toEqual([{ key: 'my.span.attr', value: { type: 'string', value: 'some value' } }]);
    expect(s.resource).toEqual({
      attributes: [{ key: 'service.name', value: { type: 'string', value: 'my.service' } }],
      droppedAttributesCount: 0,
      schemaUrl: '',
      serviceName: 'my.service',
    });
    expect(s.scope).toEqual({
      name: 'my.library',
      version: '1.0.0',
      attributes: [{ key: 'my.scope.attribute', value: { type: 'string', value: 'some scope attribute' } }],
      droppedAttributesCount: 0,
      schemaUrl: '',
    });
    expect(s.statusCode).toBe(0);
    expect(s.events).toEqual([]);
    expect(s.links).toEqual([]);
    // A leading UTF-8 BOM is tolerated.
    expect(decodeTracesJson('\uFEFF' + text).spans).toEqual(spans);
  });

  it('survives protobuf and JSON re-encoding unchanged', () => {
    const [original] = decodeTracesJson(text).spans;
    const viaPb = decodeTracesProtobuf(encodeTracesProtobuf([original!])).spans[0];
    expect(viaPb).toEqual(original);
    const json = JSON.stringify(encodeTracesJson([original!]));
    expect(json).toContain('"startTimeUnixNano":"1544712660300000001"');
    expect(decodeTracesJson(json).spans[0]).toEqual(original);
  });

  it('accepts int64 as strings, numbers, exponent forms and enum names alike', () => {
    const variant = text
      .replace('1544712660300000001', '"1544712660300000001"')
      .replace('1544712661300000009', '1.544712661300000009e18')
      .replace('"kind": 2', '"kind": "SPAN_KIND_SERVER"');
    const s = decodeTracesJson(variant).spans[0]!;
    expect(s.startTimeUnixNano).toBe(1544712660300000001n);
    expect(s.endTimeUnixNano).toBe(1544712661300000009n);
    expect(s.kind).toBe(2);
  });

  it('accepts proto field names (snake_case) as proto3 JSON parsers must, and ignores unknown fields', () => {
    const snake = text
      .replace('"resourceSpans"', '"resource_spans"')
      .replace('"scopeSpans"', '"scope_spans"')
      .replace('"traceId"', '"trace_id"')
      .replace('"startTimeUnixNano"', '"start_time_unix_nano"')
      .replace('"name": "I\'m a server span"', '"name": "I\'m a server span", "futureField": {"x": [1, 2]}');
    const s = decodeTracesJson(snake).spans[0]!;
    expect(s.traceId).toBe('5b8efff798038103d269b633813fc60c');
    expect(s.startTimeUnixNano).toBe(1544712660300000001n);
  });
});
