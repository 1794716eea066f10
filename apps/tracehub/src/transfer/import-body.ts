/**
 * What POST /api/v1/import accepts, told apart by content: one OTLP/JSON
 * ExportTraceServiceRequest, OTLP/JSON lines (one request per line, as
 * GET /api/v1/export writes), or Jaeger JSON. Pure: text → DecodedTraces;
 * OtlpDecodeError (→ 400) naming what is wrong, with the line for JSON lines.
 */
import { parse as losslessParse, isSafeNumber, LosslessNumber } from 'lossless-json';
import type { DecodedTraces } from '../model.js';
import { OtlpDecodeError, Rejections, toDecodeError } from '../otlp/errors.js';
import { decodeTracesJson } from '../otlp/index.js';
import { decodeJaegerTraces, looksLikeJaeger } from './jaeger-import.js';

export type ImportFormat = 'otlp-json' | 'otlp-jsonl' | 'jaeger-json';

export interface DecodedImport extends DecodedTraces {
  format: ImportFormat;
}

const SHAPE =
  'expected an OTLP/JSON ExportTraceServiceRequest ({"resourceSpans": [...]}), OTLP/JSON lines (one such object per line), ' +
  'or Jaeger JSON ({"data": [{"traceID", "spans", "processes"}]})';

function parseJson(text: string): unknown {
  try {
    // Numbers beyond 2^53 stay exact (LosslessNumber); the rest are plain numbers.
    return losslessParse(text, null, (s) => (isSafeNumber(s) ? Number(s) : new LosslessNumber(s)));
  } catch (err) {
    if (err instanceof RangeError) throw new OtlpDecodeError('invalid JSON: nested too deeply');
    throw new OtlpDecodeError(`invalid JSON: ${(err as Error).message}`);
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof LosslessNumber);

/** One JSON document: OTLP or Jaeger, by its shape. */
function decodeDocument(text: string, doc: unknown): { decoded: DecodedTraces; format: 'otlp-json' | 'jaeger-json' } {
  if (isObject(doc) && ('resourceSpans' in doc || 'resource_spans' in doc)) return { decoded: decodeTracesJson(text), format: 'otlp-json' };
  if (looksLikeJaeger(doc)) {
    try {
      return { decoded: decodeJaegerTraces(doc), format: 'jaeger-json' };
    } catch (err) {
      throw toDecodeError(err);
    }
  }
  throw new OtlpDecodeError(`not a trace file: ${SHAPE}`);
}

export function decodeImport(text: string): DecodedImport {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.trim() === '') throw new OtlpDecodeError(`the body is empty: ${SHAPE}`);
  const lines = text.split('\n').map((l) => l.trim()).filter((l) => l !== '');
  let whole: unknown;
  let wholeError: OtlpDecodeError | null = null;
  try {
    whole = parseJson(text);
  } catch (err) {
    wholeError = err as OtlpDecodeError;
  }
  if (wholeError === null) {
    const { decoded, format } = decodeDocument(text, whole);
    return { ...decoded, format };
  }
  if (lines.length < 2) throw wholeError;
  // JSON lines: each line one ExportTraceServiceRequest.
  const out: DecodedImport = { spans: [], rejected: 0, rejectReasons: [], format: 'otlp-jsonl' };
  const rej = new Rejections();
  lines.forEach((line, i) => {
    try {
      const doc = parseJson(line);
      if (!isObject(doc) || !('resourceSpans' in doc || 'resource_spans' in doc)) {
        throw new OtlpDecodeError('not an OTLP/JSON ExportTraceServiceRequest ({"resourceSpans": [...]})');
      }
      const d = decodeTracesJson(line);
      out.spans.push(...d.spans);
      out.rejected += d.rejected;
      for (const r of d.rejectReasons) rej.add(`line ${i + 1}: ${r}`);
    } catch (err) {
      throw new OtlpDecodeError(`line ${i + 1}: ${(err as Error).message}`);
    }
  });
  out.rejectReasons = rej.reasons;
  return out;
}
