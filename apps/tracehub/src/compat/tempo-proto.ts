/**
 * tempopb.TraceByIDResponse on the wire. Its field 1 is a tempopb.Trace,
 * whose only field (1, repeated ResourceSpans) is wire-identical to OTLP
 * TracesData; so the OTLP codec's TracesData bytes are the Trace message, and
 * the response is those bytes framed as field 1. Fields 2-4 (metrics, status
 * COMPLETE, message) are left at their defaults, which proto3 omits.
 */

function varint(n: number): number[] {
  const out: number[] = [];
  let v = n;
  while (v > 0x7f) {
    out.push((v & 0x7f) | 0x80);
    v = Math.floor(v / 128);
  }
  out.push(v);
  return out;
}

/** Frames `traceBytes` (a serialised Trace/TracesData) as TraceByIDResponse field 1. */
export function wrapTraceByIdResponse(traceBytes: Uint8Array): Uint8Array {
  const header = [0x0a, ...varint(traceBytes.length)]; // tag: field 1, wire type 2 (length-delimited)
  const out = new Uint8Array(header.length + traceBytes.length);
  out.set(header, 0);
  out.set(traceBytes, header.length);
  return out;
}
