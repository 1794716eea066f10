/**
 * Jaeger JSON (what Jaeger UI's "Download JSON" and jaeger-query's
 * /api/traces/{id} answer: `{data: [{traceID, spans, processes}]}`) → the
 * model. The inverse of compat/jaeger-model.ts, after the OpenTelemetry
 * Jaeger translator: the first CHILD_OF reference within the trace is the
 * parent, other references are links; `span.kind`, `otel.status_code`,
 * `error`, `otel.status_description`, `otel.scope.*` and `w3c.tracestate`
 * tags go back to their fields; logs become events (the `event` field names
 * them); a process becomes the resource (serviceName → service.name).
 * Times are microseconds. Pure.
 */
import { isLosslessNumber } from 'lossless-json';
import { SPAN_KIND_NAMES, type AnyValue, type Attribute, type DecodedTraces, type Resource, type Scope, type SpanRecord } from '../model.js';
import { OtlpDecodeError, Rejections, withPath } from '../otlp/errors.js';
import { spanProblem } from '../otlp/ids.js';
import { INT64_MAX, INT64_MIN, parseIntegerText } from '../otlp/int64.js';
import { doubleValue, newScope, serviceNameOf } from '../otlp/values.js';

type Obj = Record<string, unknown>;

function obj(v: unknown, name: string): Obj {
  if (v === null || typeof v !== 'object' || Array.isArray(v) || isLosslessNumber(v)) throw new OtlpDecodeError('not an object', name);
  return v as Obj;
}
function arr(v: unknown, name: string): unknown[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw new OtlpDecodeError('not an array', name);
  return v;
}
function str(v: unknown, name: string): string {
  if (v === undefined || v === null) return '';
  if (typeof v !== 'string') throw new OtlpDecodeError('not a string', name);
  return v;
}
/** A non-negative integer (JSON number, LosslessNumber or decimal string). */
function uint(v: unknown, name: string): bigint {
  if (v === undefined || v === null) return 0n;
  const text = typeof v === 'number' ? (Number.isSafeInteger(v) ? String(v) : '') : typeof v === 'string' ? v : isLosslessNumber(v) ? v.value : '';
  const n = parseIntegerText(text);
  if (n === null || n < 0n) throw new OtlpDecodeError('not a non-negative integer', name);
  return n;
}
function hexId(v: unknown, name: string, digits: number): string {
  const s = str(v, name);
  if (!/^[0-9a-fA-F]*$/.test(s) || s.length > digits) throw new OtlpDecodeError(`not a hex id of up to ${digits} digits`, name);
  return s === '' ? '' : s.toLowerCase().padStart(digits, '0');
}

/** A Jaeger tag's value as an AnyValue. */
function tagValue(t: Obj): AnyValue {
  const type = str(t.type ?? 'string', 'type').toLowerCase();
  const v = t.value;
  switch (type) {
    case 'string':
      // Jaeger UI sometimes gives other JSON types untyped; keep them as text.
      return { type: 'string', value: typeof v === 'string' ? v : v === undefined || v === null ? '' : isLosslessNumber(v) ? v.value : JSON.stringify(v) };
    case 'bool':
      if (typeof v === 'boolean') return { type: 'bool', value: v };
      if (v === 'true' || v === 'false') return { type: 'bool', value: v === 'true' };
      throw new OtlpDecodeError('not a boolean', 'value');
    case 'int64': {
      const text = typeof v === 'number' ? (Number.isSafeInteger(v) ? String(v) : '') : typeof v === 'string' ? v : isLosslessNumber(v) ? v.value : '';
      const n = parseIntegerText(text);
      if (n === null || n < INT64_MIN || n > INT64_MAX) throw new OtlpDecodeError('not a 64-bit integer', 'value');
      return { type: 'int', value: n.toString() };
    }
    case 'float64': {
      const n = typeof v === 'number' ? v : isLosslessNumber(v) ? Number(v.value) : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
      if (Number.isNaN(n) && v !== 'NaN') throw new OtlpDecodeError('not a number', 'value');
      return { type: 'double', value: doubleValue(n) };
    }
    case 'binary': {
      const s = str(v, 'value');
      if (!/^[A-Za-z0-9+/\-_]*={0,2}$/.test(s)) throw new OtlpDecodeError('not base64', 'value');
      return { type: 'bytes', value: Buffer.from(s, 'base64').toString('base64') };
    }
    default:
      throw new OtlpDecodeError(`unknown tag type ${JSON.stringify(type)} (string, bool, int64, float64 or binary)`, 'type');
  }
}

function readTags(v: unknown, name: string): Attribute[] {
  return arr(v, name).map((t, i) => {
    try {
      const o = obj(t, '');
      return { key: str(o.key, 'key'), value: tagValue(o) };
    } catch (err) {
      throw withPath(err, `${name}[${i}]`);
    }
  });
}

const KIND_BY_NAME = new Map<string, number>(SPAN_KIND_NAMES.map((n, i) => [n, i]));
const textOf = (v: AnyValue) => (v.type === 'string' ? v.value : v.type === 'bool' ? String(v.value) : '');

function readProcess(v: unknown, name: string): Resource {
  try {
    const p = obj(v, '');
    const serviceName = str(p.serviceName, 'serviceName');
    const tags = readTags(p.tags, 'tags');
    const attributes = serviceName !== '' && !tags.some((t) => t.key === 'service.name')
      ? [{ key: 'service.name', value: { type: 'string', value: serviceName } } as Attribute, ...tags]
      : tags;
    return { attributes, droppedAttributesCount: 0, schemaUrl: '', serviceName: serviceNameOf(attributes) };
  } catch (err) {
    throw withPath(err, name);
  }
}

interface Context {
  processes: Map<string, Resource>;
  scopes: Map<string, Scope>;
}

function convertSpan(v: unknown, traceIdOfTrace: string, ctx: Context): SpanRecord {
  const o = obj(v, '');
  const traceId = hexId(o.traceID ?? traceIdOfTrace, 'traceID', 32);
  const spanId = hexId(o.spanID, 'spanID', 16);
  const startUs = uint(o.startTime, 'startTime');
  const durationUs = uint(o.duration, 'duration');
  let resource: Resource | undefined;
  if (o.process !== undefined && o.process !== null) resource = readProcess(o.process, 'process');
  else {
    const pid = str(o.processID, 'processID');
    resource = ctx.processes.get(pid);
    if (!resource) throw new OtlpDecodeError(`no process ${JSON.stringify(pid)} in the trace's processes`, 'processID');
  }

  let parentSpanId = o.parentSpanID !== undefined ? hexId(o.parentSpanID, 'parentSpanID', 16) : '';
  const links: SpanRecord['links'] = [];
  arr(o.references, 'references').forEach((r, i) => {
    try {
      const ro = obj(r, '');
      const refType = str(ro.refType, 'refType');
      if (refType !== 'CHILD_OF' && refType !== 'FOLLOWS_FROM') throw new OtlpDecodeError('must be CHILD_OF or FOLLOWS_FROM', 'refType');
      const ref = { traceId: hexId(ro.traceID, 'traceID', 32) || traceId, spanId: hexId(ro.spanID, 'spanID', 16) };
      if (refType === 'CHILD_OF' && parentSpanId === '' && ref.traceId === traceId) parentSpanId = ref.spanId;
      else if (!(refType === 'CHILD_OF' && ref.spanId === parentSpanId && ref.traceId === traceId)) {
        links.push({ ...ref, traceState: '', flags: 0, attributes: [], droppedAttributesCount: 0 });
      }
    } catch (err) {
      throw withPath(err, `references[${i}]`);
    }
  });

  let kind = 0;
  let statusCode = 0;
  let statusMessage = '';
  let traceState = '';
  let errorTag = false;
  let scopeName = '';
  let scopeVersion = '';
  const attributes: Attribute[] = [];
  for (const t of readTags(o.tags, 'tags')) {
    const text = textOf(t.value);
    if (t.key === 'span.kind' && KIND_BY_NAME.has(text)) kind = KIND_BY_NAME.get(text)!;
    else if (t.key === 'otel.status_code' && (text === 'OK' || text === 'ERROR')) statusCode = text === 'OK' ? 1 : 2;
    else if (t.key === 'otel.status_description') statusMessage = text;
    else if (t.key === 'error' && t.value.type === 'bool') errorTag = t.value.value;
    else if (t.key === 'otel.scope.name' || t.key === 'otel.library.name') scopeName = text;
    else if (t.key === 'otel.scope.version' || t.key === 'otel.library.version') scopeVersion = text;
    else if (t.key === 'w3c.tracestate') traceState = text;
    else attributes.push(t);
  }
  if (statusCode === 0 && errorTag) statusCode = 2;

  const scopeKey = `${scopeName}\u0000${scopeVersion}`;
  let scope = ctx.scopes.get(scopeKey);
  if (!scope) ctx.scopes.set(scopeKey, (scope = { ...newScope(), name: scopeName, version: scopeVersion }));

  const events = arr(o.logs, 'logs').map((l, i) => {
    try {
      const lo = obj(l, '');
      const fields = readTags(lo.fields, 'fields');
      const nameField = fields.find((f) => f.key === 'event' && f.value.type === 'string');
      return {
        timeUnixNano: uint(lo.timestamp, 'timestamp') * 1000n,
        name: nameField ? textOf(nameField.value) : '',
        attributes: fields.filter((f) => f !== nameField),
        droppedAttributesCount: 0,
      };
    } catch (err) {
      throw withPath(err, `logs[${i}]`);
    }
  });

  return {
    traceId,
    spanId,
    parentSpanId,
    traceState,
    flags: Number(uint(o.flags, 'flags') & 0xffffffffn),
    name: str(o.operationName, 'operationName'),
    kind,
    startTimeUnixNano: startUs * 1000n,
    endTimeUnixNano: (startUs + durationUs) * 1000n,
    attributes,
    droppedAttributesCount: 0,
    events,
    droppedEventsCount: 0,
    links,
    droppedLinksCount: 0,
    statusCode,
    statusMessage,
    resource,
    scope,
  };
}

/** Is this parsed document Jaeger JSON (an envelope with data[], or one trace)? */
export function looksLikeJaeger(doc: unknown): boolean {
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) return false;
  const o = doc as Obj;
  return Array.isArray(o.data) || (Array.isArray(o.spans) && ('traceID' in o || 'processes' in o));
}

/** A parsed Jaeger document (numbers may be LosslessNumbers) → spans; invalid spans are counted, not thrown. */
export function decodeJaegerTraces(doc: unknown): DecodedTraces {
  const root = obj(doc, '');
  const traces = Array.isArray(root.data) ? root.data : [root];
  const prefix = Array.isArray(root.data) ? 'data' : '';
  const spans: SpanRecord[] = [];
  const rej = new Rejections();
  traces.forEach((t, ti) => {
    const here = prefix ? `${prefix}[${ti}]` : '';
    try {
      const to = obj(t, '');
      const processes = new Map<string, Resource>();
      const po = to.processes === undefined || to.processes === null ? {} : obj(to.processes, 'processes');
      for (const [pid, p] of Object.entries(po)) processes.set(pid, readProcess(p, `processes.${pid}`));
      const ctx: Context = { processes, scopes: new Map() };
      const traceId = str(to.traceID, 'traceID');
      arr(to.spans, 'spans').forEach((s, si) => {
        let span: SpanRecord;
        try {
          span = convertSpan(s, traceId, ctx);
        } catch (err) {
          throw withPath(err, `spans[${si}]`);
        }
        const problem = spanProblem(span.traceId, span.spanId, span.parentSpanId, span.startTimeUnixNano, span.endTimeUnixNano);
        if (problem === null) spans.push(span);
        else rej.add(`${here ? `${here}.` : ''}spans[${si}]: ${problem}`);
      });
    } catch (err) {
      throw here ? withPath(err, here) : err;
    }
  });
  return { spans, rejected: rej.count, rejectReasons: rej.reasons };
}
