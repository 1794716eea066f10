/**
 * Trace by id on a real DuckDB store: the columnar slice read gives back
 * exactly the spans written (every field, shared resources and scopes), in
 * start-time then span-id order, also when the trace is read in several slices;
 * the compact detail built from the rows equals the one encoded from the records.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SpanRecord } from '../../src/model.js';
import type { DuckDBConnection } from '@duckdb/node-api';
import { Store } from '../../src/store/store.js';
import { readTraceSlices, traceSpansOf } from '../../src/store/trace-read.js';
import { type CompactTraceText, compactTraceSink, encodeCompactTrace } from '../../src/api/compact.js';
import { TRACE_ID, fixtureSpans } from '../api/trace-fixture.js';

let dir: string;
let store: Store;
beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'tracehub-trace-read-'));
  store = await Store.open({ dataDir: dir });
});
afterAll(async () => {
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The compact detail's text, as the route sends it. */
const textOf = (t: CompactTraceText | null) => (t ? [...t.pieces()].join('') : null);

const order = (spans: SpanRecord[]) =>
  [...spans].sort((a, b) => (a.startTimeUnixNano < b.startTimeUnixNano ? -1 : a.startTimeUnixNano > b.startTimeUnixNano ? 1 : a.spanId < b.spanId ? -1 : 1));

describe('Store.getTrace', () => {
  it('returns every field as written, ordered by start time then span id', async () => {
    const spans = fixtureSpans();
    // Written in reverse, in two batches, with a tie on the start time.
    const tie = { ...spans[2]!, spanId: '0000000000000000' };
    await store.write([...spans].reverse().slice(0, 3), []);
    await store.write([...spans].reverse().slice(3).concat(tie), []);
    const got = await store.getTrace(TRACE_ID);
    expect(got).toEqual(order([...spans, tie]));
    // One object per resource and per scope.
    expect(new Set(got!.map((s) => s.resource)).size).toBe(2);
    expect(new Set(got!.map((s) => s.scope)).size).toBe(2);
    expect(await store.getTrace('ee'.repeat(16))).toBeNull();
    // Built straight from the store's rows, the compact detail is the one encoded from the records
    // (events, links, dropped counts, a parent outside the trace, two resources and scopes).
    expect(textOf(await store.readTrace(TRACE_ID, compactTraceSink))).toBe(JSON.stringify(encodeCompactTrace(got!)));
    expect(await store.readTrace('ee'.repeat(16), compactTraceSink)).toBeNull();
  });

  it('reads a trace of more spans than one slice holds, in order', async () => {
    const base = fixtureSpans()[3]!;
    const traceId = 'dd'.repeat(16);
    const n = 2_500;
    const spans: SpanRecord[] = [];
    for (let i = 0; i < n; i++) {
      const start = base.startTimeUnixNano + BigInt((i * 7919) % n) * 1000n;
      spans.push({ ...base, traceId, spanId: i.toString(16).padStart(16, '0'), parentSpanId: '', startTimeUnixNano: start, endTimeUnixNano: start + 10n });
    }
    for (let i = 0; i < n; i += 1000) await store.write(spans.slice(i, i + 1000), []);
    // Slices of about 400 spans: 7 queries, concatenated.
    const read = (store as unknown as { read<T>(fn: (c: DuckDBConnection) => Promise<T>): Promise<T> }).read.bind(store);
    const keyOf = (store as unknown as { batches: { keys: { keyOf: (id: number) => string } } }).batches.keys.keyOf;
    const scopeOf = () => base.scope;
    const t = await read((c) => readTraceSlices(c, traceId, 400));
    // A small trace is read as plain rows; read as columns (SLICE_SQL), the fixture's trace gives
    // the same slice: every column, the attribute rows, events, links and dropped counts.
    const asColumns = await read((c) => readTraceSlices(c, TRACE_ID, 20_000, 0));
    const asRows = await read((c) => readTraceSlices(c, TRACE_ID));
    expect(asColumns).toEqual(asRows);
    expect(asRows!.slices[0]!.rare.size).toBeGreaterThan(0);
    expect(t!.slices.length).toBeGreaterThan(5);
    const resourceId = t!.slices[0]!.resourceId[0]!;
    const got = traceSpansOf(traceId, t!.startNs, t!.slices, new Map([[resourceId, base.resource]]), scopeOf, keyOf);
    expect(got).toHaveLength(n);
    expect(got).toEqual(order(spans));
    // The compact detail built from the same slices is the one encoded from the records.
    const sink = compactTraceSink({ traceId, startNs: t!.startNs, keyOf, scopeOf });
    for (const slice of t!.slices) sink.slice(slice);
    expect(textOf(sink.end(() => base.resource))).toBe(JSON.stringify(encodeCompactTrace(order(spans))));
    expect(await store.getTrace(traceId)).toEqual(order(spans));
  });
});

describe('span attributes', () => {
  it('come back from their typed rows exactly: every type, edge values, order and repeated keys', async () => {
    const base = fixtureSpans()[0]!;
    const traceId = 'ab'.repeat(16);
    const attributes: SpanRecord['attributes'] = [
      { key: 'z.last.first', value: { type: 'string', value: 'héllo "quoted" \\ \u0000 end' } },
      { key: 'int.max', value: { type: 'int', value: '9223372036854775807' } },
      { key: 'int.min', value: { type: 'int', value: '-9223372036854775808' } },
      { key: 'double.tiny', value: { type: 'double', value: 5e-324 } },
      { key: 'double.third', value: { type: 'double', value: 0.30000000000000004 } },
      { key: 'double.negzero', value: { type: 'double', value: -0 } },
      { key: 'double.nan', value: { type: 'double', value: 'NaN' } },
      { key: 'double.inf', value: { type: 'double', value: 'Infinity' } },
      { key: 'double.neginf', value: { type: 'double', value: '-Infinity' } },
      { key: 'bool.f', value: { type: 'bool', value: false } },
      { key: 'bytes', value: { type: 'bytes', value: 'AAEC/w==' } },
      { key: 'empty', value: { type: 'empty' } },
      { key: 'array', value: { type: 'array', value: [{ type: 'int', value: '1' }, { type: 'array', value: [{ type: 'string', value: 'x' }] }] } },
      { key: 'kvlist', value: { type: 'kvlist', value: [{ key: 'a', value: { type: 'bool', value: true } }] } },
      { key: 'int.max', value: { type: 'int', value: '2' } },
      { key: '', value: { type: 'string', value: '' } },
    ];
    const spans: SpanRecord[] = [
      { ...base, traceId, spanId: '1'.repeat(16), parentSpanId: '', attributes },
      { ...base, traceId, spanId: '2'.repeat(16), parentSpanId: '1'.repeat(16), attributes: [] },
    ];
    await store.write(spans, []);
    const got = await store.getTrace(traceId);
    expect(got).toEqual(order(spans));
    expect(Object.is(got!.find((s) => s.spanId === '1'.repeat(16))!.attributes[5]!.value.value, -0)).toBe(true);
    // The TraceQL candidate loader reads them the same way.
    expect((await store.getTraces([traceId])).get(traceId)).toEqual(order(spans));
    // Read as a larger trace is (SLICE_SQL's columns instead of plain rows), the same records.
    const read = (store as unknown as { read<T>(fn: (c: DuckDBConnection) => Promise<T>): Promise<T> }).read.bind(store);
    const { keyOf } = (store as unknown as { batches: { keys: { keyOf: (id: number) => string } } }).batches.keys;
    const t = await read((c) => readTraceSlices(c, traceId, 20_000, 0));
    const resource = new Map([[t!.slices[0]!.resourceId[0]!, base.resource]]);
    const columnar = traceSpansOf(traceId, t!.startNs, t!.slices, resource, () => base.scope, keyOf);
    expect(columnar).toEqual(order(spans));
    expect(Object.is(columnar[0]!.attributes[5]!.value.value, -0)).toBe(true);
    // And the compact detail from the rows holds the same values table.
    expect(textOf(await store.readTrace(traceId, compactTraceSink))).toBe(JSON.stringify(encodeCompactTrace(got!)));
  });
});

describe('Store.close', () => {
  it('lets a trace read that is still running finish, then closes', async () => {
    const d = mkdtempSync(path.join(tmpdir(), 'tracehub-trace-close-'));
    const s = await Store.open({ dataDir: d });
    try {
      await s.write(fixtureSpans(), []);
      const reading = s.getTrace(TRACE_ID);
      await s.close();
      expect((await reading)!.map((x) => x.name)).toContain('GET /checkout');
      await expect(s.getTrace(TRACE_ID)).rejects.toThrow();
    } finally {
      rmSync(d, { recursive: true, force: true });
    }
  });
});
