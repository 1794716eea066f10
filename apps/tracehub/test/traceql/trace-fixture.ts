// Small in-memory traces (SpanRecord[]) for the pure evaluator tests.
//
//  trace t1 (production)                                   trace t2             trace t3 (staging)
//  r1 GET /api/orders  frontend server 100ms  200          h2 GET /health 5ms   r3 GET /api/orders frontend ERROR 503 300ms
//  ├─ db SELECT        frontend client 20ms ERROR          (200)                └─ c3 GetProduct productcatalogservice 200ms
//  │     event exception (+5ms) message "something went wrong"
//  ├─ pay POST /pay    payment  client 50ms ERROR 500, tags ["a","b"], link → t9/l9
//  │  └─ ph process    payment  server 40ms ERROR bytes=600
//  │     └─ leaf charge payment internal 10ms ERROR bytes=500
//  └─ cache cache      frontend internal 1ms cache_hit=true
import type { AnyValue, Attribute, Resource, Scope, SpanRecord } from '../../src/model.js';

const MS = 1_000_000n;
const T0 = 1_760_000_000_000_000_000n;

function av(v: unknown): AnyValue {
  if (typeof v === 'string') return { type: 'string', value: v };
  if (typeof v === 'boolean') return { type: 'bool', value: v };
  if (typeof v === 'number') return Number.isInteger(v) ? { type: 'int', value: String(v) } : { type: 'double', value: v };
  if (Array.isArray(v)) return { type: 'array', value: v.map(av) };
  throw new Error(`fixture value ${String(v)}`);
}
const attrs = (o: Record<string, unknown> = {}): Attribute[] => Object.entries(o).map(([key, v]) => ({ key, value: av(v) }));

function resource(service: string, extra: Record<string, unknown> = {}): Resource {
  return { attributes: attrs({ 'service.name': service, ...extra }), droppedAttributesCount: 0, schemaUrl: '', serviceName: service };
}
const httpScope: Scope = { name: 'http', version: '1.0.0', attributes: attrs({ language: 'java' }), droppedAttributesCount: 0, schemaUrl: '' };
const dbScope: Scope = { name: 'pg', version: '2.1.0', attributes: [], droppedAttributesCount: 0, schemaUrl: '' };

const R_FRONT = resource('frontend', { 'deployment.environment': 'production' });
const R_PAY = resource('payment', { 'deployment.environment': 'production' });
const R_FRONT_STAGING = resource('frontend', { 'deployment.environment': 'staging' });
const R_CATALOG = resource('productcatalogservice', { 'deployment.environment': 'staging' });

interface Def {
  trace: string;
  id: string;
  parent?: string;
  name: string;
  kind: number;
  res: Resource;
  startMs: number;
  ms: number;
  status?: number;
  message?: string;
  attrs?: Record<string, unknown>;
  scope?: Scope;
  events?: { name: string; atMs: number; attrs?: Record<string, unknown> }[];
  links?: { traceId: string; spanId: string; attrs?: Record<string, unknown> }[];
}

function span(d: Def): SpanRecord {
  const start = T0 + BigInt(d.startMs) * MS;
  return {
    traceId: d.trace,
    spanId: d.id,
    parentSpanId: d.parent ?? '',
    traceState: '',
    flags: 0,
    name: d.name,
    kind: d.kind,
    startTimeUnixNano: start,
    endTimeUnixNano: start + BigInt(d.ms) * MS,
    attributes: attrs(d.attrs),
    droppedAttributesCount: 0,
    events: (d.events ?? []).map((e) => ({ timeUnixNano: start + BigInt(e.atMs) * MS, name: e.name, attributes: attrs(e.attrs), droppedAttributesCount: 0 })),
    droppedEventsCount: 0,
    links: (d.links ?? []).map((l) => ({ traceId: l.traceId, spanId: l.spanId, traceState: '', flags: 0, attributes: attrs(l.attrs), droppedAttributesCount: 0 })),
    droppedLinksCount: 0,
    statusCode: d.status ?? 0,
    statusMessage: d.message ?? '',
    resource: d.res,
    scope: d.scope ?? httpScope,
  };
}

export const T1: SpanRecord[] = [
  span({ trace: 't1', id: 'r1', name: 'GET /api/orders', kind: 2, res: R_FRONT, startMs: 0, ms: 100,
    attrs: { 'http.status_code': 200, 'http.method': 'GET' } }),
  span({ trace: 't1', id: 'db', parent: 'r1', name: 'SELECT', kind: 3, res: R_FRONT, startMs: 2, ms: 20, status: 2, scope: dbScope,
    attrs: { 'db.system': 'postgresql' }, events: [{ name: 'exception', atMs: 5, attrs: { 'exception.message': 'something went wrong' } }] }),
  span({ trace: 't1', id: 'pay', parent: 'r1', name: 'POST /pay', kind: 3, res: R_PAY, startMs: 30, ms: 50, status: 2,
    attrs: { 'http.status_code': 500, 'http.method': 'POST', tags: ['a', 'b'], timeout: 45 },
    links: [{ traceId: 't9', spanId: 'l9', attrs: { 'opentracing.ref_type': 'child_of' } }] }),
  span({ trace: 't1', id: 'ph', parent: 'pay', name: 'process', kind: 2, res: R_PAY, startMs: 32, ms: 40, status: 2, attrs: { bytesProcessed: 600 } }),
  span({ trace: 't1', id: 'leaf', parent: 'ph', name: 'charge', kind: 1, res: R_PAY, startMs: 40, ms: 10, status: 2, attrs: { bytesProcessed: 500 } }),
  span({ trace: 't1', id: 'cache', parent: 'r1', name: 'cache', kind: 1, res: R_FRONT, startMs: 90, ms: 1, attrs: { cache_hit: true } }),
];

export const T2: SpanRecord[] = [
  span({ trace: 't2', id: 'h2', name: 'GET /health', kind: 2, res: R_FRONT, startMs: 1000, ms: 5,
    attrs: { 'http.status_code': 200, 'attribute name with space': 'value' } }),
];

export const T3: SpanRecord[] = [
  span({ trace: 't3', id: 'r3', name: 'GET /api/orders', kind: 2, res: R_FRONT_STAGING, startMs: 2000, ms: 300, status: 2, message: 'boom',
    attrs: { 'http.status_code': 503, 'http.method': 'GET' } }),
  span({ trace: 't3', id: 'c3', parent: 'r3', name: 'GetProduct', kind: 2, res: R_CATALOG, startMs: 2010, ms: 200, attrs: { code: '404' } }),
];

export const TRACES = { t1: T1, t2: T2, t3: T3 };
