/**
 * Runs an OTLP/JSON converter over the text, choosing the parser: JSON.parse
 * first (native and several times faster), lossless-json when JSON.parse
 * rounded a 64-bit integer (the converter throws NeedLossless) or when the text
 * is not valid JSON (lossless-json's messages give the position).
 */
import { parse as losslessParse } from 'lossless-json';
import { NeedLossless, OtlpDecodeError, toDecodeError } from './errors.js';
import type { JsonObject } from './json-values.js';

function parseLossless(text: string): unknown {
  try {
    return losslessParse(text);
  } catch (err) {
    if (err instanceof RangeError) throw new OtlpDecodeError('invalid JSON: nested too deeply');
    throw new OtlpDecodeError(`invalid JSON: ${(err as Error).message}`);
  }
}

function rootObject(doc: unknown): JsonObject {
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
    throw new OtlpDecodeError('invalid OTLP/JSON: the body must be a JSON object');
  }
  return doc as JsonObject;
}

export function decodeJsonWith<T>(text: string, convert: (root: JsonObject) => T): T {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1); // a UTF-8 BOM some clients send
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (parseErr) {
    doc = parseLossless(text); // throws the positioned error
    // Both parsers disagree only on exotic input; trust the stricter one.
    throw new OtlpDecodeError(`invalid JSON: ${(parseErr as Error).message}`);
  }
  try {
    return convert(rootObject(doc));
  } catch (err) {
    if (!(err instanceof NeedLossless)) throw toDecodeError(err);
  }
  try {
    return convert(rootObject(parseLossless(text)));
  } catch (err) {
    throw toDecodeError(err);
  }
}
