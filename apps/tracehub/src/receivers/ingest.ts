/**
 * What the receivers hand decoded exports to: the pipeline (durable store),
 * then, once acknowledged, the optional forwarder.
 */
import type { DecodedLogs, DecodedTraces } from '../model.js';
import type { IngestPipeline } from '../ingest/pipeline.js';
import { encodeLogsProtobuf, encodeTracesProtobuf } from '../otlp/index.js';

export interface Ingest {
  /** Throws QueueFullError (or ShuttingDownError) when an export of the usual size would be refused: asked before decoding. */
  admit(): void;
  /** Resolves once the spans are durably stored. `protobuf` is the original request body, when there is one. */
  traces(decoded: DecodedTraces, protobuf: Uint8Array | null): Promise<void>;
  logs(decoded: DecodedLogs, protobuf: Uint8Array | null): Promise<void>;
}

/** The partialSuccess of an export answer: set only when some records were rejected. */
export function partialOf(d: { rejected: number; rejectReasons: string[] }): { rejected: number; message: string } | undefined {
  return d.rejected > 0 ? { rejected: d.rejected, message: d.rejectReasons.join('; ') } : undefined;
}

export interface ForwardSink {
  enqueue(signal: 'traces' | 'logs', body: Uint8Array, count: number): void;
}

export function createIngest(pipeline: IngestPipeline, forward?: ForwardSink): Ingest {
  return {
    admit: () => pipeline.admit(),
    async traces(decoded, protobuf) {
      await pipeline.submit(decoded.spans, []);
      if (forward && decoded.spans.length > 0) {
        forward.enqueue('traces', protobuf && decoded.rejected === 0 ? protobuf : encodeTracesProtobuf(decoded.spans), decoded.spans.length);
      }
    },
    async logs(decoded, protobuf) {
      await pipeline.submit([], decoded.logs);
      if (forward && decoded.logs.length > 0) {
        forward.enqueue('logs', protobuf && decoded.rejected === 0 ? protobuf : encodeLogsProtobuf(decoded.logs), decoded.logs.length);
      }
    },
  };
}
