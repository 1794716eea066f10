/**
 * Reading one whole trace (trace by id). A trace of up to SMALL_TRACE_SPANS spans is read as plain
 * rows in two simple queries. A larger one is read in time slices of about SLICE_SPANS spans (by
 * start time, so the slices concatenate in order; bounded so DuckDB's memory and V8's strings stay
 * small), each one query whose answer is a JSON text per column (SLICE_SQL), parsed into a
 * StoredSlice of column arrays. Measured at 100k spans (bench/README.md): a row-by-row read spent
 * ~1.9 s materialising VARCHAR cells, a JSON array per span and per attribute row several times
 * longer in JSON.parse than columns do.
 */
import type { DuckDBConnection, DuckDBValue } from '@duckdb/node-api';
import type { Attribute, Resource, Scope, SpanLink, SpanRecord } from '../model.js';
import { type AttrType, SPAN_KEY_STRIDE, valueOfAttrText } from './rows.js';
import type { StoredRare, StoredSlice } from './types.js';

// 20k spans make ~5 MB of column text. Slices of 100k spans (~40 MB of text each in an earlier
// layout, plus DuckDB's aggregate state) took the default 384 MiB memory limit at 1M spans and
// failed a concurrent checkpoint.
const SLICE_SPANS = 20_000;

/**
 * One slice in one query (one round trip: the binding costs about 1 ms per query, most of a small
 * trace's read), whose answer is one row of columns: each a JSON text of one span or attribute
 * field for all the slice's rows, without its brackets (`string_agg` of JSON values). Column arrays
 * parse several times faster than an array per span or per attribute row and make no object per
 * row; one cell per column keeps the query cheap to plan (one object built with `||` from the same
 * aggregates took DuckDB ~6 ms more to plan at 10 spans, to_json of a struct of lists ~3 ms).
 * - `s` numbers the slice's spans in the store's order (`idx`: start time, then span id); the
 *   span columns (`s_…`) come with their idx, in no particular order (the aggregates of one
 *   query are filled from the same rows in the same order), the rare fields (events, links,
 *   dropped counts) only for the spans that have them;
 * - the attribute rows of those spans (`a_…`; span_attr_rows.start_ns is the span's start), with
 *   their span's idx, the value type as its ENUM code (`types` names them) and the number only for
 *   a finite double or an int (ints keep their digits in `str`; the number lets the compact
 *   encoder look a safe integer up by number).
 * Both are bounded by start time and by span_key: keys grow with each batch, so the row groups'
 * min/max of span_key skip all but the batches that hold the trace (start times of late spans
 * overlap many row groups). Scopes and attribute keys are numbers resolved from the store's
 * dictionaries.
 */
const SPAN_COLUMNS: Record<string, string> = {
  s_idx: 'idx::VARCHAR',
  s_id: 'to_json(span_id)::VARCHAR',
  s_parent: 'to_json(parent_span_id)::VARCHAR',
  s_name: 'to_json(name)::VARCHAR',
  s_kind: 'kind::VARCHAR',
  s_start: '(start_ns - ?::BIGINT)::VARCHAR',
  s_duration: '(end_ns - start_ns)::VARCHAR',
  s_status: 'status_code::VARCHAR',
  s_message: 'to_json(status_message)::VARCHAR',
  s_resource: 'to_json(resource_id)::VARCHAR',
  s_scope: 'scope_id::VARCHAR',
  s_state: 'to_json(trace_state)::VARCHAR',
  s_flags: 'flags::VARCHAR',
};
const ATTR_COLUMNS: Record<string, string> = {
  a_idx: 's.idx::VARCHAR',
  a_ord: 'a.ord::VARCHAR',
  a_key: 'a.key_id::VARCHAR',
  a_type: 'enum_code(a.vtype)::VARCHAR',
  a_str: 'to_json(a.str)::VARCHAR',
  a_num: "CASE WHEN a.vtype IN ('double', 'int') AND isfinite(a.num) THEN to_json(a.num)::VARCHAR ELSE 'null' END",
};
const aggregates = (columns: Record<string, string>) => Object.entries(columns).map(([name, json]) => `string_agg(${json}, ',') AS ${name}`).join(',\n    ');

const SLICE_SQL = `WITH s AS MATERIALIZED (
  SELECT *, (row_number() OVER (ORDER BY start_ns, span_id) - 1)::INTEGER AS idx
  FROM spans WHERE trace_id = ? AND start_ns BETWEEN ? AND ? AND span_key BETWEEN ? AND ?),
sp AS (
  SELECT
    ${aggregates(SPAN_COLUMNS)},
    string_agg(json_array(idx, events::JSON, links::JSON, dropped_attrs, dropped_events, dropped_links)::VARCHAR, ',')
      FILTER (WHERE events <> '[]' OR links <> '[]' OR dropped_attrs <> 0 OR dropped_events <> 0 OR dropped_links <> 0) AS s_rare
  FROM s),
attrs AS (
  SELECT
    ${aggregates(ATTR_COLUMNS)}
  FROM span_attr_rows a JOIN s USING (span_key)
  WHERE a.span_key BETWEEN ? AND ? AND a.start_ns BETWEEN ? AND ?)
SELECT sp.*, attrs.*, to_json(enum_range(NULL::attr_type))::VARCHAR AS a_types FROM sp, attrs`;

/** SLICE_SQL's answer: one JSON text (without brackets) per column; null when there are no rows. */
type SliceRow = Record<string, DuckDBValue>;

/** The span_key values of a trace's batches: [first batch * stride, (last batch + 1) * stride). */
interface KeyRange {
  lo: bigint;
  hi: bigint;
}

/** The slice's row (SLICE_SQL); DuckDB builds the texts on its own threads. */
async function querySlice(c: DuckDBConnection, traceId: string, base: bigint, lo: bigint, hi: bigint, keys: KeyRange): Promise<SliceRow | undefined> {
  const params: DuckDBValue[] = [traceId, lo, hi, keys.lo, keys.hi, base, keys.lo, keys.hi, lo, hi];
  return (await c.runAndReadAll(SLICE_SQL, params)).getRowObjects()[0];
}

/** One column of the row as an array. */
function column<T>(row: SliceRow, name: string): T[] {
  const text = row[name];
  return typeof text === 'string' ? (JSON.parse(`[${text}]`) as T[]) : [];
}

type RareRow = [idx: number, events: StoredRare['events'], links: SpanLink[], droppedAttributes: number, droppedEvents: number, droppedLinks: number];

/** `values[k]` placed at `at[k]` (a permutation of 0..n-1). */
function placed<T>(values: T[], at: number[]): T[] {
  const out = new Array<T>(values.length);
  for (let k = 0; k < values.length; k++) out[at[k]!] = values[k]!;
  return out;
}

/** A slice's row as columns in the store's order. Pure. */
function parseSlice(row: SliceRow | undefined): StoredSlice | null {
  if (!row) return null;
  const at = column<number>(row, 's_idx');
  if (at.length === 0) return null;
  const n = at.length;
  const rare: StoredSlice['rare'] = new Map();
  for (const [i, events, links, da, de, dl] of column<RareRow>(row, 's_rare')) {
    rare.set(i, { events, links, droppedAttributesCount: da, droppedEventsCount: de, droppedLinksCount: dl });
  }
  // The attribute rows by span (a counting sort on idx, stable), then by ord within a span.
  const rows = column<number>(row, 'a_idx');
  const ord = column<number>(row, 'a_ord');
  const attrStart = new Int32Array(n + 1);
  for (const i of rows) attrStart[i + 1]!++;
  for (let i = 0; i < n; i++) attrStart[i + 1]! += attrStart[i]!;
  const fill = attrStart.slice(0, n);
  const order = new Int32Array(rows.length);
  for (let k = 0; k < rows.length; k++) order[fill[rows[k]!]!++] = k;
  for (let i = 0; i < n; i++) {
    const [from, to] = [attrStart[i]!, attrStart[i + 1]!];
    for (let k = from + 1; k < to; k++) {
      if (ord[order[k]!]! < ord[order[k - 1]!]!) {
        order.subarray(from, to).sort((x, y) => ord[x]! - ord[y]!);
        break;
      }
    }
  }
  const pick = <T>(col: T[]): T[] => {
    const out = new Array<T>(order.length);
    for (let k = 0; k < order.length; k++) out[k] = col[order[k]!]!;
    return out;
  };
  const placedColumn = <T>(name: string) => placed(column<T>(row, name), at);
  const types = column<AttrType[]>(row, 'a_types')[0] ?? [];
  return {
    spanId: placedColumn('s_id'),
    parentSpanId: placedColumn('s_parent'),
    name: placedColumn('s_name'),
    kind: placedColumn('s_kind'),
    startOffsetNs: placedColumn('s_start'),
    durationNs: placedColumn('s_duration'),
    statusCode: placedColumn('s_status'),
    statusMessage: placedColumn('s_message'),
    resourceId: placedColumn('s_resource'),
    scopeId: placedColumn('s_scope'),
    traceState: placedColumn('s_state'),
    flags: placedColumn('s_flags'),
    attrStart,
    attrKey: pick(column<number>(row, 'a_key')),
    attrType: pick(column<number>(row, 'a_type')).map((code) => types[code]!),
    attrStr: pick(column<string>(row, 'a_str')),
    attrNum: pick(column<number | null>(row, 'a_num')),
    rare,
  };
}

/**
 * Up to this many spans a trace is read as plain rows (two simple queries) instead of
 * SLICE_SQL: DuckDB plans SLICE_SQL's aggregates in ~4 ms even when prepared, more than the
 * rows of a small trace cost to fetch cell by cell (measured at 10 spans in 2M: 5.8 ms for
 * SLICE_SQL, 1.8 + 2.4 ms for the two row queries).
 */
export const SMALL_TRACE_SPANS = 100;

const SMALL_SPANS_SQL = `SELECT span_id, parent_span_id, name, kind, start_ns - ?::BIGINT AS start_offset, end_ns - start_ns AS duration,
    status_code, status_message, span_key, events, links, resource_id, scope_id, trace_state, flags,
    dropped_attrs, dropped_events, dropped_links
  FROM spans WHERE trace_id = ? AND start_ns BETWEEN ? AND ? AND span_key BETWEEN ? AND ?`;
/**
 * The attribute rows of the spans whose keys are given (`n` of them): bounded by those keys' own
 * range, which prunes far more than the batches' (measured at 10M: 2.7 → 1.6 ms p50 against
 * selecting the keys from spans again).
 */
const smallAttrsSql = (n: number) => `SELECT span_key, ord, key_id, vtype, str, num FROM span_attr_rows
  WHERE span_key BETWEEN ? AND ? AND start_ns BETWEEN ? AND ? AND span_key IN (${Array.from({ length: n }, () => '?').join(', ')})`;

/** A small trace (SMALL_TRACE_SPANS) as one slice, from plain rows decoded by column name. */
async function readSmallTrace(c: DuckDBConnection, traceId: string, lo: bigint, hi: bigint, keys: KeyRange): Promise<StoredSlice | null> {
  const where: DuckDBValue[] = [traceId, lo, hi, keys.lo, keys.hi];
  const spans = (await c.runAndReadAll(SMALL_SPANS_SQL, [lo, ...where])).getRowObjects();
  if (spans.length === 0) return null;
  const spanKeys = spans.map((r) => r.span_key as bigint);
  let [first, last] = [spanKeys[0]!, spanKeys[0]!];
  for (const k of spanKeys) {
    if (k < first) first = k;
    if (k > last) last = k;
  }
  const attrs = (await c.runAndReadAll(smallAttrsSql(spanKeys.length), [first, last, lo, hi, ...spanKeys])).getRowObjects();
  // The store's order: start time, then span id.
  spans.sort((a, b) => {
    const d = (a.start_offset as bigint) - (b.start_offset as bigint);
    return d < 0n ? -1 : d > 0n ? 1 : (a.span_id as string) < (b.span_id as string) ? -1 : (a.span_id as string) > (b.span_id as string) ? 1 : 0;
  });
  const indexOfKey = new Map<bigint, number>(spans.map((r, i) => [r.span_key as bigint, i]));
  const n = spans.length;
  const rare: StoredSlice['rare'] = new Map();
  spans.forEach((r, i) => {
    const [events, links] = [r.events as string, r.links as string];
    const [da, de, dl] = [Number(r.dropped_attrs), Number(r.dropped_events), Number(r.dropped_links)];
    if (events !== '[]' || links !== '[]' || da || de || dl) {
      rare.set(i, { events: JSON.parse(events) as StoredRare['events'], links: JSON.parse(links) as SpanLink[], droppedAttributesCount: da, droppedEventsCount: de, droppedLinksCount: dl });
    }
  });
  // Attribute rows by span, then by ord.
  const bySpan = attrs
    .map((a) => ({ i: indexOfKey.get(a.span_key as bigint)!, ord: Number(a.ord), a }))
    .sort((x, y) => x.i - y.i || x.ord - y.ord);
  const attrStart = new Int32Array(n + 1);
  for (const { i } of bySpan) attrStart[i + 1]!++;
  for (let i = 0; i < n; i++) attrStart[i + 1]! += attrStart[i]!;
  const col = <T>(name: string, as: (v: DuckDBValue) => T) => spans.map((r) => as(r[name]!));
  const num = (v: DuckDBValue) => Number(v);
  const str = (v: DuckDBValue) => v as string;
  return {
    spanId: col('span_id', str),
    parentSpanId: col('parent_span_id', str),
    name: col('name', str),
    kind: col('kind', num),
    startOffsetNs: col('start_offset', num),
    durationNs: col('duration', num),
    statusCode: col('status_code', num),
    statusMessage: col('status_message', str),
    resourceId: col('resource_id', str),
    scopeId: col('scope_id', num),
    traceState: col('trace_state', str),
    flags: col('flags', num),
    attrStart,
    attrKey: bySpan.map(({ a }) => Number(a.key_id)),
    attrType: bySpan.map(({ a }) => a.vtype as AttrType),
    attrStr: bySpan.map(({ a }) => a.str as string),
    attrNum: bySpan.map(({ a }) => (a.num === null || !Number.isFinite(a.num as number) ? null : (a.num as number))),
    rare,
  };
}

/** A stored trace, read slice by slice. */
export interface TraceSlices {
  /** The earliest start of the trace's spans: span start offsets count from it. */
  startNs: bigint;
  /**
   * The spans, one slice after the other in the store's order. The next slice's query runs
   * in DuckDB while the caller handles this one; the connection is busy until the iteration
   * ends (run to the end, or left by break/throw).
   */
  slices: AsyncGenerator<StoredSlice, void, undefined>;
}

/** Opens the read of a trace, or null when no span of it is stored. */
export async function openTraceSlices(
  c: DuckDBConnection,
  traceId: string,
  sliceSpans = SLICE_SPANS,
  smallSpans = SMALL_TRACE_SPANS,
): Promise<TraceSlices | null> {
  const bounds = (
    await c.runAndReadAll(
      'SELECT min(start_ns), max(end_ns), sum(span_count)::BIGINT, min(ingest_seq), max(ingest_seq) FROM trace_parts WHERE trace_id = ?',
      [traceId],
    )
  ).getRows()[0];
  if (!bounds || bounds[0] === null) return null;
  const lo = bounds[0] as bigint;
  const hi = bounds[1] as bigint;
  const stride = BigInt(SPAN_KEY_STRIDE);
  const keys: KeyRange = { lo: (bounds[3] as bigint) * stride, hi: ((bounds[4] as bigint) + 1n) * stride - 1n };
  const spanCount = Number(bounds[2]);
  if (spanCount <= smallSpans) {
    async function* one(): AsyncGenerator<StoredSlice, void, undefined> {
      const slice = await readSmallTrace(c, traceId, lo, hi, keys);
      if (slice) yield slice;
    }
    return { startNs: lo, slices: one() };
  }
  const count = Math.max(1, Math.ceil(spanCount / sliceSpans));
  // Slice boundaries by span count (start-time quantiles), so a burst of spans does not make one huge slice.
  const cuts: bigint[] = [lo];
  if (count > 1) {
    const fractions = Array.from({ length: count - 1 }, (_, k) => ((k + 1) / count).toFixed(6)).join(', ');
    const q = (
      await c.runAndReadAll(`SELECT quantile_disc(start_ns, [${fractions}]) FROM spans WHERE trace_id = ? AND start_ns BETWEEN ? AND ? AND span_key BETWEEN ? AND ?`, [
        traceId, lo, hi, keys.lo, keys.hi,
      ])
    ).getRows()[0]?.[0] as { items: bigint[] } | null;
    for (const b of q?.items ?? []) if (b > cuts[cuts.length - 1]!) cuts.push(b);
  }
  cuts.push(hi + 1n);
  // [cuts[k], cuts[k + 1]): the slices follow each other in start time.
  const query = (k: number) => querySlice(c, traceId, lo, cuts[k]!, cuts[k + 1]! - 1n, keys);
  async function* slices(): AsyncGenerator<StoredSlice, void, undefined> {
    let next: Promise<SliceRow | undefined> | null = query(0);
    try {
      for (let k = 0; next; k++) {
        const text = await next;
        next = k + 2 < cuts.length ? query(k + 1) : null;
        const slice = parseSlice(text);
        if (slice) yield slice;
      }
    } finally {
      // The connection goes back to the pool only when no query of ours still runs on it.
      if (next) await (next as Promise<unknown>).catch(() => undefined);
    }
  }
  return { startNs: lo, slices: slices() };
}

/** A trace's slices, or null when no span of it is stored. */
export async function readTraceSlices(
  c: DuckDBConnection,
  traceId: string,
  sliceSpans = SLICE_SPANS,
  smallSpans = SMALL_TRACE_SPANS,
): Promise<{ startNs: bigint; slices: StoredSlice[] } | null> {
  const t = await openTraceSlices(c, traceId, sliceSpans, smallSpans);
  if (!t) return null;
  const slices: StoredSlice[] = [];
  for await (const slice of t.slices) slices.push(slice);
  return slices.length === 0 ? null : { startNs: t.startNs, slices };
}

/** What a span whose resource row is missing shows. */
export const UNKNOWN_RESOURCE: Resource = { attributes: [], droppedAttributesCount: 0, schemaUrl: '', serviceName: 'unknown_service' };

/** Span i's attributes in a slice. Pure. */
export function sliceAttributes(s: StoredSlice, i: number, keyOf: (id: number) => string): Attribute[] {
  const out: Attribute[] = [];
  for (let k = s.attrStart[i]!; k < s.attrStart[i + 1]!; k++) out.push({ key: keyOf(s.attrKey[k]!), value: valueOfAttrText(s.attrType[k]!, s.attrStr[k]!, s.attrNum[k]!) });
  return out;
}

/** The records of a trace's stored slices; `res` resolves resource ids, `scopeOf` scope numbers, `keyOf` key numbers. Pure. */
export function traceSpansOf(
  traceId: string,
  startNs: bigint,
  slices: readonly StoredSlice[],
  res: Map<string, Resource>,
  scopeOf: (id: number) => Scope,
  keyOf: (id: number) => string,
): SpanRecord[] {
  const out: SpanRecord[] = [];
  for (const s of slices) {
    for (let i = 0; i < s.spanId.length; i++) {
      const start = startNs + BigInt(s.startOffsetNs[i]!);
      const rare = s.rare.get(i);
      out.push({
        traceId,
        spanId: s.spanId[i]!,
        parentSpanId: s.parentSpanId[i]!,
        traceState: s.traceState[i]!,
        flags: s.flags[i]!,
        name: s.name[i]!,
        kind: s.kind[i]!,
        resource: res.get(s.resourceId[i]!) ?? UNKNOWN_RESOURCE,
        scope: scopeOf(s.scopeId[i]!),
        startTimeUnixNano: start,
        endTimeUnixNano: start + BigInt(s.durationNs[i]!),
        statusCode: s.statusCode[i]!,
        statusMessage: s.statusMessage[i]!,
        attributes: sliceAttributes(s, i, keyOf),
        droppedAttributesCount: rare?.droppedAttributesCount ?? 0,
        events: rare ? rare.events.map((e) => ({ ...e, timeUnixNano: BigInt(e.timeUnixNano) })) : [],
        droppedEventsCount: rare?.droppedEventsCount ?? 0,
        links: rare?.links ?? [],
        droppedLinksCount: rare?.droppedLinksCount ?? 0,
      });
    }
  }
  return out;
}
