/**
 * tracehub's OTLP codec: pure functions between OTLP request bodies
 * (protobuf and JSON, traces and logs) and the model in ../model.ts. No I/O.
 */
export { OtlpDecodeError } from './errors.js';
export { decodeTracesProtobuf } from './pb-traces.js';
export { decodeLogsProtobuf } from './pb-logs.js';
export { decodeTracesJson } from './json-traces.js';
export { decodeLogsJson } from './json-logs.js';
export { encodeTracesProtobuf, encodeLogsProtobuf } from './encode-protobuf.js';
export { encodeTracesJson, encodeLogsJson, jsonAnyValue, jsonAttributes } from './encode-json.js';
export {
  type OtlpFormat,
  type PartialSuccess,
  encodeExportTraceResponse,
  encodeExportLogsResponse,
  encodeStatus,
} from './responses.js';
export { PROTO_DIR } from './schema.js';
