import { context, type Span } from '@opentelemetry/api';
import { getRPCMetadata, RPCType } from '@opentelemetry/core';

/**
 * The HTTP SERVER span of the request being handled. Inside a step span
 * (`check-stock`, ...) the active span is that step, while `traceresponse` and
 * request-level attributes need the SERVER span; the http instrumentation puts
 * it in the request's context as RPC metadata, which every span started in the
 * request inherits. undefined outside a traced request.
 */
export function serverSpan(): Span | undefined {
  const meta = getRPCMetadata(context.active());
  return meta?.type === RPCType.HTTP ? meta.span : undefined;
}
