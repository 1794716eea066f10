/**
 * Seeded mutation fuzzing: whatever bytes arrive, the decoders either return a
 * result or throw OtlpDecodeError; nothing else escapes (a receiver maps the
 * error to 400, anything else would be a 500 or a crash).
 */
import { describe, expect, it } from 'vitest';
import {
  OtlpDecodeError,
  decodeLogsJson,
  decodeLogsProtobuf,
  decodeTracesJson,
  decodeTracesProtobuf,
  encodeLogsJson,
  encodeLogsProtobuf,
  encodeTracesJson,
  encodeTracesProtobuf,
} from '../../src/otlp/index.js';
import { fullLog, fullSpan } from './value-fixtures.js';

/** mulberry32: small deterministic PRNG so failures reproduce. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function mutate(src: Uint8Array, rand: () => number): Uint8Array {
  const out = Buffer.from(src);
  const edits = 1 + Math.floor(rand() * 4);
  for (let e = 0; e < edits; e++) {
    const at = Math.floor(rand() * out.length);
    const op = rand();
    if (op < 0.6) out[at] = Math.floor(rand() * 256);
    else if (op < 0.8) out[at] = out[at]! ^ (1 << Math.floor(rand() * 8));
    else return out.subarray(0, at);
  }
  return out;
}

function outcome(fn: () => unknown): 'ok' | 'decode-error' {
  try {
    fn();
    return 'ok';
  } catch (err) {
    if (err instanceof OtlpDecodeError) return 'decode-error';
    throw err;
  }
}

describe('mutated inputs', () => {
  it('protobuf traces and logs: 3000 mutations each', () => {
    const rand = rng(20240611);
    const traces = encodeTracesProtobuf([fullSpan(), fullSpan({ spanId: '1234567812345678' })]);
    const logs = encodeLogsProtobuf([fullLog()]);
    const seen = new Set<string>();
    for (let i = 0; i < 3000; i++) {
      seen.add(outcome(() => decodeTracesProtobuf(mutate(traces, rand))));
      seen.add(outcome(() => decodeLogsProtobuf(mutate(logs, rand))));
    }
    // Both outcomes occur, so the fuzzer exercises the error paths and the success paths.
    expect([...seen].sort()).toEqual(['decode-error', 'ok']);
  });

  it('JSON traces and logs: 2000 mutations each', () => {
    const rand = rng(7);
    const traces = Buffer.from(JSON.stringify(encodeTracesJson([fullSpan()])));
    const logs = Buffer.from(JSON.stringify(encodeLogsJson([fullLog()])));
    const seen = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      seen.add(outcome(() => decodeTracesJson(Buffer.from(mutate(traces, rand)).toString('utf8'))));
      seen.add(outcome(() => decodeLogsJson(Buffer.from(mutate(logs, rand)).toString('utf8'))));
    }
    expect([...seen].sort()).toEqual(['decode-error', 'ok']);
  });
});
