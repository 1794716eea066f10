/**
 * The error catalogue of tracehub's HTTP APIs: every error a client can see
 * has a code, an HTTP status and a message that says what to do. Mapped to
 * responses in one place (toApiError).
 */
import { BadParameterError, BadTraceIdError } from './api/params.js';
import { StoreClosedError } from './store/store.js';
import { TraceQLError, UnsupportedTraceQLError } from './traceql/errors.js';

export const ErrorCodes = {
  INVALID_PARAMETER: { status: 400, doc: 'A query parameter or path segment is malformed; the message names it.' },
  INVALID_TRACE_ID: { status: 400, doc: 'The trace id is not 1 to 32 hex digits.' },
  INVALID_TRACEQL: { status: 400, doc: 'The TraceQL query is not valid (syntax or type error), or is a metrics query sent to a search endpoint; the message names the problem and its position.' },
  UNSUPPORTED_TRACEQL: { status: 400, doc: 'The TraceQL query is valid but the endpoint cannot run it (kept for callers of compileTraceQL, the one-SQL-predicate subset; the search and analyze endpoints take all of TraceQL).' },
  TRACE_NOT_FOUND: { status: 404, doc: 'No span of that trace is stored (never received, or removed by retention).' },
  SPAN_NOT_FOUND: { status: 404, doc: 'The trace has no span with that id (e.g. ?root= of trace by id).' },
  NOT_FOUND: { status: 404, doc: 'No such route.' },
  BASELINE_EMPTY: { status: 404, doc: 'Compare with baseline=auto found no other trace with the same root service and operation in the window; widen it (window=) or compare with one trace (b=).' },
  UNAUTHORIZED: { status: 401, doc: 'This tracehub requires its access token (Bearer, basic auth password or the login cookie).' },
  NOT_READY: { status: 503, doc: 'The store is opening or closing; retry shortly.' },
  INVALID_BODY: { status: 400, doc: 'The request body cannot be decoded (not JSON, not a trace file, a malformed field); the message names what is wrong.' },
  BODY_TOO_LARGE: { status: 413, doc: 'The request body is larger than the limit (--max-body).' },
  UNSUPPORTED_ENCODING: { status: 415, doc: 'The body has a Content-Encoding other than gzip, deflate or none.' },
  INGEST_BUSY: { status: 429, doc: 'The ingest queue is full; retry after the Retry-After seconds.' },
  INGEST_UNAVAILABLE: { status: 503, doc: 'The spans could not be stored (shutting down or a store failure); retry.' },
  OFFLINE_UI_MISSING: { status: 503, doc: 'The offline HTML bundle of the UI is not built: run `npm run build`.' },
} as const;
export type ErrorCode = keyof typeof ErrorCodes;

export class ApiError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.status = ErrorCodes[code].status;
  }
}

/** Maps anything thrown by a handler to an ApiError, or null for a genuine bug. */
export function toApiError(err: unknown): ApiError | null {
  if (err instanceof ApiError) return err;
  if (err instanceof BadParameterError) {
    return new ApiError(err instanceof BadTraceIdError ? 'INVALID_TRACE_ID' : 'INVALID_PARAMETER', err.message);
  }
  if (err instanceof StoreClosedError) return new ApiError('NOT_READY', err.message);
  // UnsupportedTraceQLError extends TraceQLError: the narrower type first.
  if (err instanceof UnsupportedTraceQLError) return new ApiError('UNSUPPORTED_TRACEQL', err.message);
  if (err instanceof TraceQLError) return new ApiError('INVALID_TRACEQL', `invalid TraceQL: ${err.message}`);
  return null;
}
