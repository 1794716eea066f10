/**
 * OTLP/HTTP receiver: POST /v1/traces, /v1/logs, /v1/metrics with protobuf or
 * JSON bodies, optionally gzip. Answers follow the OTLP spec: 200 with an
 * Export*ServiceResponse (partialSuccess for rejected records), otherwise a
 * google.rpc.Status in the request's encoding.
 */
import { UNAUTHORIZED_MESSAGE, authorized } from '../auth.js';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { DecodedLogs, DecodedTraces } from '../model.js';
import { QueueFullError, ShuttingDownError } from '../ingest/pipeline.js';
import {
  OtlpDecodeError,
  decodeLogsJson,
  decodeLogsProtobuf,
  decodeTracesJson,
  decodeTracesProtobuf,
  encodeExportLogsResponse,
  encodeExportTraceResponse,
  encodeStatus,
} from '../otlp/index.js';
import { BodyEncodingError, decompressBody } from './decompress.js';
import { type Ingest, partialOf } from './ingest.js';

type Format = 'protobuf' | 'json';

/** google.rpc.Code values used here. */
const RpcCode = { INVALID_ARGUMENT: 3, RESOURCE_EXHAUSTED: 8, UNAVAILABLE: 14, UNIMPLEMENTED: 12, INTERNAL: 13, UNAUTHENTICATED: 16 } as const;

export interface OtlpHttpOptions {
  /** Largest body accepted, after decompression. */
  maxBodyBytes: number;
  /** Origins allowed to POST from a browser (CORS); empty: none. */
  corsOrigins: string[];
  /** Where refused exports are logged (warn). */
  logger: FastifyBaseLogger;
  /** When set, exports must carry `Authorization: Bearer <token>` (401 UNAUTHENTICATED otherwise). */
  token?: string | null;
}

function formatOf(contentType: string | undefined): Format | null {
  const media = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (media === 'application/x-protobuf' || media === 'application/protobuf') return 'protobuf';
  if (media === 'application/json') return 'json';
  return null;
}

class HttpFailure extends Error {
  constructor(
    readonly status: number,
    readonly rpcCode: number,
    message: string,
    readonly retryAfter?: number,
  ) {
    super(message);
  }
}

function sendStatus(reply: FastifyReply, format: Format, f: HttpFailure): FastifyReply {
  if (f.retryAfter !== undefined) reply.header('retry-after', String(f.retryAfter));
  const body = encodeStatus(format, f.rpcCode, f.message);
  return reply
    .code(f.status)
    .type(format === 'json' ? 'application/json' : 'application/x-protobuf')
    .send(typeof body === 'string' ? body : Buffer.from(body));
}

async function decompress(req: FastifyRequest, body: Buffer, max: number): Promise<Buffer> {
  try {
    return await decompressBody(req.headers['content-encoding'], body, max);
  } catch (err) {
    if (err instanceof BodyEncodingError) throw new HttpFailure(err.status, RpcCode.INVALID_ARGUMENT, err.message);
    throw err;
  }
}

function toFailure(err: unknown): HttpFailure {
  if (err instanceof HttpFailure) return err;
  if (err instanceof OtlpDecodeError) return new HttpFailure(400, RpcCode.INVALID_ARGUMENT, err.message);
  if (err instanceof QueueFullError) return new HttpFailure(429, RpcCode.UNAVAILABLE, err.message, err.retryAfterSeconds);
  if (err instanceof ShuttingDownError) return new HttpFailure(503, RpcCode.UNAVAILABLE, err.message, 5);
  return new HttpFailure(503, RpcCode.UNAVAILABLE, `could not store the data: ${(err as Error).message}`, 5);
}

export function buildOtlpHttpApp(ingest: Ingest, opts: OtlpHttpOptions): FastifyInstance {
  const app: FastifyInstance = Fastify({ loggerInstance: opts.logger, bodyLimit: opts.maxBodyBytes, return503OnClosing: true });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));

  // Exact origins, or `scheme://host:*` for any port of that host.
  const exact = new Set(opts.corsOrigins.filter((o) => !o.endsWith(':*')));
  const anyPort = opts.corsOrigins.filter((o) => o.endsWith(':*')).map((o) => o.slice(0, -1));
  const allowed = { has: (o: string) => exact.has(o) || anyPort.some((p) => o.startsWith(p) && /^\d+$/.test(o.slice(p.length))) };
  app.addHook('onRequest', async (req, reply) => {
    const origin = req.headers.origin;
    if (origin && allowed.has(origin)) {
      reply.header('access-control-allow-origin', origin);
      reply.header('vary', 'Origin');
    }
  });
  const token = opts.token ?? null;
  if (token !== null) {
    app.addHook('onRequest', async (req, reply) => {
      // CORS preflights carry no credentials and no data.
      if (req.method === 'OPTIONS' || authorized(token, req.headers)) return;
      reply.header('www-authenticate', 'Bearer realm="tracehub"');
      return sendStatus(reply, formatOf(req.headers['content-type']) ?? 'json', new HttpFailure(401, RpcCode.UNAUTHENTICATED, UNAUTHORIZED_MESSAGE));
    });
  }
  app.options('/v1/:signal', async (req, reply) => {
    const origin = req.headers.origin;
    if (!origin || !allowed.has(origin)) return reply.code(403).send({ code: 7, message: `origin ${origin ?? '(none)'} is not allowed` });
    return reply
      .code(204)
      .header('access-control-allow-methods', 'POST')
      .header('access-control-allow-headers', 'content-type, content-encoding, authorization')
      .header('access-control-max-age', '600')
      .send();
  });

  async function handle(
    req: FastifyRequest,
    reply: FastifyReply,
    work: (body: Buffer, format: Format) => Promise<string | Uint8Array>,
    admit?: () => void,
  ): Promise<FastifyReply> {
    const format = formatOf(req.headers['content-type']);
    if (!format) {
      return sendStatus(
        reply,
        'json',
        new HttpFailure(415, RpcCode.INVALID_ARGUMENT, `unsupported Content-Type "${req.headers['content-type'] ?? ''}": use application/x-protobuf or application/json`),
      );
    }
    try {
      admit?.();
      const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const body = await decompress(req, raw, opts.maxBodyBytes);
      const answer = await work(body, format);
      return reply
        .code(200)
        .type(format === 'json' ? 'application/json' : 'application/x-protobuf')
        .send(typeof answer === 'string' ? answer : Buffer.from(answer));
    } catch (err) {
      const f = toFailure(err);
      if (f.status >= 500) req.log.warn({ err }, 'export refused');
      return sendStatus(reply, format, f);
    }
  }

  app.post('/v1/traces', (req, reply) =>
    handle(req, reply, async (body, format) => {
      const decoded: DecodedTraces = format === 'json' ? decodeTracesJson(body.toString('utf8')) : decodeTracesProtobuf(body);
      await ingest.traces(decoded, format === 'protobuf' ? body : null);
      return encodeExportTraceResponse(format, partialOf(decoded));
    }, ingest.admit),
  );

  app.post('/v1/logs', (req, reply) =>
    handle(req, reply, async (body, format) => {
      const decoded: DecodedLogs = format === 'json' ? decodeLogsJson(body.toString('utf8')) : decodeLogsProtobuf(body);
      await ingest.logs(decoded, format === 'protobuf' ? body : null);
      return encodeExportLogsResponse(format, partialOf(decoded));
    }, ingest.admit),
  );

  // Metrics are accepted and dropped for now (apps/tracehub/README.md says so): an empty ExportMetricsServiceResponse.
  app.post('/v1/metrics', (req, reply) => handle(req, reply, async (_body, format) => (format === 'json' ? '{}' : new Uint8Array(0))));

  app.setNotFoundHandler((req, reply) =>
    sendStatus(reply, formatOf(req.headers['content-type']) ?? 'json', new HttpFailure(404, RpcCode.UNIMPLEMENTED, `no OTLP endpoint at ${req.method} ${req.url}; use POST /v1/traces, /v1/logs or /v1/metrics`)),
  );

  app.setErrorHandler((err: { code?: string; statusCode?: number; message: string }, req, reply) => {
    const format = formatOf(req.headers['content-type']) ?? 'json';
    if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return sendStatus(reply, format, new HttpFailure(413, RpcCode.INVALID_ARGUMENT, `request body exceeds ${opts.maxBodyBytes} bytes`));
    }
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 400;
    return sendStatus(reply, format, new HttpFailure(status, RpcCode.INVALID_ARGUMENT, err.message));
  });

  return app;
}
