/** Export responses and google.rpc.Status bodies in both encodings. */
import { describe, expect, it } from 'vitest';
import { encodeExportLogsResponse, encodeExportTraceResponse, encodeStatus } from '../../src/otlp/index.js';
import { otlpTypes } from '../../src/otlp/schema.js';

describe('export responses', () => {
  it('full success is {} / zero bytes', () => {
    expect(encodeExportTraceResponse('json')).toBe('{}');
    expect(encodeExportTraceResponse('json', { rejected: 0, message: 'nothing' })).toBe('{}');
    expect(encodeExportTraceResponse('protobuf')).toHaveLength(0);
    expect(encodeExportLogsResponse('json')).toBe('{}');
    expect(encodeExportLogsResponse('protobuf')).toHaveLength(0);
  });

  it('partial success carries the rejected count as an int64 and the message', () => {
    const partial = { rejected: 3, message: 'spans[1]: trace id is all zeros' };
    expect(JSON.parse(encodeExportTraceResponse('json', partial) as string)).toEqual({
      partialSuccess: { rejectedSpans: '3', errorMessage: 'spans[1]: trace id is all zeros' },
    });
    expect(JSON.parse(encodeExportLogsResponse('json', partial) as string)).toEqual({
      partialSuccess: { rejectedLogRecords: '3', errorMessage: 'spans[1]: trace id is all zeros' },
    });
    const t = otlpTypes();
    const pb = t.ExportTraceServiceResponse.toObject(t.ExportTraceServiceResponse.decode(encodeExportTraceResponse('protobuf', partial) as Uint8Array), { longs: String });
    expect(pb).toEqual({ partialSuccess: { rejectedSpans: '3', errorMessage: partial.message } });
    const pbLogs = t.ExportLogsServiceResponse.toObject(t.ExportLogsServiceResponse.decode(encodeExportLogsResponse('protobuf', { rejected: 5_000_000_000, message: '' }) as Uint8Array), { longs: String });
    expect(pbLogs).toEqual({ partialSuccess: { rejectedLogRecords: '5000000000' } });
  });
});

describe('google.rpc.Status', () => {
  it('encodes code and message', () => {
    expect(JSON.parse(encodeStatus('json', 3, 'invalid JSON at position 17') as string)).toEqual({ code: 3, message: 'invalid JSON at position 17' });
    const bytes = encodeStatus('protobuf', 3, 'bad body') as Uint8Array;
    // code = field 1 varint, message = field 2 string
    expect(Buffer.from(bytes)).toEqual(Buffer.concat([Buffer.from([0x08, 0x03, 0x12, 0x08]), Buffer.from('bad body')]));
    expect(otlpTypes().Status.toObject(otlpTypes().Status.decode(bytes))).toEqual({ code: 3, message: 'bad body' });
  });
});
