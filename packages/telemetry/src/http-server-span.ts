/**
 * The HTTP SERVER span of each incoming request, made by the bootstrap itself
 * rather than by @opentelemetry/instrumentation-http (which stays selectable:
 * TRACELAB_HTTP_SERVER_SPAN=instrumentation-http). Same span as that
 * instrumentation makes with OTEL_SEMCONV_STABILITY_OPT_IN=http: name
 * `{method}` (`{method} {route}` once the route is known), kind SERVER, the
 * stable HTTP attributes, the parent from the global propagator, RPC
 * metadata in the request's context (serverSpan(), setServerRoute()), ERROR
 * for a 5xx or a response error and never for a 4xx, and the request's
 * context active in the handler and in the request's and response's listeners.
 *
 * Why by hand (measured, bench/README "Tracing overhead"): per request it does
 * only what the span needs. Attributes are computed only for a sampled span,
 * the URL is parsed only when it has characters that parsing would change,
 * and there is no per-request metrics work, config lookups or hook plumbing.
 *
 * It wraps `emit` of http.Server.prototype and https.Server.prototype (the
 * place the 'request' event leaves Node), so it needs no module loader hook.
 */
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import https from 'node:https';
import { errorMonitor } from 'node:events';
import {
  context,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type MeterProvider,
  type Span,
  type Tracer,
  type TracerProvider,
} from '@opentelemetry/api';
import { RPCType, setRPCMetadata, suppressTracing, type RPCMetadata } from '@opentelemetry/core';
import type { Instrumentation, InstrumentationConfig } from '@opentelemetry/instrumentation';
import forwardedParse from 'forwarded-parse';

const KNOWN_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', 'PATCH', 'QUERY']);
/** Query parameters whose values never reach a span (the http instrumentation's default list). */
const REDACTED_QUERY_PARAMS = ['sig', 'Signature', 'AWSAccessKeyId', 'X-Goog-Signature'];
const REDACTED = 'REDACTED';
/** A query that URLSearchParams serialises back unchanged: name=value pairs of unreserved characters. */
const PLAIN_QUERY = /^[A-Za-z0-9*\-._]+=[A-Za-z0-9*\-._]*(?:&[A-Za-z0-9*\-._]+=[A-Za-z0-9*\-._]*)*$/;
/** A path that WHATWG URL parsing keeps as it is: no dot segments, escapes, backslashes or non-ASCII. */
const PLAIN_PATH = /^\/(?:[A-Za-z0-9\-_~!$&'()*+,;=:@]+\/?)*$/;

type RequestLike = Pick<IncomingMessage, 'method' | 'url' | 'headers' | 'httpVersion'> & {
  socket: { remoteAddress?: string; remotePort?: number };
};

function firstString(value: string | string[] | undefined): string | undefined {
  return typeof value === 'string' ? value : Array.isArray(value) ? value[0] : undefined;
}

function forwardedEntries(header: string): Array<{ host?: string; proto?: string; for?: string }> {
  try {
    return forwardedParse(header);
  } catch {
    return [];
  }
}

/** server.address / server.port from a Host-style value (HTTP semconv's rules, as the http instrumentation reads them). */
function parseHost(host: string, proto?: string): { host: string; port?: string } | null {
  const parts = host.split(':');
  const defaultPort = proto === 'http' ? '80' : proto === 'https' ? '443' : undefined;
  if (parts.length === 1) return defaultPort ? { host: parts[0]!, port: defaultPort } : { host: parts[0]! };
  if (parts.length === 2) return { host: parts[0]!, port: parts[1] };
  if (parts[0]!.startsWith('[')) {
    if (parts[parts.length - 1]!.endsWith(']')) {
      if (defaultPort) return { host, port: defaultPort };
    } else if (parts[parts.length - 2]!.endsWith(']')) {
      return { host: parts.slice(0, -1).join(':'), port: parts[parts.length - 1] };
    }
  }
  return { host };
}

function serverAddress(req: RequestLike, scheme: string): { host: string; port?: string } | null {
  const { headers } = req;
  if (headers.forwarded) {
    for (const entry of forwardedEntries(headers.forwarded)) if (entry.host) return parseHost(entry.host, entry.proto);
  }
  const xHost = headers['x-forwarded-host'] as string | string[] | undefined;
  const xProto = firstString(headers['x-forwarded-proto'] as string | string[] | undefined);
  if (typeof xHost === 'string') return parseHost(xHost, xProto);
  if (Array.isArray(xHost) && typeof xHost[0] === 'string' && xHost[0].length > 0) return parseHost(xHost[0], xProto);
  const host = headers.host;
  return typeof host === 'string' && host.length > 0 ? parseHost(host, scheme) : null;
}

function withoutPort(address: string): string {
  try {
    const { hostname } = new URL(`http://${address}`);
    return hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
  } catch {
    return address;
  }
}

function clientAddress(req: RequestLike): string | undefined {
  const { headers } = req;
  if (headers.forwarded) {
    for (const entry of forwardedEntries(headers.forwarded)) if (entry.for) return withoutPort(entry.for);
  }
  const xFor = headers['x-forwarded-for'] ? firstString(headers['x-forwarded-for']) : undefined;
  if (typeof xFor === 'string') return withoutPort(xFor.split(',')[0]!.trim());
  return req.socket.remoteAddress || undefined;
}

function redactedQuery(search: string): string {
  const params = new URLSearchParams(search);
  for (const name of REDACTED_QUERY_PARAMS) if (params.has(name)) params.set(name, REDACTED);
  return params.toString();
}

/** url.path and url.query (without `?`) as WHATWG URL parsing and URLSearchParams give them. */
function pathAndQuery(target: string, scheme: string, host: string | undefined): { path?: string; query?: string } {
  const q = target.indexOf('?');
  const rawPath = q >= 0 ? target.slice(0, q) : target;
  const rawQuery = q >= 0 ? target.slice(q + 1) : '';
  const plainQuery = rawQuery === '' || (PLAIN_QUERY.test(rawQuery) && !REDACTED_QUERY_PARAMS.some((n) => rawQuery.includes(n)));
  if (PLAIN_PATH.test(rawPath) && plainQuery && !target.includes('#')) return rawQuery ? { path: rawPath, query: rawQuery } : { path: rawPath };
  let url: URL;
  try {
    url = new URL(target, `${scheme}://${host ? host : 'localhost'}`);
  } catch {
    return {};
  }
  return url.search ? { path: url.pathname, query: redactedQuery(url.search.slice(1)) } : { path: url.pathname };
}

/**
 * The SERVER span's attributes at the start of a request: the stable HTTP
 * semantic conventions, the same keys and values as instrumentation-http 0.223
 * sets. Pure; exported for its test.
 */
export function serverRequestAttributes(req: RequestLike, scheme: 'http' | 'https'): Attributes {
  const method = req.method;
  const upper = method == null ? 'GET' : method.toUpperCase();
  const normalized = method == null ? 'GET' : KNOWN_METHODS.has(upper) ? upper : '_OTHER';
  const server = serverAddress(req, scheme);
  const attributes: Attributes = { 'http.request.method': normalized, 'url.scheme': scheme };
  if (server?.host !== undefined) attributes['server.address'] = server.host;
  const { remoteAddress, remotePort } = req.socket;
  if (remoteAddress !== undefined) attributes['network.peer.address'] = remoteAddress;
  if (remotePort !== undefined) attributes['network.peer.port'] = remotePort;
  if (req.httpVersion !== undefined) attributes['network.protocol.version'] = req.httpVersion;
  const userAgent = req.headers['user-agent'];
  if (userAgent !== undefined) attributes['user_agent.original'] = userAgent;
  const { path, query } = pathAndQuery(req.url ?? '/', scheme, req.headers.host);
  if (path !== undefined) attributes['url.path'] = path;
  if (query) attributes['url.query'] = query;
  const client = clientAddress(req);
  if (client != null) attributes['client.address'] = client;
  if (server?.port != null) attributes['server.port'] = Number(server.port);
  if (method != null && method !== normalized) attributes['http.request.method_original'] = method;
  return attributes;
}

function pathOf(url: string | undefined): string {
  if (!url) return '';
  const q = url.indexOf('?');
  return q >= 0 ? url.slice(0, q) : url;
}

function recordError(span: Span, err: unknown): void {
  const e = err instanceof Error ? err : new Error(String(err));
  span.setAttribute('error.type', e.name);
  span.setStatus({ code: SpanStatusCode.ERROR, message: e.message });
  span.recordException(e);
}

type Emit = (this: http.Server, event: string | symbol, ...args: unknown[]) => boolean;

export interface HttpServerSpansConfig extends InstrumentationConfig {
  /** URL paths whose requests make no span, and whose handlers make none either (tracing suppressed). */
  ignorePaths?: Iterable<string>;
}

/**
 * The SERVER span as an Instrumentation, so NodeSDK gives it its tracer
 * provider and enables and disables it like the others.
 */
export class HttpServerSpans implements Instrumentation<HttpServerSpansConfig> {
  readonly instrumentationName = '@tracelab/telemetry/http-server';
  readonly instrumentationVersion = '0.1.0';
  private config: HttpServerSpansConfig;
  private ignore: Set<string>;
  private tracer: Tracer = trace.getTracer('@tracelab/telemetry');
  private originals: Array<{ proto: { emit: Emit }; own: boolean; emit: Emit }> = [];

  constructor(config: HttpServerSpansConfig = {}) {
    this.config = { ...config, enabled: false };
    this.ignore = new Set(config.ignorePaths ?? []);
    if (config.enabled !== false) this.enable();
  }

  setTracerProvider(provider: TracerProvider): void {
    // The same scope as the services' step spans: one scope per exported batch.
    this.tracer = provider.getTracer('@tracelab/telemetry');
  }
  setMeterProvider(_provider: MeterProvider): void {}
  setConfig(config: HttpServerSpansConfig): void {
    this.config = { ...config, enabled: this.config.enabled };
    this.ignore = new Set(config.ignorePaths ?? []);
  }
  getConfig(): HttpServerSpansConfig {
    return this.config;
  }

  enable(): void {
    if (this.config.enabled) return;
    this.config.enabled = true;
    for (const [proto, scheme] of [
      [http.Server.prototype, 'http'],
      [https.Server.prototype, 'https'],
    ] as const) {
      const target = proto as unknown as { emit: Emit };
      const original = target.emit;
      this.originals.push({ proto: target, own: Object.prototype.hasOwnProperty.call(target, 'emit'), emit: original });
      target.emit = this.wrap(original, scheme);
    }
  }

  disable(): void {
    if (!this.config.enabled) return;
    this.config.enabled = false;
    for (const { proto, own, emit } of this.originals) {
      if (own) proto.emit = emit;
      else delete (proto as { emit?: Emit }).emit;
    }
    this.originals = [];
  }

  private wrap(original: Emit, scheme: 'http' | 'https'): Emit {
    const self = this;
    return function emit(this: http.Server, event: string | symbol) {
      // eslint-disable-next-line prefer-rest-params
      if (event !== 'request') return Reflect.apply(original, this, arguments) as boolean;
      // eslint-disable-next-line prefer-rest-params
      return self.request(original, this, arguments, scheme);
    };
  }

  private request(original: Emit, server: http.Server, args: IArguments, scheme: 'http' | 'https'): boolean {
    const req = args[1] as IncomingMessage;
    const res = args[2] as ServerResponse;
    if (this.ignore.has(pathOf(req.url))) {
      const quiet = suppressTracing(context.active());
      context.bind(quiet, req);
      context.bind(quiet, res);
      return context.with(quiet, () => Reflect.apply(original, server, args) as boolean);
    }
    const parent = propagation.extract(ROOT_CONTEXT, req.headers);
    const span = this.tracer.startSpan(req.method || 'GET', { kind: SpanKind.SERVER }, parent);
    const meta: RPCMetadata = { type: RPCType.HTTP, span };
    const ctx = setRPCMetadata(trace.setSpan(parent, span), meta);
    const recording = span.isRecording();
    // Ends the span once, whichever comes first: the response's close, its error, or a throwing handler.
    let done = !recording;
    const fail = (err: unknown) => {
      if (done) return;
      done = true;
      recordError(span, err);
      span.end();
    };
    if (recording) {
      // No sampler configured from the environment reads attributes, so an unsampled request computes none.
      span.setAttributes(serverRequestAttributes(req, scheme));
      // Added before the emitters are bound: these need no context, so they are not wrapped.
      res.on('close', () => {
        if (done) return;
        done = true;
        const status = res.statusCode;
        const attributes: Attributes = { 'http.response.status_code': status };
        if (meta.route !== undefined) {
          attributes['http.route'] = meta.route;
          span.updateName(`${req.method || 'GET'} ${meta.route}`);
        }
        span.setAttributes(attributes);
        if (!(status >= 100 && status < 500)) span.setStatus({ code: SpanStatusCode.ERROR });
        span.end();
      });
      res.on(errorMonitor, fail);
    }
    // The handler's listeners (body parsing, onResponse hooks, their logs) run in the request's context.
    // (Binding only the request, or only a request with a body, measured no cheaper: bench/README.)
    context.bind(ctx, req);
    context.bind(ctx, res);
    return context.with(ctx, () => {
      try {
        return Reflect.apply(original, server, args) as boolean;
      } catch (err) {
        fail(err);
        throw err;
      }
    });
  }
}
