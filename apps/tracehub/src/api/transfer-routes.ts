/**
 * Sharing traces (README "Sharing a trace"): export one trace as OTLP/JSON or
 * as an offline HTML file, export a search's traces as OTLP/JSON lines, and
 * import OTLP/JSON, OTLP/JSON lines or Jaeger JSON through the receivers'
 * ingest path (answered after the spans are durably stored).
 */
import type * as wire from '@tracelab/api-contract';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from '../errors.js';
import { explainTrace } from '../explain/index.js';
import { QueueFullError, ShuttingDownError } from '../ingest/pipeline.js';
import { OtlpDecodeError, encodeTracesJson } from '../otlp/index.js';
import { BodyEncodingError, decompressBody } from '../receivers/decompress.js';
import type { Ingest } from '../receivers/ingest.js';
import type { TraceReader } from '../store/types.js';
import { decodeImport } from '../transfer/import-body.js';
import { type OfflineBundle, offlineHtml } from '../transfer/offline-html.js';
import { parseEnum, parseTraceId, type Query, single } from './params.js';
import { logJson, traceDetailJson } from './present.js';
import { parseTraceSearch } from './routes.js';

export interface TransferDeps {
  reader: TraceReader;
  ingest: Ingest;
  /** Largest import body (the receivers' --max-body). */
  maxBodyBytes: number;
  /** The UI's dist; the offline bundle is in its offline/ folder. */
  uiDir: string | null;
}

/** The offline bundle, re-read when the UI is rebuilt. */
function offlineBundleLoader(uiDir: string | null): () => OfflineBundle {
  let cached: { stamp: string; bundle: OfflineBundle } | null = null;
  return () => {
    const dir = uiDir ? path.join(uiDir, 'offline') : null;
    try {
      if (!dir) throw new Error('no UI dist');
      const js = path.join(dir, 'offline.js');
      const css = path.join(dir, 'offline.css');
      const stamp = `${statSync(js).mtimeMs}:${statSync(css).mtimeMs}`;
      if (cached?.stamp !== stamp) cached = { stamp, bundle: { js: readFileSync(js, 'utf8'), css: readFileSync(css, 'utf8') } };
      return cached.bundle;
    } catch {
      throw new ApiError('OFFLINE_UI_MISSING', `the offline UI bundle is not built (${dir ?? 'no UI dist'}): run \`npm run build\` at the repository root`);
    }
  };
}

const ENCODING_ERRORS = { 400: 'INVALID_BODY', 413: 'BODY_TOO_LARGE', 415: 'UNSUPPORTED_ENCODING' } as const;

const attachment = (reply: FastifyReply, name: string) => reply.header('content-disposition', `attachment; filename="${name}"`);

export function registerTransferApi(app: FastifyInstance, deps: TransferDeps): void {
  const { reader, ingest } = deps;
  const offlineBundle = offlineBundleLoader(deps.uiDir);

  app.get('/api/v1/traces/:traceId/export', async (req: FastifyRequest<{ Params: { traceId: string } }>, reply) => {
    const q = req.query as Query;
    const format = parseEnum(single(q, 'format'), 'format', ['json', 'html'] as const) ?? 'json';
    const traceId = parseTraceId(req.params.traceId);
    const spans = await reader.getTrace(traceId);
    if (!spans) throw new ApiError('TRACE_NOT_FOUND', `trace ${traceId} not found`);
    if (format === 'json') {
      return attachment(reply, `trace-${traceId}.json`).type('application/json').send(JSON.stringify(encodeTracesJson(spans)));
    }
    const bundle = offlineBundle();
    const trace = traceDetailJson(spans);
    const html = offlineHtml(
      bundle,
      {
        trace,
        explain: explainTrace(spans),
        logs: { logs: (await reader.logs(traceId)).map(logJson) },
        exportedAt: new Date().toISOString(),
        source: `${req.protocol}://${req.host}`,
      },
      `trace ${traceId}: ${trace.rootService} ${trace.rootName}`,
    );
    return attachment(reply, `trace-${traceId}.html`).type('text/html; charset=utf-8').send(html);
  });

  app.get('/api/v1/export', async (req, reply) => {
    const results = await reader.searchTraces(parseTraceSearch(req.query as Query));
    const lines: string[] = [];
    for (const r of results) {
      const spans = await reader.getTrace(r.summary.traceId);
      if (spans && spans.length > 0) lines.push(JSON.stringify(encodeTracesJson(spans)));
    }
    return attachment(reply, 'traces.jsonl').type('application/x-ndjson').send(lines.map((l) => `${l}\n`).join(''));
  });

  // Its own context: the body arrives raw (JSON.parse would round int64s) and may be as large as an OTLP export.
  void app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: deps.maxBodyBytes }, (_req, body, done) => done(null, body));
    scope.setErrorHandler((err: Error & { code?: string }) => {
      // Thrown on to the API's error handler, which answers in the API's shape.
      if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') throw new ApiError('BODY_TOO_LARGE', `the file is larger than the import limit of ${deps.maxBodyBytes} bytes (--max-body)`);
      throw err;
    });
    scope.post('/api/v1/import', { bodyLimit: deps.maxBodyBytes }, async (req, reply) => {
      const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      let decoded;
      try {
        decoded = decodeImport((await decompressBody(req.headers['content-encoding'], raw, deps.maxBodyBytes)).toString('utf8'));
      } catch (err) {
        if (err instanceof OtlpDecodeError) throw new ApiError('INVALID_BODY', err.message);
        if (err instanceof BodyEncodingError) throw new ApiError(ENCODING_ERRORS[err.status], err.message);
        throw err;
      }
      if (decoded.spans.length === 0) {
        throw new ApiError(
          'INVALID_BODY',
          decoded.rejected > 0 ? `every span was rejected (${decoded.rejected}): ${decoded.rejectReasons.join('; ')}` : 'the file holds no spans',
        );
      }
      try {
        await ingest.traces(decoded, null);
      } catch (err) {
        if (err instanceof QueueFullError) {
          reply.header('retry-after', String(err.retryAfterSeconds));
          throw new ApiError('INGEST_BUSY', err.message);
        }
        if (err instanceof ShuttingDownError) throw new ApiError('INGEST_UNAVAILABLE', err.message);
        throw new ApiError('INGEST_UNAVAILABLE', `could not store the spans: ${(err as Error).message}`);
      }
      const traces = [...new Set(decoded.spans.map((s) => s.traceId))];
      const answer: wire.ImportResult = {
        format: decoded.format,
        traces,
        spans: decoded.spans.length,
        rejected: decoded.rejected,
      };
      if (decoded.rejected > 0) answer.message = decoded.rejectReasons.join('; ');
      return answer;
    });
  });
}
