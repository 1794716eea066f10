/**
 * The OTLP .proto definitions (apps/tracehub/proto), loaded with protobufjs on
 * first use. Only the encoders use them; decoding is hand-written for speed
 * (pb-*.ts). Path: src/otlp or dist/otlp → ../../proto.
 */
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import protobuf from 'protobufjs';

export const PROTO_DIR = fileURLToPath(new URL('../../proto/', import.meta.url));

const FILES = [
  'opentelemetry/proto/collector/trace/v1/trace_service.proto',
  'opentelemetry/proto/collector/logs/v1/logs_service.proto',
  'google/rpc/status.proto',
];

export interface OtlpTypes {
  ExportTraceServiceRequest: protobuf.Type;
  ExportTraceServiceResponse: protobuf.Type;
  ExportLogsServiceRequest: protobuf.Type;
  ExportLogsServiceResponse: protobuf.Type;
  Status: protobuf.Type;
}

let types: OtlpTypes | undefined;

export function otlpTypes(): OtlpTypes {
  if (types) return types;
  const root = new protobuf.Root();
  // Imports are written relative to the proto root, as in opentelemetry-proto.
  root.resolvePath = (_origin, target) => (path.isAbsolute(target) ? target : path.join(PROTO_DIR, target));
  root.loadSync(FILES, { keepCase: false });
  root.resolveAll();
  types = {
    ExportTraceServiceRequest: root.lookupType('opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest'),
    ExportTraceServiceResponse: root.lookupType('opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse'),
    ExportLogsServiceRequest: root.lookupType('opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest'),
    ExportLogsServiceResponse: root.lookupType('opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse'),
    Status: root.lookupType('google.rpc.Status'),
  };
  return types;
}
