/**
 * Reading one whole trace (trace by id). DuckDB builds JSON texts for the
 * spans and for their attribute rows (`string_agg(json_array(…))`), so the
 * binding decodes a few strings instead of ~15 per span and JS parses each
 * with one JSON.parse. Measured at 100k spans (bench/README.md): the
 * row-by-row read spent ~1.9 s materialising VARCHAR cells and ~0.6 s in
 * per-span JSON.parse, plus GC.
 *
 * Large traces are read in time slices of about SLICE_SPANS spans (by start
 * time, so the slices concatenate in order) to bound DuckDB's memory and V8's string sizes.
 */
import type { DuckDBConnection, DuckDBValue } from '@duckdb/node-api';
import type { Attribute, Resource, Scope, SpanLink, SpanRecord } from '../model.js';
import { type AttrType, SPAN_KEY_STRIDE, valueOfAttrText } from './rows.js';
import type { StoredRare, StoredSlice } from './types.js';

// 20k spans make a ~8 MB text: at 1M spans, 100k-span slices (~40 MB each, plus DuckDB's
// aggregate state) took the default 384 MiB memory limit and failed a concurrent checkpoint.
const SLICE_SPANS = 20_000;

/**
 * One slice in one query of two JSON texts, each an object of column arrays (one round trip: the
 * binding costs about 1 ms per query, most of a small trace's read). Column arrays parse several
 * times faster than an array per span or per attribute row, and make no object per row.
 * - `s` numbers the slice's spans in the store's order (`idx`: start time, then span id); the
 *   spans' columns come with their idx, in no particular order (the lists of one aggregate are
 *   filled from the same rows in the same order), and the rare fields (events, links, dropped
 *   counts) only for the spans that have them;
 * - the attribute rows of those spans (span_attr_rows.start_ns is the span's start), with their
 *   span's idx, the value type as its ENUM code and the number only for a finite double (ints
 *   keep their digits in `str`).
 * Both are bounded by start time and by span_key: keys grow with each batch, so the row groups'
 * min/max of span_key skip all but the batches that hold the trace (start times of late spans
 * overlap many row groups). Scopes and attribute keys are numbers resolved from the store's
 * dictionaries.
 */
const SLICE_SQL = `WITH s AS (
  SELECT *, (row_number() OVER (ORDER BY start_ns, span_id) - 1)::INTEGER AS idx
  FROM spans WHERE trace_id = ? AND start_ns BETWEEN ? AND ? AND span_key BETWEEN ? AND ?)
SELECT
  (SELECT to_json({
      idx: list(idx), id: list(span_id), parent: list(parent_span_id), name: list(name), kind: list(kind),
      start: list(start_ns - ?::BIGINT), duration: list(end_ns - start_ns), status: list(status_code),
      message: list(status_message), resource: list(resource_id), scope: list(scope_id),
      state: list(trace_state), flags: list(flags),
      rare: list([idx::VARCHAR, events, links, dropped_attrs::VARCHAR, dropped_events::VARCHAR, dropped_links::VARCHAR])
        FILTER (WHERE events <> '[]' OR links <> '[]' OR dropped_attrs <> 0 OR dropped_events <> 0 OR dropped_links <> 0)
    })::VARCHAR FROM s),
  (SELECT to_json({
      idx: list(s.idx), ord: list(a.ord), key: list(a.key_id), type: list(enum_code(a.vtype)), types: enum_range(NULL::attr_type),
      str: list(a.str), num: list(CASE WHEN a.vtype = 'double' AND isfinite(a.num) THEN a.num END)
    })::VARCHAR
    FROM span_attr_rows a JOIN s USING (span_key)
    WHERE a.span_key BETWEEN ? AND ? AND a.start_ns BETWEEN ? AND ?)`;

/** The spans' columns as SLICE_SQL sends them (lists are null for an empty slice). */
interface SpanColumnsText {
  idx: number[] | null;
  id: string[];
  parent: string[];
  name: string[];
  kind: number[];
  start: number[];
  duration: number[];
  status: number[];
  message: string[];
  resource: string[];
  scope: number[];
  state: string[];
  flags: number[];
  rare: [idx: string, events: string, links: string, droppedAttributes: string, droppedEvents: string, droppedLinks: string][] | null;
}

/** The attribute rows' columns as SLICE_SQL sends them. */
interface AttrColumnsText {
  idx: number[] | null;
  ord: number[];
  key: number[];
  /** Codes of the attr_type ENUM, whose names are `types`. */
  type: number[];
  types: AttrType[];
  str: string[];
  num: (number | null)[];
}

/** The span_key values of a trace's batches: [first batch * stride, (last batch + 1) * stride). */
interface KeyRange {
  lo: bigint;
  hi: bigint;
}

type SliceText = [spans: unknown, attributes: unknown];

/** The slice's two JSON texts (SLICE_SQL); DuckDB builds them on its own threads. */
async function querySlice(c: DuckDBConnection, traceId: string, base: bigint, lo: bigint, hi: bigint, keys: KeyRange): Promise<SliceText> {
  const params: DuckDBValue[] = [traceId, lo, hi, keys.lo, keys.hi, base, keys.lo, keys.hi, lo, hi];
  const row = (await c.runAndReadAll(SLICE_SQL, params)).getRows()[0];
  return [row?.[0], row?.[1]];
}

/** `values[k]` placed at `at[k]` (a permutation of 0..n-1). */
function placed<T>(values: T[], at: number[]): T[] {
  const out = new Array<T>(values.length);
  for (let k = 0; k < values.length; k++) out[at[k]!] = values[k]!;
  return out;
}

/** A slice's texts as columns in the store's order. Pure. */
export function parseSlice([spansText, attrsText]: SliceText): StoredSlice | null {
  if (typeof spansText !== 'string') return null;
  const c = JSON.parse(spansText) as SpanColumnsText;
  const at = c.idx;
  if (!at || at.length === 0) return null;
  const n = at.length;
  const rare: StoredSlice['rare'] = new Map();
  for (const [i, events, links, da, de, dl] of c.rare ?? []) {
    rare.set(Number(i), {
      events: JSON.parse(events) as StoredRare['events'],
      links: JSON.parse(links) as SpanLink[],
      droppedAttributesCount: Number(da),
      droppedEventsCount: Number(de),
      droppedLinksCount: Number(dl),
    });
  }
  // The attribute rows by span (a counting sort on idx, stable), then by ord within a span.
  const attrStart = new Int32Array(n + 1);
  const a = typeof attrsText === 'string' ? (JSON.parse(attrsText) as AttrColumnsText) : null;
  const rows = a?.idx ?? [];
  for (const i of rows) attrStart[i + 1]!++;
  for (let i = 0; i < n; i++) attrStart[i + 1]! += attrStart[i]!;
  const fill = attrStart.slice(0, n);
  const order = new Int32Array(rows.length);
  for (let k = 0; k < rows.length; k++) order[fill[rows[k]!]!++] = k;
  if (a) {
    for (let i = 0; i < n; i++) {
      const [from, to] = [attrStart[i]!, attrStart[i + 1]!];
      for (let k = from + 1; k < to; k++) {
        if (a.ord[order[k]!]! < a.ord[order[k - 1]!]!) {
          order.subarray(from, to).sort((x, y) => a.ord[x]! - a.ord[y]!);
          break;
        }
      }
    }
  }
  const pick = <T>(col: T[] | undefined): T[] => {
    const out = new Array<T>(order.length);
    if (col) for (let k = 0; k < order.length; k++) out[k] = col[order[k]!]!;
    return out;
  };
  return {
    spanId: placed(c.id, at),
    parentSpanId: placed(c.parent, at),
    name: placed(c.name, at),
    kind: placed(c.kind, at),
    startOffsetNs: placed(c.start, at),
    durationNs: placed(c.duration, at),
    statusCode: placed(c.status, at),
    statusMessage: placed(c.message, at),
    resourceId: placed(c.resource, at),
    scopeId: placed(c.scope, at),
    traceState: placed(c.state, at),
    flags: placed(c.flags, at),
    attrStart,
    attrKey: pick(a?.key),
    attrType: a ? pick(a.type).map((code) => a.types[code]!) : [],
    attrStr: pick(a?.str),
    attrNum: pick(a?.num),
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
export async function openTraceSlices(c: DuckDBConnection, traceId: string, sliceSpans = SLICE_SPANS): Promise<TraceSlices | null> {
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
  const count = Math.max(1, Math.ceil(Number(bounds[2]) / sliceSpans));
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
    let next: Promise<SliceText> | null = query(0);
    try {
      for (let k = 0; next; k++) {
        const text: SliceText = await next;
        next = k + 2 < cuts.length ? query(k + 1) : null;
        const slice = parseSlice(text);
        if (slice) yield slice;
      }
    } finally {
      // The connection goes back to the pool only when no query of ours still runs on it.
      if (next) await (next as Promise<SliceText>).catch(() => undefined);
    }
  }
  return { startNs: lo, slices: slices() };
}

/** A trace's slices, or null when no span of it is stored. */
export async function readTraceSlices(c: DuckDBConnection, traceId: string, sliceSpans = SLICE_SPANS): Promise<{ startNs: bigint; slices: StoredSlice[] } | null> {
  const t = await openTraceSlices(c, traceId, sliceSpans);
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
