/**
 * Export responses and error bodies, in the content type of the request.
 * Full success: an empty ExportXServiceResponse (`{}` in JSON, zero bytes in
 * protobuf); partialSuccess only when something was rejected.
 */
import { otlpTypes } from './schema.js';

export type OtlpFormat = 'protobuf' | 'json';

export interface PartialSuccess {
  rejected: number;
  message: string;
}

function exportResponse(
  format: OtlpFormat,
  kind: 'traces' | 'logs',
  partial?: PartialSuccess,
): Uint8Array | string {
  const rejectedField = kind === 'traces' ? 'rejectedSpans' : 'rejectedLogRecords';
  const body: Record<string, unknown> = {};
  if (partial && partial.rejected > 0) {
    const ps: Record<string, unknown> = { [rejectedField]: String(partial.rejected) };
    if (partial.message) ps.errorMessage = partial.message;
    body.partialSuccess = ps;
  }
  if (format === 'json') return JSON.stringify(body);
  const t = kind === 'traces' ? otlpTypes().ExportTraceServiceResponse : otlpTypes().ExportLogsServiceResponse;
  if (body.partialSuccess) {
    const ps = body.partialSuccess as Record<string, unknown>;
    ps[rejectedField] = { low: partial!.rejected >>> 0, high: Math.floor(partial!.rejected / 4294967296), unsigned: false };
  }
  return t.encode(body).finish();
}

export function encodeExportTraceResponse(format: OtlpFormat, partial?: PartialSuccess): Uint8Array | string {
  return exportResponse(format, 'traces', partial);
}

export function encodeExportLogsResponse(format: OtlpFormat, partial?: PartialSuccess): Uint8Array | string {
  return exportResponse(format, 'logs', partial);
}

/** google.rpc.Status { code = 1; message = 2; details = 3 }: the OTLP/HTTP error body. */
export function encodeStatus(format: OtlpFormat, code: number, message: string): Uint8Array | string {
  if (format === 'json') return JSON.stringify({ code, message });
  return otlpTypes().Status.encode({ code, message }).finish();
}
