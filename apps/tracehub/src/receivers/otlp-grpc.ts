/**
 * OTLP/gRPC receiver: TraceService/Export and LogsService/Export (MetricsService
 * answers and drops). Messages stay raw bytes through grpc-js and go through the
 * same decoders as OTLP/HTTP protobuf.
 */
import * as grpc from '@grpc/grpc-js';
import { UNAUTHORIZED_MESSAGE, authorized } from '../auth.js';
import { QueueFullError, ShuttingDownError } from '../ingest/pipeline.js';
import {
  OtlpDecodeError,
  decodeLogsProtobuf,
  decodeTracesProtobuf,
  encodeExportLogsResponse,
  encodeExportTraceResponse,
} from '../otlp/index.js';
import { type Ingest, partialOf } from './ingest.js';

const raw = (b: Buffer) => b;

function method(path: string): grpc.MethodDefinition<Buffer, Buffer> {
  return {
    path,
    requestStream: false,
    responseStream: false,
    requestSerialize: raw,
    requestDeserialize: raw,
    responseSerialize: raw,
    responseDeserialize: raw,
  };
}

function toServiceError(err: unknown): Partial<grpc.ServiceError> {
  if (err instanceof OtlpDecodeError) return { code: grpc.status.INVALID_ARGUMENT, details: err.message };
  if (err instanceof QueueFullError || err instanceof ShuttingDownError) return { code: grpc.status.UNAVAILABLE, details: err.message };
  return { code: grpc.status.UNAVAILABLE, details: `could not store the data: ${(err as Error).message}` };
}

function toBuffer(x: string | Uint8Array): Buffer {
  return typeof x === 'string' ? Buffer.from(x) : Buffer.from(x.buffer, x.byteOffset, x.byteLength);
}

export interface OtlpGrpcServer {
  port: number;
  close(): Promise<void>;
}

export async function startOtlpGrpc(
  ingest: Ingest,
  host: string,
  port: number,
  maxMessageBytes: number,
  /** When set, calls must carry metadata `authorization: Bearer <token>`. */
  token: string | null = null,
): Promise<OtlpGrpcServer> {
  const server = new grpc.Server({
    'grpc.max_receive_message_length': maxMessageBytes,
    'grpc.max_send_message_length': 4 * 1024 * 1024,
  });

  /** A unary Export handler over raw bytes; errors become gRPC statuses. */
  const unary =
    (work: (req: Buffer) => Promise<string | Uint8Array>) =>
    (call: grpc.ServerUnaryCall<Buffer, Buffer>, cb: grpc.sendUnaryData<Buffer>) => {
      if (token !== null) {
        const auth = call.metadata.get('authorization').map(String);
        if (!authorized(token, { authorization: auth[0] })) {
          cb({ code: grpc.status.UNAUTHENTICATED, details: UNAUTHORIZED_MESSAGE });
          return;
        }
      }
      work(call.request).then(
        (res) => cb(null, toBuffer(res)),
        (err) => cb(toServiceError(err)),
      );
    };

  server.addService(
    { Export: method('/opentelemetry.proto.collector.trace.v1.TraceService/Export') },
    {
      Export: unary(async (req) => {
        ingest.admit();
        const decoded = decodeTracesProtobuf(req);
        await ingest.traces(decoded, req);
        return encodeExportTraceResponse('protobuf', partialOf(decoded));
      }),
    },
  );
  server.addService(
    { Export: method('/opentelemetry.proto.collector.logs.v1.LogsService/Export') },
    {
      Export: unary(async (req) => {
        ingest.admit();
        const decoded = decodeLogsProtobuf(req);
        await ingest.logs(decoded, req);
        return encodeExportLogsResponse('protobuf', partialOf(decoded));
      }),
    },
  );
  server.addService(
    { Export: method('/opentelemetry.proto.collector.metrics.v1.MetricsService/Export') },
    { Export: (_call: grpc.ServerUnaryCall<Buffer, Buffer>, cb: grpc.sendUnaryData<Buffer>) => cb(null, Buffer.alloc(0)) },
  );

  const bound = await new Promise<number>((resolve, reject) =>
    server.bindAsync(`${host}:${port}`, grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
  );
  return {
    port: bound,
    close: () =>
      new Promise<void>((resolve) => {
        const t = setTimeout(() => {
          server.forceShutdown();
          resolve();
        }, 5000);
        server.tryShutdown(() => {
          clearTimeout(t);
          resolve();
        });
      }),
  };
}
