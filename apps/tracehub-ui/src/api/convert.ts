// The boundary between the wire JSON and the UI's domain types: every
// response is checked here, so the components can trust the shapes they get.
import type {
  AnyValue,
  Attribute,
  AttributeKey,
  LogRecord,
  Operation,
  SpanData,
  SpanKind,
  StatusCode,
  TraceDetail,
  TraceSummary,
} from '../lib/types';

export class WireFormatError extends Error {
  constructor(path: string, expected: string) {
    super(`Unexpected response from tracehub: ${path} should be ${expected}. Is the UI newer or older than the server?`);
    this.name = 'WireFormatError';
  }
}

type Obj = Record<string, unknown>;

function obj(v: unknown, path: string): Obj {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new WireFormatError(path, 'an object');
  return v as Obj;
}
function arr(v: unknown, path: string): unknown[] {
  if (!Array.isArray(v)) throw new WireFormatError(path, 'an array');
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

export function toAnyValue(v: unknown, path: string): AnyValue {
  const o = obj(v, path);
  const t = o.type;
  const val = o.value;
  switch (t) {
    case 'string':
    case 'bytes':
    case 'int':
      if (typeof val !== 'string') throw new WireFormatError(`${path}.value`, 'a string');
      return { type: t, value: val };
    case 'bool':
      if (typeof val !== 'boolean') throw new WireFormatError(`${path}.value`, 'a boolean');
      return { type: 'bool', value: val };
    case 'double':
      if (typeof val === 'number' || val === 'NaN' || val === 'Infinity' || val === '-Infinity') {
        return { type: 'double', value: val };
      }
      throw new WireFormatError(`${path}.value`, 'a number');
    case 'array':
      return { type: 'array', value: arr(val, `${path}.value`).map((x, i) => toAnyValue(x, `${path}.value[${i}]`)) };
    case 'kvlist':
      return { type: 'kvlist', value: toAttributes(val, `${path}.value`) };
    case 'empty':
      return { type: 'empty' };
    default:
      throw new WireFormatError(`${path}.type`, 'an OTLP value type');
  }
}

export function toAttributes(v: unknown, path: string): Attribute[] {
  if (v === undefined) return [];
  return arr(v, path).map((a, i) => {
    const p = `${path}[${i}]`;
    const o = obj(a, p);
    return { key: str(o, 'key', p), value: toAnyValue(o.value, `${p}.value`) };
  });
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

function toSpan(v: unknown, path: string, baseNs: bigint): SpanData {
  const o = obj(v, path);
  const kind = str(o, 'kind', path);
  const status = obj(o.status, `${path}.status`);
  const code = str(status, 'code', `${path}.status`);
  const resource = obj(o.resource, `${path}.resource`);
  const scope = obj(o.scope, `${path}.scope`);
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
    startUs: Number(BigInt(startTimeUnixNano) - baseNs) / 1000,
    durationUs: Number(durationNs) / 1000,
    status: { code: (CODES.includes(code) ? code : 'unset') as StatusCode, message: str(status, 'message', `${path}.status`) },
    traceState: typeof o.traceState === 'string' ? o.traceState : '',
    attributes: toAttributes(o.attributes, `${path}.attributes`),
    events: arr(o.events ?? [], `${path}.events`).map((e, i) => {
      const p = `${path}.events[${i}]`;
      const eo = obj(e, p);
      const t = decimal(eo, 'timeUnixNano', p);
      return {
        timeUnixNano: t,
        timeUs: Number(BigInt(t) - baseNs) / 1000,
        name: str(eo, 'name', p),
        attributes: toAttributes(eo.attributes, `${p}.attributes`),
      };
    }),
    links: arr(o.links ?? [], `${path}.links`).map((l, i) => {
      const p = `${path}.links[${i}]`;
      const lo = obj(l, p);
      return {
        traceId: str(lo, 'traceId', p),
        spanId: str(lo, 'spanId', p),
        traceState: typeof lo.traceState === 'string' ? lo.traceState : '',
        attributes: toAttributes(lo.attributes, `${p}.attributes`),
      };
    }),
    resource: {
      attributes: toAttributes(resource.attributes, `${path}.resource.attributes`),
      schemaUrl: typeof resource.schemaUrl === 'string' ? resource.schemaUrl : '',
    },
    scope: {
      name: typeof scope.name === 'string' ? scope.name : '',
      version: typeof scope.version === 'string' ? scope.version : '',
      attributes: toAttributes(scope.attributes, `${path}.scope.attributes`),
    },
    droppedAttributesCount: optNum(o, 'droppedAttributesCount', path),
    droppedEventsCount: optNum(o, 'droppedEventsCount', path),
    droppedLinksCount: optNum(o, 'droppedLinksCount', path),
  };
}

export function toTraceDetail(v: unknown): TraceDetail {
  const o = obj(v, 'trace');
  const summary = toTraceSummary(o, 'trace');
  const rawSpans = arr(o.spans, 'trace.spans');
  // Span times become microseconds from the earliest start, so they fit a double exactly enough.
  let baseNs: bigint | undefined;
  for (let i = 0; i < rawSpans.length; i++) {
    const s = obj(rawSpans[i], `trace.spans[${i}]`);
    const t = BigInt(decimal(s, 'startTimeUnixNano', `trace.spans[${i}]`));
    if (baseNs === undefined || t < baseNs) baseNs = t;
  }
  const base = baseNs ?? BigInt(summary.startTimeUnixNano);
  const spans = new Array<SpanData>(rawSpans.length);
  for (let i = 0; i < rawSpans.length; i++) spans[i] = toSpan(rawSpans[i], `trace.spans[${i}]`, base);
  return { summary, startNs: base, spans };
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
