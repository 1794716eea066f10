// The compact trace detail (GET /api/v1/traces/{id}?format=compact) → the same
// TraceDetail as toTraceDetail gives for the JSON detail (convertCompact.test.ts
// checks that on hub output). Built for 1M spans: strings, values, resources,
// scopes and repeated (key, value) attributes are decoded once and shared by
// reference between spans, and spans without events or links share one empty list.
import type { AnyValue, Attribute, Resource, Scope, SpanData, SpanEvent, SpanKind, SpanLink, StatusCode, TraceDetail } from '../lib/types';
import { toAnyValue, toAttributes, toTraceSummary, WireFormatError } from './convert';
import type { WireCompactAttributes, WireCompactNs, WireCompactTrace } from './wire';

export const COMPACT_FORMAT = 'tracehub.compact/1';

const KINDS: readonly SpanKind[] = ['unspecified', 'internal', 'server', 'client', 'producer', 'consumer'];
const CODES: readonly StatusCode[] = ['unset', 'ok', 'error'];
const NO_EVENTS: SpanEvent[] = Object.freeze([]) as unknown as SpanEvent[];
const NO_LINKS: SpanLink[] = Object.freeze([]) as unknown as SpanLink[];
const NO_ATTRIBUTES: Attribute[] = Object.freeze([]) as unknown as Attribute[];

type Obj = Record<string, unknown>;

function field<T>(o: Obj, k: string, path: string, what: string, ok: (v: unknown) => boolean): T {
  const v = o[k];
  if (!ok(v)) throw new WireFormatError(`${path}.${k}`, what);
  return v as T;
}
const isArr = (v: unknown) => Array.isArray(v);

/** Unix ns = base + offset, as a decimal string without leading zeros; exact (split at 10^15). */
function nsText(baseHi: number, baseLo: number, off: WireCompactNs): string {
  if (typeof off === 'number' && off >= 0) {
    const t = baseLo + off;
    const carry = Math.floor(t / 1e15);
    const hi = baseHi + carry;
    const lo = t - carry * 1e15;
    return hi === 0 ? String(lo) : `${hi}${String(lo).padStart(15, '0')}`;
  }
  return (BigInt(baseHi) * 10n ** 15n + BigInt(baseLo) + BigInt(off)).toString();
}

const us = (off: WireCompactNs) => Number(off) / 1000;

/**
 * Each span's parent as an index into the trace's spans (-1: a root or a parent that never arrived), for
 * converted compact traces: the format sends parents as indexes, and buildSpanTree links the tree
 * from them without a map of every span id.
 */
const parentIndexes = new WeakMap<readonly SpanData[], Int32Array>();
export function compactParentIndex(spans: readonly SpanData[]): Int32Array | undefined {
  return parentIndexes.get(spans);
}

export function isCompactTrace(v: unknown): v is WireCompactTrace {
  return typeof v === 'object' && v !== null && (v as Obj).format === COMPACT_FORMAT;
}

function notSafe(path: string): never {
  throw new WireFormatError(path, 'a safe integer (a bare number stands for an int value)');
}

export function fromCompactTrace(v: unknown): TraceDetail {
  if (!isCompactTrace(v)) throw new WireFormatError('trace.format', `"${COMPACT_FORMAT}"`);
  const o = v as unknown as Obj;
  const summary = toTraceSummary(o, 'trace');
  const baseNs = field<string>(o, 'baseTimeUnixNano', 'trace', 'a decimal string', (x) => typeof x === 'string' && /^\d+$/.test(x)).replace(/^0+(?=\d)/, '');
  const baseHi = Number(baseNs.slice(0, -15) || '0');
  const baseLo = Number(baseNs.slice(-15));
  const strings = field<string[]>(o, 'strings', 'trace', 'an array', isArr);
  const values = field<unknown[]>(o, 'values', 'trace', 'an array', isArr).map((x, i): AnyValue =>
    typeof x === 'string'
      ? { type: 'string', value: x }
      : typeof x === 'number'
        ? Number.isSafeInteger(x)
          ? { type: 'int', value: String(x) }
          : notSafe(`trace.values[${i}]`)
        : toAnyValue(x, `trace.values[${i}]`),
  );
  const resources = field<Obj[]>(o, 'resources', 'trace', 'an array', isArr).map((r, i) => ({
    service: String(r.service),
    resource: { attributes: toAttributes(r.attributes, `trace.resources[${i}].attributes`), schemaUrl: typeof r.schemaUrl === 'string' ? r.schemaUrl : '' } as Resource,
  }));
  const scopes = field<Obj[]>(o, 'scopes', 'trace', 'an array', isArr).map(
    (s, i): Scope => ({
      name: typeof s.name === 'string' ? s.name : '',
      version: typeof s.version === 'string' ? s.version : '',
      attributes: toAttributes(s.attributes, `trace.scopes[${i}].attributes`),
    }),
  );
  const c = v.spans;
  if (typeof c !== 'object' || c === null) throw new WireFormatError('trace.spans', 'an object of span columns');
  const n = Array.isArray(c.spanId) ? c.spanId.length : -1;
  for (const k of ['spanId', 'parent', 'name', 'kind', 'resource', 'scope', 'start', 'duration', 'status', 'statusMessage', 'traceState', 'flags', 'attributes'] as const) {
    if (!Array.isArray(c[k]) || c[k].length !== n) throw new WireFormatError(`trace.spans.${k}`, `an array of ${n} entries`);
  }
  // Where a bad index sits is named as trace.spans.<column>[<span>], spelt out only when one is found
  // (not once per span and column).
  const string = (i: number, column: string, span: number): string => {
    const s = strings[i];
    if (typeof s !== 'string') throw new WireFormatError(`trace.spans.${column}[${span}]`, 'an index into trace.strings');
    return s;
  };
  // (key, value) pairs repeat across spans: one Attribute object per distinct pair of a value used more
  // than once (a Map entry per unique value, such as an id, would cost more than it saves).
  const uses = new Uint32Array(values.length);
  for (const list of c.attributes) for (let j = 1; j < list.length; j += 2) uses[list[j]!]!++;
  const pairs = new Map<number, Attribute>();
  const attrs = (list: WireCompactAttributes, column: string, span: number): Attribute[] => {
    if (list.length === 0) return NO_ATTRIBUTES;
    const out = new Array<Attribute>(list.length >> 1);
    for (let j = 0; j < out.length; j++) {
      const k = list[2 * j]!;
      const x = list[2 * j + 1]!;
      const value = values[x];
      if (value === undefined) throw new WireFormatError(`trace.spans.${column}[${span}]`, 'indexes into trace.values');
      if (uses[x]! <= 1) {
        out[j] = { key: string(k, column, span), value };
        continue;
      }
      const id = k * values.length + x;
      let a = pairs.get(id);
      if (a === undefined) {
        a = { key: string(k, column, span), value };
        pairs.set(id, a);
      }
      out[j] = a;
    }
    return out;
  };

  // Statuses repeat (unset with no message, mostly): one object per distinct (code, message).
  const statuses = new Map<number, SpanData['status']>();
  const status = (code: number, message: number, i: number): SpanData['status'] => {
    const id = message * CODES.length + (code >>> 0 < CODES.length ? code : 0);
    let st = statuses.get(id);
    if (st === undefined) {
      st = { code: CODES[code] ?? 'unset', message: string(message, 'statusMessage', i) };
      statuses.set(id, st);
    }
    return st;
  };

  const spans = new Array<SpanData>(n);
  const parentIndex = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const r = resources[c.resource[i]!];
    const scope = scopes[c.scope[i]!];
    if (!r || !scope) throw new WireFormatError(`trace.spans[${i}]`, 'indexes into trace.resources and trace.scopes');
    const p = c.parent[i]!;
    if (p >= 0 && !(p < n && Number.isInteger(p))) throw new WireFormatError(`trace.spans.parent[${i}]`, 'a span index, -1 or -2');
    parentIndex[i] = p >= 0 ? p : -1;
    const start = c.start[i]!;
    spans[i] = {
      traceId: summary.traceId,
      spanId: c.spanId[i]!,
      parentSpanId: p >= 0 ? c.spanId[p]! : null,
      name: string(c.name[i]!, 'name', i),
      kind: KINDS[c.kind[i]!] ?? 'unspecified',
      service: r.service,
      startTimeUnixNano: nsText(baseHi, baseLo, start),
      startUs: us(start),
      durationUs: us(c.duration[i]!),
      status: status(c.status[i]!, c.statusMessage[i]!, i),
      traceState: string(c.traceState[i]!, 'traceState', i),
      attributes: attrs(c.attributes[i]!, 'attributes', i),
      events: NO_EVENTS,
      links: NO_LINKS,
      resource: r.resource,
      scope,
      droppedAttributesCount: 0,
      droppedEventsCount: 0,
      droppedLinksCount: 0,
    };
  }
  const at = (i: number, what: string): SpanData => {
    const s = spans[i];
    if (!s) throw new WireFormatError(`trace.spans.${what}`, 'span indexes');
    return s;
  };
  for (const [i, parentSpanId] of c.missingParents ?? []) at(i, 'missingParents').parentSpanId = parentSpanId;
  for (const [i, a, e, l] of c.dropped ?? []) {
    const s = at(i, 'dropped');
    s.droppedAttributesCount = a;
    s.droppedEventsCount = e;
    s.droppedLinksCount = l;
  }
  for (const [i, list] of c.events ?? []) {
    at(i, 'events').events = list.map(([t, name, a]) => ({
      timeUnixNano: nsText(baseHi, baseLo, t),
      timeUs: us(t),
      name: string(name, 'events', i),
      attributes: attrs(a, 'events', i),
    }));
  }
  for (const [i, list] of c.links ?? []) {
    at(i, 'links').links = list.map(([traceId, spanId, traceState, , a]) => ({
      traceId,
      spanId,
      traceState: string(traceState, 'links', i),
      attributes: attrs(a, 'links', i),
    }));
  }
  parentIndexes.set(spans, parentIndex);
  return { summary, startNs: BigInt(n > 0 ? baseNs : summary.startTimeUnixNano), spans };
}
