/**
 * Id and span validity rules shared by the protobuf and JSON decoders. Ids are
 * handled as lower-case hex from the moment they are decoded; the rules are the
 * spec's (opentelemetry-proto trace.proto): a trace id is 16 bytes, a span id
 * 8 bytes, neither may be all zeros; a parent span id is empty or 8 bytes.
 */

const ZERO_TRACE_ID = '0'.repeat(32);
const ZERO_SPAN_ID = '0'.repeat(16);

function idProblem(what: string, hex: string, bytes: number, zero: string): string | null {
  if (hex.length !== bytes * 2) return `${what} must be ${bytes} bytes, got ${hex.length / 2}`;
  if (hex === zero) return `${what} is all zeros`;
  return null;
}

/** Why a span must be rejected, or null when it is valid. */
export function spanProblem(
  traceId: string,
  spanId: string,
  parentSpanId: string,
  start: bigint,
  end: bigint,
): string | null {
  return (
    idProblem('trace id', traceId, 16, ZERO_TRACE_ID) ??
    idProblem('span id', spanId, 8, ZERO_SPAN_ID) ??
    (parentSpanId !== '' && parentSpanId.length !== 16
      ? `parent span id must be empty or 8 bytes, got ${parentSpanId.length / 2}`
      : null) ??
    (end < start ? `end time ${end} is before start time ${start}` : null)
  );
}

/**
 * Log records need not belong to a trace: empty ids are fine and all-zero ids
 * (what some SDKs send outside a span) are treated as empty. Present ids must
 * have the right length. Returns the reason, or null.
 */
export function logIdProblem(traceId: string, spanId: string): string | null {
  if (traceId !== '' && traceId.length !== 32) return `trace id must be empty or 16 bytes, got ${traceId.length / 2}`;
  if (spanId !== '' && spanId.length !== 16) return `span id must be empty or 8 bytes, got ${spanId.length / 2}`;
  return null;
}

export function normalizeLogTraceId(hex: string): string {
  return hex === ZERO_TRACE_ID ? '' : hex;
}
export function normalizeLogSpanId(hex: string): string {
  return hex === ZERO_SPAN_ID ? '' : hex;
}

const HEX_RE = /^(?:[0-9a-fA-F]{2})*$/;

/** Lower-cases an OTLP/JSON hex id; null when it is not an even-length hex string. */
export function normalizeHexId(s: string): string | null {
  if (!HEX_RE.test(s)) return null;
  return s.toLowerCase();
}
