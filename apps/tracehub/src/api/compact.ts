/**
 * The compact trace detail (`GET /api/v1/traces/{id}?format=compact`, API.md):
 * the same spans as the JSON detail, with each resource and scope sent once,
 * a string table (span names, services' keys, attribute keys, status messages,
 * trace states, event names), a table of distinct attribute values, span ids
 * once (parents as indexes), times as nanosecond offsets from the trace start,
 * and the span fields as parallel arrays. Rare fields (events, links, dropped
 * counts, parents outside the trace) are sparse lists of [spanIndex, …]. Pure.
 *
 * CompactTraceBuilder takes the spans one by one, either as records (encodeCompactTrace) or as the
 * store hands them out (a StoredTraceSink: no record, no attribute object per span).
 */
import { type AnyValue, type Attribute, MISSING_ROOT_NAME, type Resource, type Scope, type SpanEvent, type SpanLink, type SpanRecord, StatusCode } from '../model.js';
import { type AttrType, valueOfAttrText } from '../store/rows.js';
import type { StoredSlice, StoredTraceContext, StoredTraceSink } from '../store/types.js';
import { jsonPieces } from './json-pieces.js';
import { summaryJson } from './present.js';

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
  /**
   * Distinct attribute values; a bare string stands for {type: 'string', value}, a bare number for
   * {type: 'int', value: its digits} (a safe integer: ids and counters; other ints stay objects).
   */
  values: (string | number | AnyValue)[];
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

/** A table that hands out one index per distinct string. */
class StringTable {
  readonly items: string[] = [];
  private readonly index = new Map<string, number>();
  /** '' is always index 0. */
  constructor() {
    this.items.push('');
    this.index.set('', 0);
  }
  add(s: string): number {
    if (s === '') return 0;
    let i = this.index.get(s);
    if (i === undefined) {
      i = this.items.length;
      this.items.push(s);
      this.index.set(s, i);
    }
    return i;
  }
}

/** Numbers for the distinct keys (objects or ids) of a table; the items are resolved when the trace ends. */
class Numbering<K> {
  readonly keys: K[] = [];
  private readonly index = new Map<K, number>();
  of(key: K): number {
    let i = this.index.get(key);
    if (i === undefined) {
      i = this.keys.length;
      this.keys.push(key);
      this.index.set(key, i);
    }
    return i;
  }
}

function ns(d: bigint): CompactNs {
  const n = Number(d);
  return Number.isSafeInteger(n) ? n : d.toString();
}

/** An int value as the values table holds it: a bare number when that says the same digits. */
function intItem(digits: string, n: number): number | AnyValue {
  return Number.isSafeInteger(n) && String(n) === digits ? n : { type: 'int', value: digits };
}

/** Stored ints below this are looked up in a typed array by value (at most 16 MB). */
const DENSE_INTS = 1 << 22;

/** The values table: one index per distinct value, string and int values looked up without building a key. */
class ValueTable {
  readonly items: (string | number | AnyValue)[] = [];
  private readonly strings = new Map<string, number>();
  private readonly ints = new Map<string, number>();
  /** Stored ints in [0, DENSE_INTS): index + 1 by value (no hashing; ids and counters are mostly here). */
  private dense = new Int32Array(1024);
  /** Other stored ints whose number is a safe integer, by that number. */
  private readonly safeInts = new Map<number, number>();
  private readonly others = new Map<string, number>();
  add(v: AnyValue): number {
    if (v.type === 'string') return this.string(v.value);
    if (v.type === 'int') return this.int(v.value);
    return this.other(v);
  }
  /** The value a stored attribute row holds (rows.ts's text form). */
  addStored(vtype: AttrType, str: string, num: number | null): number {
    if (vtype === 'string') return this.string(str);
    if (vtype === 'int') return num !== null && Number.isSafeInteger(num) ? this.safeInt(num, str) : this.int(str);
    return this.other(valueOfAttrText(vtype, str, num));
  }
  private string(s: string): number {
    let i = this.strings.get(s);
    if (i === undefined) {
      i = this.items.push(s) - 1;
      this.strings.set(s, i);
    }
    return i;
  }
  /**
   * The stored int `digits` (canonical int64 digits) whose value is the safe integer n. A stored
   * int always takes the same table (dense, by number, or by digits), so it gets one index.
   */
  private safeInt(n: number, digits: string): number {
    if (n >= 0 && n < DENSE_INTS) {
      if (n >= this.dense.length) {
        const grown = new Int32Array(Math.min(DENSE_INTS, Math.max(n + 1, this.dense.length * 2)));
        grown.set(this.dense);
        this.dense = grown;
      }
      const known = this.dense[n]!;
      if (known !== 0) return known - 1;
      const i = this.items.push(intItem(digits, n)) - 1;
      this.dense[n] = i + 1;
      return i;
    }
    let i = this.safeInts.get(n);
    if (i === undefined) {
      i = this.items.push(intItem(digits, n)) - 1;
      this.safeInts.set(n, i);
    }
    return i;
  }
  private int(digits: string): number {
    let i = this.ints.get(digits);
    if (i === undefined) {
      i = this.items.push(intItem(digits, Number(digits))) - 1;
      this.ints.set(digits, i);
    }
    return i;
  }
  private other(v: AnyValue): number {
    const key = JSON.stringify(v);
    let i = this.others.get(key);
    if (i === undefined) {
      i = this.items.push(v) - 1;
      this.others.set(key, i);
    }
    return i;
  }
}

interface SpanFields {
  spanId: string;
  parentSpanId: string;
  name: string;
  kind: number;
  statusCode: number;
  statusMessage: string;
  traceState: string;
  flags: number;
}

/**
 * The compact detail of one trace, built span by span in the trace's order (start time, then span
 * id). Parents are resolved when the trace ends, so a child may come before its parent.
 */
export class CompactTraceBuilder<R = Resource, S = Scope> {
  private readonly strings = new StringTable();
  private readonly values = new ValueTable();
  private readonly resources = new Numbering<R>();
  private readonly scopes = new Numbering<S>();
  private readonly spanId: string[] = [];
  private readonly parentSpanId: string[] = [];
  private readonly name: number[] = [];
  private readonly kind: number[] = [];
  private readonly resource: number[] = [];
  private readonly scope: number[] = [];
  private readonly start: CompactNs[] = [];
  private readonly duration: CompactNs[] = [];
  private readonly status: number[] = [];
  private readonly statusMessage: number[] = [];
  private readonly traceState: number[] = [];
  private readonly flags: number[] = [];
  private readonly attributes: CompactAttributes[] = [];
  private readonly dropped: CompactTrace['spans']['dropped'] = [];
  private readonly events: CompactTrace['spans']['events'] = [];
  private readonly links: CompactTrace['spans']['links'] = [];
  /** Per resource number: [spans, errors]. */
  private readonly perResource: [number, number][] = [];
  private errorCount = 0;
  private endOffset = 0n;
  private endOffsetNumber = 0;
  private root: { startOffset: bigint; resource: number; name: string } | null = null;
  /** Spans added so far. */
  private count = 0;
  /** The first span of each id. */
  private readonly indexOf = new Map<string, number>();
  /**
   * JSON texts (without brackets) of the columns' earlier parts, when the builder writes text
   * (finishText): flushColumns() moves what the column arrays hold into them, so a large trace
   * is kept as a few strings per column instead of an object per value.
   */
  private readonly texts = new Map<FlushedColumn, string[]>();
  /** Attribute key number (stored spans) → its index in strings. */
  private readonly keyIndex: number[] = [];

  constructor(
    private readonly traceId: string,
    /** Unix ns of the earliest span start: every offset counts from it. */
    private readonly base: bigint,
  ) {}

  get spanCount(): number {
    return this.count;
  }

  /** One span as a record (its resource and scope objects number themselves). */
  addRecord(this: CompactTraceBuilder<Resource, Scope>, s: SpanRecord): void {
    const i = this.count;
    const start = s.startTimeUnixNano - this.base;
    const duration = s.endTimeUnixNano - s.startTimeUnixNano;
    this.common(s, this.resources.of(s.resource), this.scopes.of(s.scope), ns(start), ns(duration), start, duration);
    this.attributes.push(this.attrs(s.attributes));
    this.rare(i, s.events, s.links, s.droppedAttributesCount, s.droppedEventsCount, s.droppedLinksCount);
  }

  /** The spans of a slice as the store hands them out; `keyOf` resolves attribute key numbers. */
  addStoredSlice(this: CompactTraceBuilder<string, number>, s: StoredSlice, keyOf: (keyId: number) => string): void {
    for (let j = 0; j < s.spanId.length; j++) {
      const i = this.count;
      const start = s.startOffsetNs[j]!;
      const duration = s.durationNs[j]!;
      const resource = this.resources.of(s.resourceId[j]!);
      const scope = this.scopes.of(s.scopeId[j]!);
      const span = this.scratch;
      span.spanId = s.spanId[j]!;
      span.parentSpanId = s.parentSpanId[j]!;
      span.name = s.name[j]!;
      span.kind = s.kind[j]!;
      span.statusCode = s.statusCode[j]!;
      span.statusMessage = s.statusMessage[j]!;
      span.traceState = s.traceState[j]!;
      span.flags = s.flags[j]!;
      if (Number.isSafeInteger(start) && Number.isSafeInteger(duration)) this.common(span, resource, scope, start, duration);
      else {
        const [startBig, durationBig] = [BigInt(start), BigInt(duration)];
        this.common(span, resource, scope, ns(startBig), ns(durationBig), startBig, durationBig);
      }
      const from = s.attrStart[j]!;
      const to = s.attrStart[j + 1]!;
      const attrs = new Array<number>((to - from) * 2);
      for (let k = from; k < to; k++) {
        const key = s.attrKey[k]!;
        attrs[2 * (k - from)] = this.keyIndex[key] ??= this.strings.add(keyOf(key));
        attrs[2 * (k - from) + 1] = this.values.addStored(s.attrType[k]!, s.attrStr[k]!, s.attrNum[k]!);
      }
      this.attributes.push(attrs);
      const rare = s.rare.get(j);
      if (rare) {
        const events = rare.events.map((e) => ({ ...e, timeUnixNano: BigInt(e.timeUnixNano) }));
        this.rare(i, events, rare.links, rare.droppedAttributesCount, rare.droppedEventsCount, rare.droppedLinksCount);
      }
    }
  }

  /** The fields common() reads, reused for each stored span (common() keeps none of it). */
  private readonly scratch: SpanFields = { spanId: '', parentSpanId: '', name: '', kind: 0, statusCode: 0, statusMessage: '', traceState: '', flags: 0 };

  private common(
    s: SpanFields,
    resource: number,
    scope: number,
    start: CompactNs,
    duration: CompactNs,
    startBig?: bigint,
    durationBig?: bigint,
  ): void {
    const i = this.count++;
    if (!this.indexOf.has(s.spanId)) this.indexOf.set(s.spanId, i);
    this.spanId.push(s.spanId);
    this.parentSpanId.push(s.parentSpanId);
    this.name.push(this.strings.add(s.name));
    this.kind.push(s.kind);
    this.resource.push(resource);
    this.scope.push(scope);
    this.start.push(start);
    this.duration.push(duration);
    this.status.push(s.statusCode);
    this.statusMessage.push(this.strings.add(s.statusMessage));
    this.traceState.push(this.strings.add(s.traceState));
    this.flags.push(s.flags);
    const isError = s.statusCode === StatusCode.ERROR;
    if (isError) this.errorCount++;
    const counts = (this.perResource[resource] ??= [0, 0]);
    counts[0]++;
    if (isError) counts[1]++;
    // Offsets as numbers are exact below 2^53 ns (104 days); beyond, the bigints are given. The
    // latest end is kept as a number while it is one (no BigInt per span).
    if (startBig !== undefined && durationBig !== undefined) {
      const end = startBig + durationBig;
      if (end > this.endOffset) this.endOffset = end;
    } else {
      const end = (start as number) + (duration as number);
      if (end > this.endOffsetNumber) this.endOffsetNumber = end;
    }
    if (s.parentSpanId === '') {
      const startOffset = startBig ?? BigInt(start as number);
      if (this.root === null || startOffset < this.root.startOffset) this.root = { startOffset, resource, name: s.name };
    }
  }

  private attrs(list: Attribute[]): CompactAttributes {
    const out = new Array<number>(list.length * 2);
    for (let i = 0; i < list.length; i++) {
      const a = list[i]!;
      out[2 * i] = this.strings.add(a.key);
      out[2 * i + 1] = this.values.add(a.value);
    }
    return out;
  }

  private rare(i: number, events: SpanEvent[], links: SpanLink[], droppedAttributes: number, droppedEvents: number, droppedLinks: number): void {
    if (droppedAttributes || droppedEvents || droppedLinks) this.dropped.push([i, droppedAttributes, droppedEvents, droppedLinks]);
    if (events.length > 0) {
      this.events.push([i, events.map((e) => [ns(e.timeUnixNano - this.base), this.strings.add(e.name), this.attrs(e.attributes), e.droppedAttributesCount])]);
    }
    if (links.length > 0) {
      this.links.push([i, links.map((l) => [l.traceId, l.spanId, this.strings.add(l.traceState), l.flags, this.attrs(l.attributes), l.droppedAttributesCount])]);
    }
  }

  /** Moves the flushed columns' values into their JSON texts (see `texts`). */
  flushColumns(): void {
    for (const name of FLUSHED_COLUMNS) {
      const column = this[name] as unknown[];
      if (column.length === 0) continue;
      const text = JSON.stringify(column);
      let parts = this.texts.get(name);
      if (!parts) this.texts.set(name, (parts = []));
      parts.push(text.slice(1, -1));
      column.length = 0;
    }
  }

  /** The parents as indexes (-1 root, -2 not in the trace; those in missingParents). */
  private parents(): { parent: number[]; missingParents: CompactTrace['spans']['missingParents'] } {
    const n = this.parentSpanId.length;
    const parent = new Array<number>(n);
    const missingParents: CompactTrace['spans']['missingParents'] = [];
    for (let i = 0; i < n; i++) {
      const id = this.parentSpanId[i]!;
      if (id === '') parent[i] = -1;
      else {
        const p = this.indexOf.get(id);
        if (p === undefined) {
          parent[i] = -2;
          missingParents.push([i, id]);
        } else parent[i] = p;
      }
    }
    return { parent, missingParents };
  }

  /** Every field of the detail but the spans' columns. */
  private head(resourceOf: (r: R) => Resource, scopeOf: (s: S) => Scope): Omit<CompactTrace, 'spans'> {
    const resources = this.resources.keys.map(resourceOf);
    const services = new Map<string, { spanCount: number; errorCount: number }>();
    resources.forEach((r, k) => {
      const c = services.get(r.serviceName) ?? { spanCount: 0, errorCount: 0 };
      c.spanCount += this.perResource[k]![0];
      c.errorCount += this.perResource[k]![1];
      services.set(r.serviceName, c);
    });
    const root = this.root;
    return {
      format: COMPACT_FORMAT,
      ...summaryJson({
        traceId: this.traceId,
        rootService: root ? resources[root.resource]!.serviceName : '',
        rootName: root ? root.name : MISSING_ROOT_NAME,
        startTimeUnixNano: this.base,
        endTimeUnixNano: this.base + (BigInt(this.endOffsetNumber) > this.endOffset ? BigInt(this.endOffsetNumber) : this.endOffset),
        spanCount: this.count,
        errorCount: this.errorCount,
        services: [...services]
          .map(([name, c]) => ({ name, ...c }))
          .sort((a, b) => b.spanCount - a.spanCount || a.name.localeCompare(b.name)),
      }),
      baseTimeUnixNano: this.base.toString(),
      strings: this.strings.items,
      values: this.values.items,
      resources: resources.map(({ serviceName, ...rest }) => ({ service: serviceName, ...rest })),
      scopes: this.scopes.keys.map(scopeOf),
    };
  }

  private columns(parents: ReturnType<CompactTraceBuilder['parents']>): CompactTrace['spans'] {
    return {
      spanId: this.spanId,
      parent: parents.parent,
      missingParents: parents.missingParents,
      name: this.name,
      kind: this.kind,
      resource: this.resource,
      scope: this.scope,
      start: this.start,
      duration: this.duration,
      status: this.status,
      statusMessage: this.statusMessage,
      traceState: this.traceState,
      flags: this.flags,
      attributes: this.attributes,
      dropped: this.dropped,
      events: this.events,
      links: this.links,
    };
  }

  /** The detail (at least one span added, nothing flushed); `resourceOf` and `scopeOf` resolve what the spans carried. */
  finish(resourceOf: (r: R) => Resource, scopeOf: (s: S) => Scope): CompactTrace {
    if (this.texts.size > 0) throw new Error('CompactTraceBuilder.finish after flushColumns: use finishText');
    return { ...this.head(resourceOf, scopeOf), spans: this.columns(this.parents()) };
  }

  /**
   * The detail as JSON text in pieces (the same text as JSON.stringify(finish(…)) gives, whether
   * or not columns were flushed): the column texts are written as they are, the rest by jsonPieces.
   */
  finishText(resourceOf: (r: R) => Resource, scopeOf: (s: S) => Scope): CompactTraceText {
    const head = this.head(resourceOf, scopeOf);
    const parents = this.parents();
    this.flushColumns();
    const columns = this.columns(parents);
    const texts = this.texts;
    return {
      spanCount: this.count,
      *pieces() {
        yield `${JSON.stringify(head).slice(0, -1)},"spans":{`;
        let first = true;
        for (const [name, value] of Object.entries(columns)) {
          yield `${first ? '' : ','}${JSON.stringify(name)}:`;
          first = false;
          if ((FLUSHED_COLUMNS as readonly string[]).includes(name)) {
            // flushColumns() above moved every value into these texts (one per non-empty part).
            const parts = texts.get(name as FlushedColumn) ?? [];
            yield '[';
            for (let k = 0; k < parts.length; k++) yield k === 0 ? parts[k]! : `,${parts[k]}`;
            yield ']';
          } else yield* jsonPieces(value);
        }
        yield '}}';
      },
    };
  }
}

/** Columns a text-writing builder keeps as JSON text between slices. */
const FLUSHED_COLUMNS = ['spanId', 'name', 'kind', 'resource', 'scope', 'start', 'duration', 'status', 'statusMessage', 'traceState', 'flags', 'attributes'] as const;
type FlushedColumn = (typeof FLUSHED_COLUMNS)[number];

/** A compact detail as JSON text (CompactTraceBuilder.finishText). */
export interface CompactTraceText {
  spanCount: number;
  pieces(): Generator<string>;
}

const same = <T>(x: T): T => x;

/** Encodes the spans of one trace (non-empty, in the store's order, as TraceReader.getTrace returns them). */
export function encodeCompactTrace(spans: SpanRecord[]): CompactTrace {
  let base = spans[0]!.startTimeUnixNano;
  for (const s of spans) if (s.startTimeUnixNano < base) base = s.startTimeUnixNano;
  const b = new CompactTraceBuilder(spans[0]!.traceId, base);
  for (const s of spans) b.addRecord(s);
  return b.finish(same, same);
}

/**
 * A StoredTraceSink that builds the compact detail straight from the store's rows (TraceReader.readTrace)
 * as JSON text: each slice's columns become text as soon as the slice is encoded.
 */
export function compactTraceSink(t: StoredTraceContext): StoredTraceSink<CompactTraceText> {
  const b = new CompactTraceBuilder<string, number>(t.traceId, t.startNs);
  return {
    slice: (s) => {
      b.addStoredSlice(s, t.keyOf);
      b.flushColumns();
    },
    end: (resourceOf) => b.finishText(resourceOf, t.scopeOf),
  };
}
