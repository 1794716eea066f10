/**
 * Undecodable bodies throw OtlpDecodeError naming what is wrong (the receivers
 * answer 400 with it); individually invalid spans and log records are dropped
 * and counted; empty requests are fine.
 */
import { describe, expect, it } from 'vitest';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import {
  OtlpDecodeError,
  decodeLogsJson,
  decodeLogsProtobuf,
  decodeTracesJson,
  decodeTracesProtobuf,
  encodeLogsProtobuf,
  encodeTracesJson,
  encodeTracesProtobuf,
} from '../../src/otlp/index.js';
import type { SpanRecord } from '../../src/model.js';
import { makeSdkSpans } from './sdk-fixtures.js';
import { fullLog, fullSpan } from './value-fixtures.js';

function decodeError(fn: () => unknown): OtlpDecodeError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(OtlpDecodeError);
    return err as OtlpDecodeError;
  }
  throw new Error('expected an OtlpDecodeError, but decoding succeeded');
}

/** A minimal valid OTLP/JSON request with one span; `patch` edits the span. */
function jsonRequest(patch: (span: Record<string, unknown>) => void = () => {}): string {
  const req = encodeTracesJson([fullSpan({ attributes: [{ key: 'a', value: { type: 'int', value: '1' } }] })]) as any;
  patch(req.resourceSpans[0].scopeSpans[0].spans[0]);
  return JSON.stringify(req);
}

describe('undecodable protobuf', () => {
  it('every truncation of a real SDK request is an OtlpDecodeError', async () => {
    const body = ProtobufTraceSerializer.serializeRequest((await makeSdkSpans()).slice(0, 1))!;
    expect(decodeTracesProtobuf(body).spans).toHaveLength(1);
    for (let cut = 1; cut < body.length; cut++) {
      const err = decodeError(() => decodeTracesProtobuf(body.subarray(0, cut)));
      expect(err.message).toMatch(/truncated|protobuf/);
    }
  });

  it('garbage bytes are an OtlpDecodeError', () => {
    for (const garbage of [
      Buffer.from('this is not protobuf at all'),
      Buffer.from('{"resourceSpans":[]}'),
      Buffer.from([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f]),
      Buffer.from([0x0f, 0x01]),
      Buffer.from([0x00, 0x00, 0x00]),
      Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]),
    ]) {
      decodeError(() => decodeTracesProtobuf(garbage));
      decodeError(() => decodeLogsProtobuf(garbage));
    }
  });

  it('a field with the wrong wire type is named by its path', () => {
    // span.start_time_unix_nano (field 7) sent as a varint instead of fixed64
    const span = Buffer.concat([Buffer.from([0x38, 0x01])]);
    const scopeSpans = Buffer.concat([Buffer.from([0x12, span.length]), span]);
    const resourceSpans = Buffer.concat([Buffer.from([0x12, scopeSpans.length]), scopeSpans]);
    const body = Buffer.concat([Buffer.from([0x0a, resourceSpans.length]), resourceSpans]);
    const err = decodeError(() => decodeTracesProtobuf(body));
    expect(err.message).toBe('resourceSpans[0].scopeSpans[0].spans[0].startTimeUnixNano: wrong protobuf wire type varint, expected fixed64');
    expect(err.field).toBe('resourceSpans[0].scopeSpans[0].spans[0].startTimeUnixNano');
  });

  it('values nested too deeply are refused instead of overflowing the stack', () => {
    // Hand-built: AnyValue{arrayValue{values: AnyValue{...}}} 5000 levels deep.
    const len = (n: number) => {
      const out: number[] = [];
      while (n > 0x7f) {
        out.push((n & 0x7f) | 0x80);
        n >>>= 7;
      }
      out.push(n);
      return Buffer.from(out);
    };
    const msg = (tag: number, inner: Buffer) => Buffer.concat([Buffer.from([tag]), len(inner.length), inner]);
    let value = msg(0x0a, Buffer.from('bottom')); // AnyValue.string_value
    for (let i = 0; i < 5000; i++) value = msg(0x2a, msg(0x0a, value)); // AnyValue.array_value{values}
    const kv = Buffer.concat([msg(0x0a, Buffer.from('deep')), msg(0x12, value)]);
    const body = msg(0x0a, msg(0x12, msg(0x12, msg(0x4a, kv))));
    const err = decodeError(() => decodeTracesProtobuf(body));
    expect(err.message).toMatch(/nested deeper than 32 levels/);
    expect(err.field).toMatch(/^resourceSpans\[0\]\.scopeSpans\[0\]\.spans\[0\]\.attributes\[0\]\.value(\.arrayValue\.values\[0\])+$/);

    let deep = '{"stringValue":"bottom"}';
    for (let i = 0; i < 5000; i++) deep = `{"arrayValue":{"values":[${deep}]}}`;
    const json = jsonRequest().replace('{"intValue":"1"}', deep);
    expect(decodeError(() => decodeTracesJson(json)).message).toMatch(/nested deeper than 32 levels/);
  });

  it('the deepest accepted value can be encoded again', () => {
    let deep: any = { type: 'string', value: 'bottom' };
    for (let i = 0; i < 32; i++) deep = { type: 'array', value: [deep] };
    const spans = [fullSpan({ attributes: [{ key: 'deep', value: deep }] })];
    const again = decodeTracesProtobuf(encodeTracesProtobuf(spans)).spans;
    expect(again[0]!.attributes[0]!.value).toEqual(deep);
    expect(decodeTracesProtobuf(encodeTracesProtobuf(again)).spans).toEqual(again);
  });
});

describe('undecodable JSON', () => {
  it('invalid JSON reports the position', () => {
    const err = decodeError(() => decodeTracesJson('{"resourceSpans": [ {"resource": } ]}'));
    expect(err.message).toMatch(/^invalid JSON: .*position 33/);
    expect(decodeError(() => decodeLogsJson('')).message).toMatch(/^invalid JSON/);
    expect(decodeError(() => decodeTracesJson('{"resourceSpans": [')).message).toMatch(/^invalid JSON/);
  });

  it('a body that is not an object is refused', () => {
    for (const text of ['[]', '"x"', '42', 'null', 'true']) {
      expect(decodeError(() => decodeTracesJson(text)).message).toMatch(/must be a JSON object/);
    }
  });

  it('wrong field types are named by their path', () => {
    const cases: [string, string][] = [
      [jsonRequest((s) => (s.name = 5)), 'resourceSpans[0].scopeSpans[0].spans[0].name: not a string'],
      [jsonRequest((s) => (s.startTimeUnixNano = 'soon')), 'resourceSpans[0].scopeSpans[0].spans[0].startTimeUnixNano: not an integer'],
      [jsonRequest((s) => (s.endTimeUnixNano = 1.5)), 'resourceSpans[0].scopeSpans[0].spans[0].endTimeUnixNano: not an integer'],
      [jsonRequest((s) => (s.startTimeUnixNano = '-1')), 'resourceSpans[0].scopeSpans[0].spans[0].startTimeUnixNano: out of range for an unsigned 64-bit integer'],
      [jsonRequest((s) => (s.startTimeUnixNano = '18446744073709551616')), 'resourceSpans[0].scopeSpans[0].spans[0].startTimeUnixNano: out of range for an unsigned 64-bit integer'],
      [jsonRequest((s) => (s.traceId = 'not-hex!')), 'resourceSpans[0].scopeSpans[0].spans[0].traceId: not a hex-encoded id'],
      [jsonRequest((s) => (s.kind = 'SPAN_KIND_WHATEVER')), 'resourceSpans[0].scopeSpans[0].spans[0].kind: unknown enum value "SPAN_KIND_WHATEVER"'],
      [jsonRequest((s) => (s.attributes = { a: 1 })), 'resourceSpans[0].scopeSpans[0].spans[0].attributes: not an array'],
      [
        jsonRequest((s) => (s.attributes = [{ key: 'a', value: { intValue: '9223372036854775808' } }])),
        'resourceSpans[0].scopeSpans[0].spans[0].attributes[0].value.intValue: out of range for a 64-bit integer',
      ],
      [
        jsonRequest((s) => (s.attributes = [{ key: 'a', value: { boolValue: 'yes' } }])),
        'resourceSpans[0].scopeSpans[0].spans[0].attributes[0].value.boolValue: not a boolean',
      ],
      [
        jsonRequest((s) => (s.attributes = [{ key: 'a', value: { bytesValue: '!!!' } }])),
        'resourceSpans[0].scopeSpans[0].spans[0].attributes[0].value.bytesValue: not base64',
      ],
      [
        jsonRequest((s) => (s.events = [{ timeUnixNano: '1', attributes: [{ key: 'k', value: { arrayValue: { values: [{ doubleValue: 'x' }] } } }] }])),
        'resourceSpans[0].scopeSpans[0].spans[0].events[0].attributes[0].value.arrayValue.values[0].doubleValue: not a number',
      ],
      [jsonRequest((s) => (s.status = { code: true })), 'resourceSpans[0].scopeSpans[0].spans[0].status.code: not an integer'],
      ['{"resourceSpans": {}}', 'resourceSpans: not an array'],
      ['{"resourceSpans": [{"resource": [], "scopeSpans": []}]}', 'resourceSpans[0].resource: not an object'],
      ['{"resourceSpans": [{"scopeSpans": [{"scope": {"name": 1}}]}]}', 'resourceSpans[0].scopeSpans[0].scope.name: not a string'],
    ];
    for (const [text, message] of cases) {
      expect(decodeError(() => decodeTracesJson(text)).message).toBe(message);
    }
  });

  it('wrong types in logs are named too', () => {
    const text = JSON.stringify({ resourceLogs: [{ scopeLogs: [{ logRecords: [{ severityNumber: 'LOUD' }] }] }] });
    expect(decodeError(() => decodeLogsJson(text)).message).toBe(
      'resourceLogs[0].scopeLogs[0].logRecords[0].severityNumber: unknown enum value "LOUD"',
    );
  });
});

describe('individually invalid spans are rejected, the rest kept', () => {
  const bad: [Partial<SpanRecord>, RegExp][] = [
    [{ traceId: '0af7651916cd43dd8448eb211c8031' }, /trace id must be 16 bytes, got 15/],
    [{ traceId: '' }, /trace id must be 16 bytes, got 0/],
    [{ traceId: '0'.repeat(32) }, /trace id is all zeros/],
    [{ spanId: 'b7ad6b71692033' }, /span id must be 8 bytes, got 7/],
    [{ spanId: '0'.repeat(16) }, /span id is all zeros/],
    [{ parentSpanId: 'b7ad6b71' }, /parent span id must be empty or 8 bytes, got 4/],
    [{ startTimeUnixNano: 2000n, endTimeUnixNano: 1000n }, /end time 1000 is before start time 2000/],
  ];
  const spans = [fullSpan({ spanId: '1111111111111111' }), ...bad.map(([o]) => fullSpan(o)), fullSpan({ spanId: '2222222222222222', parentSpanId: '' })];

  for (const [format, decode] of [
    ['protobuf', () => decodeTracesProtobuf(encodeTracesProtobuf(spans))],
    ['json', () => decodeTracesJson(JSON.stringify(encodeTracesJson(spans)))],
  ] as const) {
    it(format, () => {
      const d = decode();
      expect(d.spans.map((s) => s.spanId)).toEqual(['1111111111111111', '2222222222222222']);
      expect(d.rejected).toBe(bad.length);
      expect(d.rejectReasons).toHaveLength(5);
      d.rejectReasons.forEach((reason, i) => {
        expect(reason).toMatch(/^resourceSpans\[0\]\.scopeSpans\[0\]\.spans\[\d+\]: /);
        expect(reason).toMatch(bad[i]![1]);
      });
    });
  }

  it('log records: ids may be empty or zero, but present ids need the right length', () => {
    const logs = [
      fullLog(),
      fullLog({ traceId: '', spanId: '' }),
      fullLog({ traceId: '0af7651916cd43dd8448eb211c8031' }),
      fullLog({ spanId: 'b7ad6b71692033' }),
    ];
    const d = decodeLogsProtobuf(encodeLogsProtobuf(logs));
    expect(d.logs).toHaveLength(2);
    expect(d.rejected).toBe(2);
    expect(d.rejectReasons[0]).toMatch(/logRecords\[2\]: trace id must be empty or 16 bytes, got 15/);
    expect(d.rejectReasons[1]).toMatch(/logRecords\[3\]: span id must be empty or 8 bytes, got 7/);
    const zeros = JSON.stringify({ resourceLogs: [{ scopeLogs: [{ logRecords: [{ traceId: '0'.repeat(32), spanId: '0'.repeat(16), body: { stringValue: 'x' } }] }] }] });
    const z = decodeLogsJson(zeros);
    expect(z.rejected).toBe(0);
    expect(z.logs[0]).toMatchObject({ traceId: '', spanId: '', body: { type: 'string', value: 'x' } });
  });
});

describe('empty requests', () => {
  it('decode to nothing without error', () => {
    for (const d of [decodeTracesProtobuf(new Uint8Array(0)), decodeTracesJson('{}'), decodeTracesJson('{"resourceSpans":[]}'), decodeTracesJson('{"resourceSpans":null}')]) {
      expect(d).toEqual({ spans: [], rejected: 0, rejectReasons: [] });
    }
    for (const d of [decodeLogsProtobuf(new Uint8Array(0)), decodeLogsJson('{}'), decodeLogsJson('{"resourceLogs":[{"scopeLogs":[]}]}')]) {
      expect(d).toEqual({ logs: [], rejected: 0, rejectReasons: [] });
    }
    expect(encodeTracesProtobuf([])).toHaveLength(0);
  });
});
