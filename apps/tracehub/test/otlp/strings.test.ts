/**
 * The protobuf decoder caches short strings (see pb-reader.ts); strings that
 * share length, head and tail, non-ASCII text and invalid UTF-8 must still
 * decode to exactly their own text.
 */
import { describe, expect, it } from 'vitest';
import { decodeTracesProtobuf, encodeTracesProtobuf } from '../../src/otlp/index.js';
import { fullSpan } from './value-fixtures.js';

describe('string decoding', () => {
  it('near-identical, non-ASCII and long strings each decode to themselves', () => {
    const values = [
      'aaaaaaaaaaaaaa-1-zzzzzzzzzzzzzz',
      'aaaaaaaaaaaaaa-2-zzzzzzzzzzzzzz',
      'aaaaaaaaaaaaaa-1-zzzzzzzzzzzzzz',
      'aaaaaaaaaaaaaaé-zzzzzzzzzzzzzz', // same byte length as above, non-ASCII
      'ünïcödé', 'GET', 'GET', 'x'.repeat(128), 'x'.repeat(129), 'y'.repeat(5000), '', '🚀',
    ];
    for (let round = 0; round < 3; round++) {
      const spans = values.map((v, i) =>
        fullSpan({ spanId: (i + 1).toString(16).padStart(16, '0'), name: v, attributes: [{ key: v, value: { type: 'string', value: v } }] }),
      );
      const decoded = decodeTracesProtobuf(encodeTracesProtobuf(spans)).spans;
      expect(decoded.map((s) => s.name)).toEqual(values);
      expect(decoded.map((s) => s.attributes[0]!.key)).toEqual(values);
    }
  });

  it('invalid UTF-8 becomes U+FFFD instead of failing the request', () => {
    const body = Buffer.from(encodeTracesProtobuf([fullSpan({ name: 'ab\u00ffcd', attributes: [] })]));
    // 'ab' + ÿ (0xc3 0xbf) + 'cd': break the 2-byte sequence into a lone continuation byte.
    const at = body.indexOf(Buffer.from([0x61, 0x62, 0xc3, 0xbf]));
    body[at + 2] = 0x80;
    body[at + 3] = 0x80;
    expect(decodeTracesProtobuf(body).spans[0]!.name).toBe('ab\ufffd\ufffdcd');
    // and the cache does not confuse it with a later valid string of the same length
    const again = decodeTracesProtobuf(encodeTracesProtobuf([fullSpan({ name: 'ab\u0080\u0080cd', attributes: [] })]));
    expect(again.spans[0]!.name).toBe('ab\u0080\u0080cd');
  });
});
