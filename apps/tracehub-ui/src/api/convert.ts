// The boundary between the wire JSON and the UI's domain types: every
// response is checked here, so the components can trust the shapes they get.
import type {
  AnyValue,
  Attribute,
  AttributeAnalysis,
  AttributeKey,
  LogRecord,
  Operation,
  SpanData,
  SpanKind,
  StatusCode,
  TraceDetail,
  TraceSummary,
} from '../lib/types';
import type { MapEdge, MapEdgeKind, MapNode, MapNodeKind, ServiceMap } from '../lib/serviceMap';

export class WireFormatError extends Error {
  constructor(path: string, expected: string) {
    super(`Unexpected response from tracehub: ${path} should be ${expected}. Is the UI newer or older than the server?`);
    this.name = 'WireFormatError';
  }
}

type Obj = Record<string, unknown>;

function obj(v: unknown, path: string, parent?: string): Obj {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    throw new WireFormatError(parent === undefined ? path : `${parent}.${path}`, 'an object');
  }
  return v as Obj;
}
function arr(v: unknown, path: string, parent?: string): unknown[] {
  if (!Array.isArray(v)) throw new WireFormatError(parent === undefined ? path : `${parent}.${path}`, 'an array');
  return v;
}
function str(o: Obj, k: string, path: string): string {
  const v = o[k];
  if (typeof v !== 'string') throw new WireFormatError(`${path}.${k}`, 'a string');
  return v;
}
function strOrNull(o: Obj, k: string, path: string): string | null {
  const v = o[k];
  if (v === null || v === undefined) return null;
  if (typeof v !== 'string') throw new WireFormatError(`${path}.${k}`, 'a string or null');
  return v;
}
function num(o: Obj, k: string, path: string): number {
  const v = o[k];
  if (typeof v !== 'number') throw new WireFormatError(`${path}.${k}`, 'a number');
  return v;
}
function optNum(o: Obj, k: string, path: string): number {
  const v = o[k];
  if (v === undefined) return 0;
  if (typeof v !== 'number') throw new WireFormatError(`${path}.${k}`, 'a number');
  return v;
}
function decimal(o: Obj, k: string, path: string): string {
  const v = str(o, k, path);
  if (!/^\d+$/.test(v)) throw new WireFormatError(`${path}.${k}`, 'a decimal string of nanoseconds');
  return v;
}

// Attribute values have the same shape on the wire and in the domain, so
// they are checked in place and passed through without copying: at 100,000
// spans with a handful of attributes each, copying is most of the cost.
// Paths for error messages are built only when something is wrong.
type Where = () => string;

function checkAnyValue(v: unknown, where: Where): AnyValue {
  if (typeof v !== 'object' || v === null) throw new WireFormatError(where(), 'an attribute value object');
  const o = v as Obj;
  const val = o.value;
  switch (o.type) {
    case 'string':
    case 'bytes':
    case 'int':
      if (typeof val !== 'string') throw new WireFormatError(`${where()}.value`, 'a string');
      break;
    case 'bool':
      if (typeof val !== 'boolean') throw new WireFormatError(`${where()}.value`, 'a boolean');
      break;
    case 'double':
      if (!(typeof val === 'number' || val === 'NaN' || val === 'Infinity' || val === '-Infinity')) {
        throw new WireFormatError(`${where()}.value`, 'a number');
      }
      break;
    case 'array':
      if (!Array.isArray(val)) throw new WireFormatError(`${where()}.value`, 'an array');
      for (let i = 0; i < val.length; i++) checkAnyValue(val[i], () => `${where()}.value[${i}]`);
      break;
    case 'kvlist':
      checkAttributes(val, () => `${where()}.value`);
      break;
    case 'empty':
      break;
    default:
      throw new WireFormatError(`${where()}.type`, 'an OTLP value type');
  }
  return v as AnyValue;
}

function checkAttributes(v: unknown, where: Where): Attribute[] {
  if (v === undefined) return [];
  if (!Array.isArray(v)) throw new WireFormatError(where(), 'an array');
  for (let i = 0; i < v.length; i++) {
    const a = v[i] as Obj | null;
    if (typeof a !== 'object' || a === null || typeof a.key !== 'string') {
      throw new WireFormatError(`${where()}[${i}]`, 'an attribute {key, value}');
    }
    checkAnyValue(a.value, () => `${where()}[${i}].value`);
  }
  return v as Attribute[];
}

export function toAnyValue(v: unknown, path: string): AnyValue {
  return checkAnyValue(v, () => path);
}

export function toAttributes(v: unknown, path: string): Attribute[] {
  return checkAttributes(v, () => path);
}

const KINDS: readonly string[] = ['unspecified', 'internal', 'server', 'client', 'producer', 'consumer'];
const CODES: readonly string[] = ['unset', 'ok', 'error'];

export function toTraceSummary(v: unknown, path = 'trace'): TraceSummary {
  const o = obj(v, path);
  const startTimeUnixNano = decimal(o, 'startTimeUnixNano', path);
  return {
    traceId: str(o, 'traceId', path),
    rootService: str(o, 'rootService', path),
    rootName: str(o, 'rootName', path),
    startTimeUnixNano,
    // Millisecond precision is all a list or a chart needs; nanoseconds stay in the string.
    startMs: Number(startTimeUnixNano.slice(0, -6) || '0'),
    durationMs: num(o, 'durationMs', path),
    spanCount: num(o, 'spanCount', path),
    errorCount: num(o, 'errorCount', path),
    services: arr(o.services, `${path}.services`).map((s, i) => {
      const p = `${path}.services[${i}]`;
      const so = obj(s, p);
      return { name: str(so, 'name', p), spanCount: num(so, 'spanCount', p), errorCount: num(so, 'errorCount', p) };
    }),
  };
}

export function toTraceList(v: unknown): TraceSummary[] {
  const o = obj(v, 'response');
  return arr(o.traces, 'response.traces').map((t, i) => toTraceSummary(t, `traces[${i}]`));
}

function toSpan(v: unknown, path: string, base: NsBase): SpanData {
  const o = obj(v, path);
  const kind = str(o, 'kind', path);
  const status = obj(o.status, 'status', path);
  const code = str(status, 'code', path);
  const resource = obj(o.resource, 'resource', path);
  const scope = obj(o.scope, 'scope', path);
  const startTimeUnixNano = decimal(o, 'startTimeUnixNano', path);
  const durationNs = decimal(o, 'durationNs', path);
  const parent = strOrNull(o, 'parentSpanId', path);
  return {
    traceId: str(o, 'traceId', path),
    spanId: str(o, 'spanId', path),
    parentSpanId: parent === '' ? null : parent,
    name: str(o, 'name', path),
    kind: (KINDS.includes(kind) ? kind : 'unspecified') as SpanKind,
    service: str(o, 'service', path),
    startTimeUnixNano,
    startUs: usSince(startTimeUnixNano, base),
    durationUs: Number(durationNs) / 1000,
    status: { code: (CODES.includes(code) ? code : 'unset') as StatusCode, message: str(status, 'message', path) },
    traceState: typeof o.traceState === 'string' ? o.traceState : '',
    attributes: checkAttributes(o.attributes, () => `${path}.attributes`),
    events: arr(o.events ?? [], 'events', path).map((e, i) => {
      const p = `${path}.events[${i}]`;
      const eo = obj(e, p);
      const t = decimal(eo, 'timeUnixNano', p);
      return {
        timeUnixNano: t,
        timeUs: usSince(t, base),
        name: str(eo, 'name', p),
        attributes: checkAttributes(eo.attributes, () => `${p}.attributes`),
      };
    }),
    links: arr(o.links ?? [], 'links', path).map((l, i) => {
      const p = `${path}.links[${i}]`;
      const lo = obj(l, p);
      return {
        traceId: str(lo, 'traceId', p),
        spanId: str(lo, 'spanId', p),
        traceState: typeof lo.traceState === 'string' ? lo.traceState : '',
        attributes: checkAttributes(lo.attributes, () => `${p}.attributes`),
      };
    }),
    resource: {
      attributes: checkAttributes(resource.attributes, () => `${path}.resource.attributes`),
      schemaUrl: typeof resource.schemaUrl === 'string' ? resource.schemaUrl : '',
    },
    scope: {
      name: typeof scope.name === 'string' ? scope.name : '',
      version: typeof scope.version === 'string' ? scope.version : '',
      attributes: checkAttributes(scope.attributes, () => `${path}.scope.attributes`),
    },
    droppedAttributesCount: optNum(o, 'droppedAttributesCount', path),
    droppedEventsCount: optNum(o, 'droppedEventsCount', path),
    droppedLinksCount: optNum(o, 'droppedLinksCount', path),
  };
}

/** A nanosecond timestamp split so that differences stay exact in doubles. */
interface NsBase {
  hi: number;
  lo: number;
}

const splitNs = (ns: string): NsBase => ({ hi: Number(ns.slice(0, -15) || '0'), lo: Number(ns.slice(-15)) });

/**
 * Microseconds from `base` to `ns`. Both are split at 10^15 ns, so each part
 * and the difference fit a double exactly for spans up to ~104 days apart;
 * BigInt arithmetic would give the same answer at several times the cost
 * for 100,000 spans.
 */
function usSince(ns: string, base: NsBase): number {
  const hi = Number(ns.slice(0, -15) || '0');
  const lo = Number(ns.slice(-15));
  return ((hi - base.hi) * 1e15 + (lo - base.lo)) / 1000;
}

/** Compare two decimal strings without leading zeros as numbers. */
const lessNs = (a: string, b: string) => a.length < b.length || (a.length === b.length && a < b);

export function toTraceDetail(v: unknown): TraceDetail {
  const o = obj(v, 'trace');
  const summary = toTraceSummary(o, 'trace');
  const rawSpans = arr(o.spans, 'trace.spans');
  // Span times become microseconds from the earliest start, so they fit a double.
  let earliest: string | undefined;
  for (let i = 0; i < rawSpans.length; i++) {
    const s = obj(rawSpans[i], `trace.spans[${i}]`);
    const t = decimal(s, 'startTimeUnixNano', `trace.spans[${i}]`).replace(/^0+(?=\d)/, '');
    if (earliest === undefined || lessNs(t, earliest)) earliest = t;
  }
  const baseNs = earliest ?? summary.startTimeUnixNano;
  const base = splitNs(baseNs);
  const spans = new Array<SpanData>(rawSpans.length);
  for (let i = 0; i < rawSpans.length; i++) spans[i] = toSpan(rawSpans[i], `trace.spans[${i}]`, base);
  return { summary, startNs: BigInt(baseNs), spans };
}

export function toLogs(v: unknown): LogRecord[] {
  const o = obj(v, 'response');
  return arr(o.logs, 'response.logs').map((l, i) => {
    const p = `logs[${i}]`;
    const lo = obj(l, p);
    const t = decimal(lo, 'timeUnixNano', p);
    return {
      timeUnixNano: t,
      timeMs: Number(t.slice(0, -6) || '0'),
      severityNumber: num(lo, 'severityNumber', p),
      severityText: str(lo, 'severityText', p),
      body: lo.body === undefined || lo.body === null ? { type: 'empty' } : toAnyValue(lo.body, `${p}.body`),
      attributes: toAttributes(lo.attributes, `${p}.attributes`),
      traceId: strOrNull(lo, 'traceId', p),
      spanId: strOrNull(lo, 'spanId', p),
      eventName: typeof lo.eventName === 'string' ? lo.eventName : '',
      service: typeof lo.service === 'string' ? lo.service : '',
    };
  });
}

export function toStringList(v: unknown, field: string): string[] {
  const o = obj(v, 'response');
  return arr(o[field], `response.${field}`).map((s, i) => {
    if (typeof s !== 'string') throw new WireFormatError(`${field}[${i}]`, 'a string');
    return s;
  });
}

export function toOperations(v: unknown): Operation[] {
  const o = obj(v, 'response');
  return arr(o.operations, 'response.operations').map((x, i) => {
    const p = `operations[${i}]`;
    const xo = obj(x, p);
    return { name: str(xo, 'name', p), kind: typeof xo.kind === 'string' ? xo.kind : '' };
  });
}

export function toAttributeKeys(v: unknown): AttributeKey[] {
  const o = obj(v, 'response');
  return arr(o.attributes, 'response.attributes').map((x, i) => {
    const p = `attributes[${i}]`;
    const xo = obj(x, p);
    const scope = str(xo, 'scope', p);
    return { key: str(xo, 'key', p), scope: scope === 'resource' ? 'resource' : 'span' };
  });
}

/** The server's `{error, message}` body, if that is what this is. */
export function toApiError(v: unknown): { code: string; message: string } | null {
  if (typeof v !== 'object' || v === null) return null;
  const o = v as Obj;
  if (typeof o.error === 'string' && typeof o.message === 'string') return { code: o.error, message: o.message };
  return null;
}

const NODE_KINDS: readonly string[] = ['service', 'database', 'peer', 'browser'];
const EDGE_KINDS: readonly string[] = ['call', 'database', 'peer'];

function oneOf<T extends string>(o: Obj, k: string, path: string, allowed: readonly string[]): T {
  const v = str(o, k, path);
  if (!allowed.includes(v)) throw new WireFormatError(`${path}.${k}`, `one of ${allowed.join(', ')}`);
  return v as T;
}

/** GET /api/v1/dependencies → the service map's nodes and edges. */
export function toServiceMap(v: unknown): ServiceMap {
  const o = obj(v, 'response');
  const nodes = arr(o.nodes, 'response.nodes').map((n, i): MapNode => {
    const p = `nodes[${i}]`;
    const no = obj(n, p);
    const node: MapNode = {
      id: str(no, 'id', p),
      name: str(no, 'name', p),
      kind: oneOf<MapNodeKind>(no, 'kind', p, NODE_KINDS),
      calls: num(no, 'calls', p),
      errors: num(no, 'errors', p),
    };
    if (no.spans !== undefined) node.spans = num(no, 'spans', p);
    if (no.system !== undefined) node.system = str(no, 'system', p);
    return node;
  });
  const edges = arr(o.edges, 'response.edges').map((e, i): MapEdge => {
    const p = `edges[${i}]`;
    const eo = obj(e, p);
    const edge: MapEdge = {
      source: str(eo, 'source', p),
      target: str(eo, 'target', p),
      kind: oneOf<MapEdgeKind>(eo, 'kind', p, EDGE_KINDS),
      calls: num(eo, 'calls', p),
      errors: num(eo, 'errors', p),
      callsPerSec: num(eo, 'callsPerSec', p),
      errorRate: num(eo, 'errorRate', p),
      p95Ms: num(eo, 'p95Ms', p),
    };
    if (eo.p50Ms !== undefined) edge.p50Ms = num(eo, 'p50Ms', p);
    if (eo.exemplar !== undefined) edge.exemplarTraceId = str(obj(eo.exemplar, `${p}.exemplar`), 'traceId', `${p}.exemplar`);
    return edge;
  });
  return { nodes, edges };
}

function toAnalysisSet(v: unknown, path: string): AttributeAnalysis['selection'] {
  const o = obj(v, path);
  return { traceCount: num(o, 'traceCount', path), spanCount: num(o, 'spanCount', path), totalTraceCount: optNum(o, 'totalTraceCount', path) };
}

function toShares(v: unknown, path: string): { traces: number; time: number } {
  const o = obj(v, path);
  return { traces: num(o, 'traces', path), time: num(o, 'time', path) };
}

/** The answer of POST /api/v1/analyze/attributes (WireAttributeAnalysis). */
export function toAttributeAnalysis(v: unknown): AttributeAnalysis {
  const o = obj(v, 'response');
  return {
    selection: toAnalysisSet(o.selection, 'selection'),
    baseline: toAnalysisSet(o.baseline, 'baseline'),
    sampled: o.sampled === true,
    summary: str(o, 'summary', 'response'),
    attributes: arr(o.attributes, 'response.attributes').map((x, i) => {
      const p = `attributes[${i}]`;
      const a = obj(x, p);
      const scope = str(a, 'scope', p);
      return {
        key: str(a, 'key', p),
        scope: scope === 'resource' || scope === 'intrinsic' ? scope : 'span',
        score: num(a, 'score', p),
        by: str(a, 'by', p) === 'time' ? 'time' : 'traces',
        values: arr(a.values, `${p}.values`).map((y, j) => {
          const q = `${p}.values[${j}]`;
          const vo = obj(y, q);
          return { value: str(vo, 'value', q), selection: toShares(vo.selection, `${q}.selection`), baseline: toShares(vo.baseline, `${q}.baseline`) };
        }),
      };
    }),
  };
}
