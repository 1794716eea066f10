/**
 * Pure transforms between the record model and the store's rows: records →
 * column arrays for the appenders, and stored rows → records. No I/O here.
 */
import { createHash } from 'node:crypto';
import {
  type AnyValue,
  type Attribute,
  type LogRecordData,
  type Resource,
  type Scope,
  type SpanEvent,
  type SpanRecord,
  StatusCode,
} from '../model.js';

/** The searchable text/number form of an attribute value. */
export interface AttrText {
  vtype: AnyValue['type'];
  str: string;
  num: number | null;
}

export function attrText(v: AnyValue): AttrText {
  switch (v.type) {
    case 'string':
    case 'bytes':
      return { vtype: v.type, str: v.value, num: null };
    case 'bool':
      return { vtype: 'bool', str: v.value ? 'true' : 'false', num: null };
    case 'int':
      return { vtype: 'int', str: v.value, num: Number(v.value) };
    case 'double':
      return { vtype: 'double', str: String(v.value), num: typeof v.value === 'number' ? v.value : Number(v.value) };
    case 'array':
    case 'kvlist':
      return { vtype: v.type, str: JSON.stringify(v.value), num: null };
    case 'empty':
      return { vtype: 'empty', str: '', num: null };
  }
}

/** The names attrText gives the value types (the attr_type ENUM of schema.sql). */
export type AttrType = AnyValue['type'];

/**
 * The value attrText's text/number form came from (its inverse): ints keep
 * their digits, finite doubles their number (-0 too), non-finite doubles their
 * spelling, arrays and kvlists their JSON. `num` is null for a non-finite double.
 */
export function valueOfAttrText(vtype: AttrType, str: string, num: number | null): AnyValue {
  switch (vtype) {
    case 'string':
    case 'bytes':
    case 'int':
      return { type: vtype, value: str };
    case 'bool':
      return { type: 'bool', value: str === 'true' };
    case 'double':
      return { type: 'double', value: num ?? (str as 'NaN' | 'Infinity' | '-Infinity') };
    case 'array':
      return { type: 'array', value: JSON.parse(str) as AnyValue[] };
    case 'kvlist':
      return { type: 'kvlist', value: JSON.parse(str) as Attribute[] };
    case 'empty':
      return { type: 'empty' };
  }
}

/**
 * The attributes of a set of spans as one JSON text: an array of
 * [span_key, ord, key id, type, text, finite number or null], unordered.
 * `where` selects span_attr_rows (by span_key and start_ns, so row groups are
 * skipped by their min/max). One flat aggregate: grouping by span in SQL
 * (`list(… ORDER BY ord)` per span) cost ~5x as much at 100k spans.
 */
export function attributeRowsSql(where: string): string {
  return `SELECT '[' || string_agg(json_array(span_key, ord, key_id, vtype, str, CASE WHEN isfinite(num) THEN num END)::VARCHAR, ',') || ']'
    FROM span_attr_rows WHERE ${where}`;
}

type AttrRow = [spanKey: number, ord: number, keyId: number, vtype: AttrType, str: string, num: number | null];

/** attributeRowsSql's text as each span's attributes in their order, by span_key. Pure. */
export function attributesBySpan(json: string | null | undefined, keyOf: (id: number) => string): Map<number, Attribute[]> {
  const bySpan = new Map<number, AttrRow[]>();
  if (typeof json === 'string') {
    for (const row of JSON.parse(json) as AttrRow[]) {
      const list = bySpan.get(row[0]);
      if (list) list.push(row);
      else bySpan.set(row[0], [row]);
    }
  }
  const out = new Map<number, Attribute[]>();
  for (const [spanKey, rows] of bySpan) {
    let sorted = true;
    for (let i = 1; i < rows.length; i++) if (rows[i]![1] < rows[i - 1]![1]) sorted = false;
    if (!sorted) rows.sort((a, b) => a[1] - b[1]);
    out.set(
      spanKey,
      rows.map((r) => ({ key: keyOf(r[2]), value: valueOfAttrText(r[3], r[4], r[5]) })),
    );
  }
  return out;
}

/** Stable content hash of a resource, so each distinct resource is stored once. */
export function resourceId(r: Resource): string {
  return createHash('sha1')
    .update(JSON.stringify([r.attributes, r.droppedAttributesCount, r.schemaUrl]))
    .digest('hex')
    .slice(0, 24);
}

export function eventsJson(events: SpanEvent[]): string {
  if (events.length === 0) return '[]';
  return JSON.stringify(
    events.map((e) => ({
      timeUnixNano: e.timeUnixNano.toString(),
      name: e.name,
      attributes: e.attributes,
      droppedAttributesCount: e.droppedAttributesCount,
    })),
  );
}

export function parseEvents(json: string): SpanEvent[] {
  if (json === '[]') return [];
  const raw = JSON.parse(json) as { timeUnixNano: string; name: string; attributes: Attribute[]; droppedAttributesCount: number }[];
  return raw.map((e) => ({ ...e, timeUnixNano: BigInt(e.timeUnixNano) }));
}

/** Column arrays for one append, in the table's column order. */
export type Columns = unknown[][];

function columns(n: number, width: number): Columns {
  return Array.from({ length: width }, () => new Array<unknown>(n));
}


/**
 * Numbers distinct values (by a text key) for a dictionary table. Values first
 * seen in a batch are pending until the batch commits, and forgotten if it fails.
 */
export class Numbering<T> {
  private readonly ids = new Map<string, number>();
  private readonly items: T[] = [];
  private pending: [string, number][] = [];
  private next = 0;

  constructor(private readonly what: string) {}

  /** The stored values (at open): [id, key, value]. */
  load(rows: Iterable<readonly [number, string, T]>): void {
    for (const [id, key, item] of rows) {
      this.ids.set(key, id);
      this.items[id] = item;
      if (id >= this.next) this.next = id + 1;
    }
  }

  /** The number of the value with this key; `item` makes the value when it is new. */
  number(key: string, item: () => T): number {
    let id = this.ids.get(key);
    if (id === undefined) {
      id = this.next++;
      this.ids.set(key, id);
      this.items[id] = item();
      this.pending.push([key, id]);
    }
    return id;
  }

  /** The value of a stored number. */
  itemOf = (id: number): T => {
    const item = this.items[id];
    if (item === undefined) throw new Error(`store: ${this.what} ${id} is not stored`);
    return item;
  };

  get size(): number {
    return this.ids.size;
  }

  /** The values first seen since the last commit or rollback, with their numbers. */
  pendingItems(): [number, T][] {
    return this.pending.map(([, id]) => [id, this.items[id]!]);
  }

  commit(): void {
    this.pending = [];
  }

  rollback(): void {
    for (const [key] of this.pending) this.ids.delete(key);
    this.next -= this.pending.length;
    this.items.length = this.next;
    this.pending = [];
  }
}

/** The attribute-key dictionary (table attr_keys): key → number. */
export class KeyDictionary extends Numbering<string> {
  constructor() {
    super('attribute key');
  }

  idOf(key: string): number {
    return this.number(key, () => key);
  }

  keyOf = (id: number): string => this.itemOf(id);

  /** Rows of attr_keys for the keys first seen since the last commit or rollback. */
  pendingColumns(): Columns {
    const items = this.pendingItems();
    return [items.map(([id]) => id), items.map(([, key]) => key)];
  }
}

/**
 * The instrumentation scopes (table scopes): each distinct scope once, its
 * number on the span rows. Keyed by content, memoised per Scope object (the
 * decoders share one object between the spans of a ScopeSpans).
 */
export class ScopeDictionary extends Numbering<Scope> {
  private memo = new WeakMap<Scope, number>();

  constructor() {
    super('scope');
  }

  idOf(scope: Scope): number {
    let id = this.memo.get(scope);
    if (id === undefined) {
      id = this.number(ScopeDictionary.keyOf(scope), () => scope);
      this.memo.set(scope, id);
    }
    return id;
  }

  /** The text a scope is told apart by (its whole content). */
  static keyOf(scope: Scope): string {
    return JSON.stringify([scope.name, scope.version, scope.attributes, scope.droppedAttributesCount, scope.schemaUrl]);
  }

  scopeOf = (id: number): Scope => this.itemOf(id);

  /** Rows of scopes for the scopes first seen since the last commit or rollback. */
  pendingColumns(): Columns {
    const items = this.pendingItems();
    return [
      items.map(([id]) => id),
      items.map(([, s]) => s.name),
      items.map(([, s]) => s.version),
      items.map(([, s]) => JSON.stringify(s.attributes)),
      items.map(([, s]) => s.droppedAttributesCount),
      items.map(([, s]) => s.schemaUrl),
    ];
  }

  rollback(): void {
    super.rollback();
    // A memoised number may now belong to no scope, or to another.
    this.memo = new WeakMap();
  }
}

/** The resource ids already stored (or queued in this batch). */
export type ResourceSet = Pick<Set<string>, 'has' | 'add'>;

/** Registers a record's resource; returns its id and queues it when first seen. */
function resourceFor(
  r: Resource,
  knownResources: ResourceSet,
  ridCache: WeakMap<Resource, string>,
  fresh: { id: string; r: Resource }[],
): string {
  let rid = ridCache.get(r);
  if (rid === undefined) {
    rid = resourceId(r);
    ridCache.set(r, rid);
  }
  if (!knownResources.has(rid)) {
    knownResources.add(rid);
    fresh.push({ id: rid, r });
  }
  return rid;
}

/** Rows of `resources` and `resource_attrs` for newly seen resources. */
function resourceColumns(fresh: { id: string; r: Resource }[], nowNs: bigint): { resources: Columns; resourceAttrs: Columns } {
  const rc = columns(fresh.length, 6);
  let raCount = 0;
  for (const { r } of fresh) raCount += r.attributes.length;
  const rac = columns(raCount, 5);
  let ra = 0;
  fresh.forEach(({ id, r }, i) => {
    const row = [id, r.serviceName, JSON.stringify(r.attributes), r.droppedAttributesCount, r.schemaUrl, nowNs];
    for (let c = 0; c < 6; c++) rc[c]![i] = row[c];
    for (const attr of r.attributes) {
      const t = attrText(attr.value);
      rac[0]![ra] = id;
      rac[1]![ra] = attr.key;
      rac[2]![ra] = t.vtype;
      rac[3]![ra] = t.str;
      rac[4]![ra] = t.num;
      ra++;
    }
  });
  return { resources: rc, resourceAttrs: rac };
}

export interface TracePart {
  traceId: string;
  startNs: bigint;
  endNs: bigint;
  spanCount: number;
  errorCount: number;
  rootService: string | null;
  rootName: string | null;
  rootStartNs: bigint | null;
  services: Map<string, { spanCount: number; errorCount: number }>;
}

/** Per-trace aggregates of one batch of spans. */
export function tracePartsOf(spans: SpanRecord[]): Map<string, TracePart> {
  const parts = new Map<string, TracePart>();
  for (const s of spans) {
    let p = parts.get(s.traceId);
    if (!p) {
      p = {
        traceId: s.traceId,
        startNs: s.startTimeUnixNano,
        endNs: s.endTimeUnixNano,
        spanCount: 0,
        errorCount: 0,
        rootService: null,
        rootName: null,
        rootStartNs: null,
        services: new Map(),
      };
      parts.set(s.traceId, p);
    }
    const isError = s.statusCode === StatusCode.ERROR;
    p.spanCount++;
    if (isError) p.errorCount++;
    if (s.startTimeUnixNano < p.startNs) p.startNs = s.startTimeUnixNano;
    if (s.endTimeUnixNano > p.endNs) p.endNs = s.endTimeUnixNano;
    if (s.parentSpanId === '' && (p.rootStartNs === null || s.startTimeUnixNano < p.rootStartNs)) {
      p.rootService = s.resource.serviceName;
      p.rootName = s.name;
      p.rootStartNs = s.startTimeUnixNano;
    }
    const svc = p.services.get(s.resource.serviceName) ?? { spanCount: 0, errorCount: 0 };
    svc.spanCount++;
    if (isError) svc.errorCount++;
    p.services.set(s.resource.serviceName, svc);
  }
  return parts;
}

export function servicesJson(services: Map<string, { spanCount: number; errorCount: number }>): string {
  const o: Record<string, [number, number]> = {};
  for (const [name, c] of services) o[name] = [c.spanCount, c.errorCount];
  return JSON.stringify(o);
}

/** Columns of a `spans` row. */
const SPAN_WIDTH = 22;

/** span_key = ingest_seq * SPAN_KEY_STRIDE + position in the batch. */
export const SPAN_KEY_STRIDE = 1 << 20;

export interface SpanBatchRows {
  spans: Columns;
  spanAttrs: Columns;
  traceParts: Columns;
  resources: Columns;
  resourceAttrs: Columns;
  /** Ids of the resources first seen in this batch. */
  newResourceIds: string[];
}

/**
 * Rows for one ingest batch. `knownResources` holds ids already stored; the
 * batch's new ones are added to it. `ridCache` memoises the id per resource
 * object, since the decoders share one object between the spans of a ResourceSpans.
 */
export function spanBatchRows(
  spans: SpanRecord[],
  seq: bigint,
  knownResources: ResourceSet,
  ridCache: WeakMap<Resource, string>,
  nowNs: bigint,
  keys: KeyDictionary,
  scopes: ScopeDictionary,
): SpanBatchRows {
  const n = spans.length;
  if (n >= SPAN_KEY_STRIDE) throw new Error(`a batch holds at most ${SPAN_KEY_STRIDE - 1} spans`);
  const spanKeyBase = seq * BigInt(SPAN_KEY_STRIDE);
  const sc = columns(n, SPAN_WIDTH);
  let attrCount = 0;
  for (const s of spans) attrCount += s.attributes.length;
  const ac = columns(attrCount, 7);
  const res: { id: string; r: Resource }[] = [];
  let a = 0;
  for (let i = 0; i < n; i++) {
    const s = spans[i]!;
    const rid = resourceFor(s.resource, knownResources, ridCache, res);
    const spanKey = spanKeyBase + BigInt(i);
    const row = [
      s.traceId,
      s.spanId,
      s.parentSpanId,
      s.traceState,
      s.flags,
      s.name,
      s.kind,
      s.resource.serviceName,
      rid,
      s.startTimeUnixNano,
      s.endTimeUnixNano,
      s.endTimeUnixNano - s.startTimeUnixNano,
      s.statusCode,
      s.statusMessage,
      s.droppedAttributesCount,
      eventsJson(s.events),
      s.droppedEventsCount,
      s.links.length === 0 ? '[]' : JSON.stringify(s.links),
      s.droppedLinksCount,
      seq,
      spanKey,
      scopes.idOf(s.scope),
    ];
    for (let c = 0; c < SPAN_WIDTH; c++) sc[c]![i] = row[c];
    for (let k = 0; k < s.attributes.length; k++) {
      const attr = s.attributes[k]!;
      const t = attrText(attr.value);
      ac[0]![a] = spanKey;
      ac[1]![a] = k;
      ac[2]![a] = keys.idOf(attr.key);
      ac[3]![a] = t.vtype;
      ac[4]![a] = t.str;
      ac[5]![a] = t.num;
      ac[6]![a] = s.startTimeUnixNano;
      a++;
    }
  }

  const parts = [...tracePartsOf(spans).values()];
  const pc = columns(parts.length, 10);
  parts.forEach((p, i) => {
    const row = [p.traceId, p.startNs, p.endNs, p.spanCount, p.errorCount, p.rootService, p.rootName, p.rootStartNs, servicesJson(p.services), seq];
    for (let c = 0; c < 10; c++) pc[c]![i] = row[c];
  });

  const fresh = resourceColumns(res, nowNs);
  return { spans: sc, spanAttrs: ac, traceParts: pc, ...fresh, newResourceIds: res.map((x) => x.id) };
}

export function logBatchRows(
  logs: LogRecordData[],
  seq: bigint,
  knownResources: ResourceSet,
  ridCache: WeakMap<Resource, string>,
  nowNs: bigint,
): { logs: Columns; resources: Columns; resourceAttrs: Columns } {
  const lc = columns(logs.length, 19);
  const res: { id: string; r: Resource }[] = [];
  logs.forEach((l, i) => {
    const rid = resourceFor(l.resource, knownResources, ridCache, res);
    const row = [
      l.traceId,
      l.spanId,
      l.timeUnixNano,
      l.observedTimeUnixNano,
      l.severityNumber,
      l.severityText,
      JSON.stringify(l.body),
      JSON.stringify(l.attributes),
      l.droppedAttributesCount,
      l.flags,
      l.eventName,
      l.resource.serviceName,
      rid,
      l.scope.name,
      l.scope.version,
      JSON.stringify(l.scope.attributes),
      l.scope.droppedAttributesCount,
      l.scope.schemaUrl,
      seq,
    ];
    for (let c = 0; c < 19; c++) lc[c]![i] = row[c];
  });
  return { logs: lc, ...resourceColumns(res, nowNs) };
}
