/**
 * The compact trace detail (`GET /api/v1/traces/{id}?format=compact`, API.md):
 * the same spans as the JSON detail, with each resource and scope sent once,
 * a string table (span names, services' keys, attribute keys, status messages,
 * trace states, event names), a table of distinct attribute values, span ids
 * once (parents as indexes), times as nanosecond offsets from the trace start,
 * and the span fields as parallel arrays. Rare fields (events, links, dropped
 * counts, parents outside the trace) are sparse lists of [spanIndex, …]. Pure.
 */
import { type AnyValue, type Attribute, type Resource, type Scope, type SpanRecord } from '../model.js';
import { summarizeSpans, summaryJson } from './present.js';

export const COMPACT_FORMAT = 'tracehub.compact/1';

/** Index pairs [key in strings, value in values, …]. */
export type CompactAttributes = number[];
/** A nanosecond offset: a number when it is a safe integer, else its decimal string. */
export type CompactNs = number | string;

export interface CompactTrace extends ReturnType<typeof summaryJson> {
  format: typeof COMPACT_FORMAT;
  /** Unix ns of the earliest span start; span and event times are offsets from it. */
  baseTimeUnixNano: string;
  strings: string[];
  /** Distinct attribute values; a bare string stands for {type: 'string', value}. */
  values: (string | AnyValue)[];
  resources: { service: string; attributes: Attribute[]; droppedAttributesCount: number; schemaUrl: string }[];
  scopes: Scope[];
  spans: {
    spanId: string[];
    /** Index of the parent span; -1 for a root; -2 when the parent is not in the trace (see missingParents). */
    parent: number[];
    missingParents: [span: number, parentSpanId: string][];
    name: number[];
    kind: number[];
    resource: number[];
    scope: number[];
    start: CompactNs[];
    duration: CompactNs[];
    status: number[];
    statusMessage: number[];
    traceState: number[];
    flags: number[];
    attributes: CompactAttributes[];
    /** [span, droppedAttributesCount, droppedEventsCount, droppedLinksCount] where any is not 0. */
    dropped: [span: number, attributes: number, events: number, links: number][];
    events: [span: number, events: [time: CompactNs, name: number, attributes: CompactAttributes, dropped: number][]][];
    links: [span: number, links: [traceId: string, spanId: string, traceState: number, flags: number, attributes: CompactAttributes, dropped: number][]][];
  };
}

/** A table that hands out one index per distinct key. */
class Table<T> {
  readonly items: T[] = [];
  private readonly index = new Map<string, number>();
  add(key: string, item: T): number {
    let i = this.index.get(key);
    if (i === undefined) {
      i = this.items.length;
      this.items.push(item);
      this.index.set(key, i);
    }
    return i;
  }
}

function ns(d: bigint): CompactNs {
  const n = Number(d);
  return Number.isSafeInteger(n) ? n : d.toString();
}

/** The values table: one index per distinct value, string and int values looked up without building a key. */
class ValueTable {
  readonly items: (string | AnyValue)[] = [];
  private readonly strings = new Map<string, number>();
  private readonly ints = new Map<string, number>();
  private readonly others = new Map<string, number>();
  add(v: AnyValue): number {
    if (v.type === 'string') return this.lookup(this.strings, v.value, v.value);
    if (v.type === 'int') return this.lookup(this.ints, v.value, v);
    return this.lookup(this.others, JSON.stringify(v), v);
  }
  private lookup(map: Map<string, number>, key: string, item: string | AnyValue): number {
    let i = map.get(key);
    if (i === undefined) {
      i = this.items.length;
      this.items.push(item);
      map.set(key, i);
    }
    return i;
  }
}

/** Encodes the spans of one trace (non-empty, as TraceReader.getTrace returns them). */
export function encodeCompactTrace(spans: SpanRecord[]): CompactTrace {
  const strings = new Table<string>();
  const values = new ValueTable();
  const resources = new Map<Resource, number>();
  const resourceList: CompactTrace['resources'] = [];
  const scopes = new Map<Scope, number>();
  const scopeList: Scope[] = [];
  const str = (s: string) => strings.add(s, s);
  str('');
  const attrs = (list: Attribute[]): CompactAttributes => {
    const out = new Array<number>(list.length * 2);
    for (let i = 0; i < list.length; i++) {
      const a = list[i]!;
      out[2 * i] = str(a.key);
      out[2 * i + 1] = values.add(a.value);
    }
    return out;
  };

  const n = spans.length;
  let base = spans[0]!.startTimeUnixNano;
  for (const s of spans) if (s.startTimeUnixNano < base) base = s.startTimeUnixNano;
  const indexOf = new Map<string, number>();
  for (let i = 0; i < n; i++) if (!indexOf.has(spans[i]!.spanId)) indexOf.set(spans[i]!.spanId, i);

  const out: CompactTrace['spans'] = {
    spanId: new Array(n),
    parent: new Array(n),
    missingParents: [],
    name: new Array(n),
    kind: new Array(n),
    resource: new Array(n),
    scope: new Array(n),
    start: new Array(n),
    duration: new Array(n),
    status: new Array(n),
    statusMessage: new Array(n),
    traceState: new Array(n),
    flags: new Array(n),
    attributes: new Array(n),
    dropped: [],
    events: [],
    links: [],
  };
  for (let i = 0; i < n; i++) {
    const s = spans[i]!;
    out.spanId[i] = s.spanId;
    if (s.parentSpanId === '') out.parent[i] = -1;
    else {
      const p = indexOf.get(s.parentSpanId);
      if (p === undefined) {
        out.parent[i] = -2;
        out.missingParents.push([i, s.parentSpanId]);
      } else out.parent[i] = p;
    }
    out.name[i] = str(s.name);
    out.kind[i] = s.kind;
    let r = resources.get(s.resource);
    if (r === undefined) {
      r = resourceList.length;
      const { serviceName, ...rest } = s.resource;
      resourceList.push({ service: serviceName, ...rest });
      resources.set(s.resource, r);
    }
    out.resource[i] = r;
    let sc = scopes.get(s.scope);
    if (sc === undefined) {
      sc = scopeList.length;
      scopeList.push(s.scope);
      scopes.set(s.scope, sc);
    }
    out.scope[i] = sc;
    out.start[i] = ns(s.startTimeUnixNano - base);
    out.duration[i] = ns(s.endTimeUnixNano - s.startTimeUnixNano);
    out.status[i] = s.statusCode;
    out.statusMessage[i] = str(s.statusMessage);
    out.traceState[i] = str(s.traceState);
    out.flags[i] = s.flags;
    out.attributes[i] = attrs(s.attributes);
    if (s.droppedAttributesCount || s.droppedEventsCount || s.droppedLinksCount) {
      out.dropped.push([i, s.droppedAttributesCount, s.droppedEventsCount, s.droppedLinksCount]);
    }
    if (s.events.length > 0) {
      out.events.push([i, s.events.map((e) => [ns(e.timeUnixNano - base), str(e.name), attrs(e.attributes), e.droppedAttributesCount])]);
    }
    if (s.links.length > 0) {
      out.links.push([i, s.links.map((l) => [l.traceId, l.spanId, str(l.traceState), l.flags, attrs(l.attributes), l.droppedAttributesCount])]);
    }
  }
  return {
    format: COMPACT_FORMAT,
    ...summaryJson(summarizeSpans(spans)),
    baseTimeUnixNano: base.toString(),
    strings: strings.items,
    values: values.items,
    resources: resourceList,
    scopes: scopeList,
    spans: out,
  };
}
