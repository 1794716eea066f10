import { describe, expect, it } from 'vitest';
import { encodeTracesJson } from '../../src/otlp/index.js';
import { decodeImport } from '../../src/transfer/import-body.js';
import { fullSpan } from '../otlp/value-fixtures.js';

const span = fullSpan({ endTimeUnixNano: 1544712660900000000n });
const otlp = JSON.stringify(encodeTracesJson([span]));

describe('decodeImport', () => {
  it('tells OTLP/JSON, OTLP/JSON lines and Jaeger JSON apart by content', () => {
    const one = decodeImport(otlp);
    expect(one.format).toBe('otlp-json');
    expect(one.spans).toHaveLength(1);
    expect(one.spans[0]!.attributes.find((a) => a.key === 'int.max')!.value).toEqual({ type: 'int', value: '9223372036854775807' });
    // Pretty-printed over many lines is still one document.
    expect(decodeImport(JSON.stringify(JSON.parse(otlp), null, 2)).format).toBe('otlp-json');
    const other = JSON.stringify(encodeTracesJson([fullSpan({ spanId: '1111111111111111', endTimeUnixNano: 1544712660900000000n })]));
    const lines = decodeImport(`\uFEFF${otlp}\n\n${other}\n`);
    expect(lines.format).toBe('otlp-jsonl');
    expect(lines.spans.map((s) => s.spanId)).toEqual(['b7ad6b7169203331', '1111111111111111']);
    const jaeger = decodeImport(JSON.stringify({ data: [{ traceID: 'ab', spans: [{ spanID: 'cd', operationName: 'x', startTime: 1, duration: 2, processID: 'p' }], processes: { p: { serviceName: 's' } } }] }));
    expect(jaeger.format).toBe('jaeger-json');
    expect(jaeger.spans[0]!.name).toBe('x');
  });

  it('keeps int64 tags beyond 2^53 exact in Jaeger JSON', () => {
    const doc = `{"data":[{"traceID":"ab","spans":[{"spanID":"cd","startTime":1,"duration":2,"processID":"p","tags":[{"key":"big","type":"int64","value":9007199254740993}]}],"processes":{"p":{"serviceName":"s"}}}]}`;
    expect(decodeImport(doc).spans[0]!.attributes).toEqual([{ key: 'big', value: { type: 'int', value: '9007199254740993' } }]);
  });

  it('says what is wrong: empty, not JSON, wrong shape, the bad line', () => {
    expect(() => decodeImport('  \n')).toThrow(/^the body is empty: expected an OTLP\/JSON ExportTraceServiceRequest/);
    expect(() => decodeImport('{"resourceSpans": [')).toThrow(/^invalid JSON: /);
    expect(() => decodeImport('[1, 2]')).toThrow(/^not a trace file: expected/);
    expect(() => decodeImport(`${otlp}\n{"resourceSpans": 5}`)).toThrow('line 2: resourceSpans: not an array');
    expect(() => decodeImport(`${otlp}\nnope`)).toThrow(/^line 2: invalid JSON: /);
  });
});
