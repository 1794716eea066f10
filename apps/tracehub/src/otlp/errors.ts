/**
 * The one error the OTLP decoders throw for a body they cannot decode. Receivers
 * turn it into 400 / INVALID_ARGUMENT with `message` as the reason.
 *
 * `field` is the path of the offending field (e.g.
 * `resourceSpans[0].scopeSpans[1].spans[3].startTimeUnixNano`). The decoders
 * build it on the way out of the recursion (see `withPath`), so the hot path
 * never formats strings.
 */
export class OtlpDecodeError extends Error {
  override name = 'OtlpDecodeError';
  field: string;
  reason: string;

  constructor(reason: string, field = '') {
    super(field ? `${field}: ${reason}` : reason);
    this.reason = reason;
    this.field = field;
  }
}

/**
 * Re-throws `err` with `segment` prepended to its field path. `segment` is a
 * field name (`spans`) or an index (`[3]`); non-OtlpDecodeError errors
 * (RangeError from a truncated buffer, stack overflow) become OtlpDecodeErrors.
 */
export function withPath(err: unknown, segment: string): Error {
  if (err instanceof NeedLossless) return err;
  const e = err instanceof OtlpDecodeError ? err : toDecodeError(err);
  const joined = !e.field ? segment : e.field.startsWith('[') ? segment + e.field : `${segment}.${e.field}`;
  const out = new OtlpDecodeError(e.reason, joined);
  return out;
}

export function toDecodeError(err: unknown): OtlpDecodeError {
  if (err instanceof OtlpDecodeError) return err;
  if (err instanceof RangeError && /call stack/i.test(err.message)) return new OtlpDecodeError('values nested too deeply');
  if (err instanceof RangeError) return new OtlpDecodeError(`truncated or corrupt protobuf (${err.message})`);
  if (err instanceof Error) return new OtlpDecodeError(err.message);
  return new OtlpDecodeError(String(err));
}

/** Collects the reasons of individually rejected items, keeping only the first few. */
export class Rejections {
  count = 0;
  reasons: string[] = [];
  static readonly MAX_REASONS = 5;

  add(reason: string): void {
    this.count++;
    if (this.reasons.length < Rejections.MAX_REASONS) this.reasons.push(reason);
  }
}

/**
 * Internal signal of the JSON decoder: JSON.parse rounded an int64 (a JS number
 * beyond 2^53), so the text must be parsed again with lossless-json.
 */
export class NeedLossless extends Error {
  static readonly instance = new NeedLossless('JSON number beyond 2^53 needs a lossless parse');
}
