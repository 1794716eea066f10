/**
 * Reading what a span says about itself, by OpenTelemetry semantic
 * conventions only: status, `exception` events (exception.type/message),
 * error.type, http.response.status_code, db.* and server.* attributes.
 */
import type { ExplainAttribute, ExplainSpan } from './types.js';

export function attr(attrs: readonly ExplainAttribute[], key: string): unknown {
  for (const a of attrs) if (a.key === key) return a.value.value;
  return undefined;
}

export function attrString(span: ExplainSpan, key: string): string {
  const v = attr(span.attributes, key);
  return v === undefined || v === null ? '' : String(v);
}

export function attrNumber(span: ExplainSpan, key: string): number | undefined {
  const v = attr(span.attributes, key);
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  return Number.isFinite(n) ? n : undefined;
}

export const isError = (s: ExplainSpan) => s.status.code === 'error';
export const isClient = (s: ExplainSpan) => s.kind === 'client';
export const isServer = (s: ExplainSpan) => s.kind === 'server';

export interface ErrorInfo {
  /** exception.type, else error.type, else ''. */
  type: string;
  /** exception.message, else the status message, else ''. */
  message: string;
  httpStatus?: number;
}

/** The span's own account of its error. */
export function errorInfo(span: ExplainSpan): ErrorInfo {
  let type = '';
  let message = '';
  for (const e of span.events) {
    if (e.name !== 'exception') continue;
    type ||= String(attr(e.attributes, 'exception.type') ?? '');
    message ||= String(attr(e.attributes, 'exception.message') ?? '');
  }
  type ||= attrString(span, 'error.type');
  message ||= span.status.message;
  const httpStatus = attrNumber(span, 'http.response.status_code') ?? attrNumber(span, 'rpc.grpc.status_code');
  return httpStatus === undefined ? { type, message } : { type, message, httpStatus };
}

/** Everything a span says about its error, as one text to match signals against. */
function errorText(span: ExplainSpan): string {
  const { type, message } = errorInfo(span);
  return `${type} ${attrString(span, 'error.type')} ${message} ${span.status.message}`;
}

// The callee's side of a caller giving up: the caller closed, cancelled or aborted the request.
const CALLER_GAVE_UP =
  /\b(client|caller|peer|downstream|requester)[ _-]?(has |was )?(aborted|closed|cancell?ed|disconnected|went away|gone)\b|\bCLIENT_(ABORTED|CLOSED|CANCELL?ED)\b|client closed request|\b(aborted|cancell?ed) by (the )?(client|caller)\b/i;
const TIMED_OUT = /time[ _-]?out|timed[ _-]?out|deadline|ETIMEDOUT|ESOCKETTIMEDOUT|AbortError|\babort(ed)?\b/i;
const CANNOT_CONNECT =
  /ECONNREFUSED|ENOTFOUND|EHOSTUNREACH|ENETUNREACH|EAI_AGAIN|UND_ERR_CONNECT|connection refused|could not connect|connect(ion)? (failed|error)|failed to connect|name resolution|getaddrinfo|\bUNAVAILABLE\b/i;

/** An error that only reports that the caller gave up (e.g. "caller aborted", CLIENT_ABORTED): a consequence, never a cause. */
export function saysCallerGaveUp(span: ExplainSpan): boolean {
  return isError(span) && CALLER_GAVE_UP.test(errorText(span));
}

/** An ERROR span that says it stopped waiting: timeout, deadline, abort (and not that *its* caller gave up). */
export function saysTimedOut(span: ExplainSpan): boolean {
  return isError(span) && !saysCallerGaveUp(span) && TIMED_OUT.test(errorText(span));
}

/** An ERROR span that says it could not open a connection (refused, unknown host, unreachable network). */
export function saysCannotConnect(span: ExplainSpan): boolean {
  return isError(span) && CANNOT_CONNECT.test(errorText(span));
}

/** The short error code of a connection failure (ECONNREFUSED, …), else the error type. */
export function connectCode(span: ExplainSpan): string {
  const m = CANNOT_CONNECT.exec(errorText(span));
  const code = m && /^[A-Z_]+$/.test(m[0]) ? m[0] : '';
  return code || errorInfo(span).type;
}

/** Where a CLIENT span was going: server.address:server.port, else the URL's host, else ''. */
export function peerOf(span: ExplainSpan): string {
  const host = attrString(span, 'server.address') || attrString(span, 'net.peer.name');
  const port = attrString(span, 'server.port') || attrString(span, 'net.peer.port');
  if (host) return port ? `${host}:${port}` : host;
  const url = attrString(span, 'url.full') || attrString(span, 'http.url');
  // scheme://[user@]host[:port]/… (no URL class: the package runs in Node and browsers alike)
  return /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/?#]*@)?([^/?#]+)/i.exec(url)?.[1] ?? '';
}

/**
 * A timeout the span itself declares: an attribute whose key names a timeout
 * (…timeout_ms, …timeout.ms, …timeout in seconds when the key says so), else
 * "within|after N ms/s" in its error message. Milliseconds, or undefined.
 */
export function declaredTimeoutMs(span: ExplainSpan): number | undefined {
  for (const a of span.attributes) {
    if (!/time[_.-]?out/i.test(a.key)) continue;
    const n = attrNumber(span, a.key);
    if (n === undefined || n <= 0) continue;
    if (/(^|[_.])(s|sec|seconds)$/i.test(a.key)) return n * 1000;
    if (/(^|[_.])(us|micros)$/i.test(a.key)) return n / 1000;
    return n;
  }
  const m = /\b(?:within|after|of|exceeded)\s+(\d+(?:\.\d+)?)\s*(ms|s|seconds?|milliseconds?)\b/i.exec(errorInfo(span).message);
  if (!m) return undefined;
  return /^(ms|milli)/i.test(m[2]!) ? Number(m[1]) : Number(m[1]) * 1000;
}
