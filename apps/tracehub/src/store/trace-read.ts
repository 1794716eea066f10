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
import type { Attribute, Resource, Scope, SpanEvent, SpanLink, SpanRecord } from '../model.js';
import { SPAN_KEY_STRIDE, attributeRowsSql, attributesBySpan } from './rows.js';

// 20k spans make a ~8 MB text: at 1M spans, 100k-span slices (~40 MB each, plus DuckDB's
// aggregate state) took the default 384 MiB memory limit and failed a concurrent checkpoint.
const SLICE_SPANS = 20_000;

/**
 * One slice in one query of two strings (one round trip: the binding costs
 * about 1 ms per query, most of a small trace's read):
 * - the spans: a JSON array of per-span arrays (the stored JSON columns embedded
 *   as JSON, times as offsets from the trace start so they are exact doubles).
 *   Unordered: sorting here costs more than sorting the parsed rows (measured
 *   ~200 ms vs ~30 ms at 100k spans);
 * - their attributes (attributeRowsSql; span_attr_rows.start_ns is the span's start).
 * Both are bounded by start time and by span_key: keys grow with each batch, so
 * the row groups' min/max of span_key skip all but the batches that hold the
 * trace (start times of late spans overlap many row groups). Scopes are numbers
 * resolved from the store's dictionary.
 */
const SLICE_SQL = `SELECT
  (SELECT '[' || string_agg(json_array(
      span_id, parent_span_id, name, kind, start_ns - ?::BIGINT, end_ns - start_ns, status_code, status_message,
      span_key, events::JSON, links::JSON, resource_id, scope_id,
      trace_state, flags, dropped_attrs, dropped_events, dropped_links)::VARCHAR, ',') || ']'
    FROM spans WHERE trace_id = ? AND start_ns BETWEEN ? AND ? AND span_key BETWEEN ? AND ?),
  (${attributeRowsSql(
    'span_key BETWEEN ? AND ? AND start_ns BETWEEN ? AND ? AND span_key IN (SELECT span_key FROM spans WHERE trace_id = ? AND start_ns BETWEEN ? AND ? AND span_key BETWEEN ? AND ?)',
  )})`;

type RawEvent = Omit<SpanEvent, 'timeUnixNano'> & { timeUnixNano: string };

/** One span as SLICE_SQL sends it. */
type RawSpan = [
  spanId: string,
  parentSpanId: string,
  name: string,
  kind: number,
  startOffsetNs: number,
  durationNs: number,
  statusCode: number,
  statusMessage: string,
  spanKey: number,
  events: RawEvent[],
  links: SpanLink[],
  resourceId: string,
  scopeId: number,
  traceState: string,
  flags: number,
  droppedAttributes: number,
  droppedEvents: number,
  droppedLinks: number,
];

/** The span_key values of a trace's batches: [first batch * stride, (last batch + 1) * stride). */
interface KeyRange {
  lo: bigint;
  hi: bigint;
}

interface Slice {
  spans: RawSpan[];
  attributes: Map<number, Attribute[]>;
}

type SliceText = [spans: unknown, attributes: unknown];

/** The slice's three JSON texts (SLICE_SQL); DuckDB builds them on its own threads. */
async function querySlice(c: DuckDBConnection, traceId: string, base: bigint, lo: bigint, hi: bigint, keys: KeyRange): Promise<SliceText> {
  const k = [keys.lo, keys.hi];
  const params: DuckDBValue[] = [base, traceId, lo, hi, ...k, ...k, lo, hi, traceId, lo, hi, ...k];
  const row = (await c.runAndReadAll(SLICE_SQL, params)).getRows()[0];
  return [row?.[0], row?.[1]];
}

function parseSlice([cell, attrs]: SliceText, keyOf: (id: number) => string): Slice {
  if (typeof cell !== 'string') return { spans: [], attributes: new Map() };
  // The store's order: start time, then span id.
  const spans = (JSON.parse(cell) as RawSpan[]).sort((a, b) => a[4] - b[4] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return { spans, attributes: attributesBySpan(attrs as string | null, keyOf) };
}

const UNKNOWN_RESOURCE: Resource = { attributes: [], droppedAttributesCount: 0, schemaUrl: '', serviceName: 'unknown_service' };

/** A trace's spans as read, before the resources are resolved. */
export interface TraceRows {
  startNs: bigint;
  slices: Slice[];
  resourceIds: string[];
}

/** The trace's span rows (ordered by start time then span id), or null when no span is stored. */
export async function readTraceRows(
  c: DuckDBConnection,
  traceId: string,
  keyOf: (id: number) => string,
  sliceSpans = SLICE_SPANS,
): Promise<TraceRows | null> {
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
  const resourceIds = new Set<string>();
  const slices: Slice[] = [];
  // [cuts[k], cuts[k + 1]): the slices follow each other in start time. The next slice's
  // query runs in DuckDB while this one is parsed here.
  const query = (k: number) => querySlice(c, traceId, lo, cuts[k]!, cuts[k + 1]! - 1n, keys);
  let next: Promise<SliceText> | null = query(0);
  try {
    for (let k = 0; next; k++) {
      const text: SliceText = await next;
      next = k + 2 < cuts.length ? query(k + 1) : null;
      const slice = parseSlice(text, keyOf);
      for (const r of slice.spans) resourceIds.add(r[11]);
      if (slice.spans.length > 0) slices.push(slice);
    }
  } finally {
    // The connection goes back to the pool only when no query of ours still runs on it.
    if (next) await (next as Promise<SliceText>).catch(() => undefined);
  }
  return slices.length === 0 ? null : { startNs: lo, slices, resourceIds: [...resourceIds] };
}

/** The records of a trace's rows; `res` resolves resource ids, `scopeOf` scope numbers. Pure. */
export function traceSpansOf(traceId: string, t: TraceRows, res: Map<string, Resource>, scopeOf: (id: number) => Scope): SpanRecord[] {
  const out: SpanRecord[] = [];
  for (const { spans, attributes } of t.slices) {
    for (const r of spans) {
      const start = t.startNs + BigInt(r[4]);
      out.push({
        traceId,
        spanId: r[0],
        parentSpanId: r[1],
        traceState: r[13],
        flags: r[14],
        name: r[2],
        kind: r[3],
        resource: res.get(r[11]) ?? UNKNOWN_RESOURCE,
        scope: scopeOf(r[12]),
        startTimeUnixNano: start,
        endTimeUnixNano: start + BigInt(r[5]),
        statusCode: r[6],
        statusMessage: r[7],
        attributes: attributes.get(r[8]) ?? [],
        droppedAttributesCount: r[15],
        events: r[9].length === 0 ? [] : r[9].map((e) => ({ ...e, timeUnixNano: BigInt(e.timeUnixNano) })),
        droppedEventsCount: r[16],
        links: r[10],
        droppedLinksCount: r[17],
      });
    }
  }
  return out;
}
