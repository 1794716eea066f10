/**
 * Searches on a real DuckDB store, against a reference computed here from the
 * spans written: the attribute index's path (span attributes, no time range),
 * the windowed searches that read only the window's trace parts, and a store of
 * schema version 4 migrated on open, whose old spans the index must find.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterEach, describe, expect, it } from 'vitest';
import type { Resource, SpanRecord } from '../../src/model.js';
import { batchRanges } from '../../src/store/attribute-index.js';
import { attrText } from '../../src/store/rows.js';
import { SCHEMA_VERSION } from '../../src/store/schema-version.js';
import { Store } from '../../src/store/store.js';
import type { TraceSearch } from '../../src/store/types.js';
import { span as baseSpan } from '../compat/span-fixtures.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const newDir = () => {
  const d = mkdtempSync(path.join(tmpdir(), 'tracehub-search-index-'));
  dirs.push(d);
  return d;
};

const MS = 1_000_000n;
const MINUTE = 60_000n * MS;
const NOW = BigInt(Date.now()) * MS;
const resource = (service: string, env: string): Resource => ({
  serviceName: service,
  attributes: [
    { key: 'service.name', value: { type: 'string', value: service } },
    { key: 'deployment.environment.name', value: { type: 'string', value: env } },
  ],
  droppedAttributesCount: 0,
  schemaUrl: '',
});
const RESOURCES = [resource('frontend', 'lab'), resource('payment', 'lab'), resource('stock', 'prod')];
const scope = { name: 's', version: '', attributes: [], droppedAttributesCount: 0, schemaUrl: '' };

/**
 * Trace t: 4 spans over batches; every 7th trace has its last span in the next
 * batch and 20 minutes later (a trace that straddles a window's edge). Traces
 * start from 3 h ago, 3 minutes apart, so windows of 15 min and 2 h hold some.
 */
function traceSpans(t: number): SpanRecord[] {
  const traceId = (t + 1).toString(16).padStart(32, '0');
  const start = NOW - 180n * MINUTE + BigInt(t) * 3n * MINUTE;
  return [0, 1, 2, 3].map((i) => {
    const late = i === 3 && t % 7 === 0;
    const s = start + BigInt(i) * MS + (late ? 20n * MINUTE : 0n);
    const dur = BigInt(((t * 37 + i * 11) % 90) + 1) * 10n * MS;
    return baseSpan({
      traceId,
      spanId: (t * 4 + i + 1).toString(16).padStart(16, '0'),
      parentSpanId: i === 0 ? '' : (t * 4 + 1).toString(16).padStart(16, '0'),
      name: i === 0 ? `GET /r${t % 3}` : `step-${i}`,
      kind: i === 0 ? 2 : 1,
      startTimeUnixNano: s,
      endTimeUnixNano: s + dur,
      statusCode: (t + i) % 11 === 0 ? 2 : 0,
      resource: RESOURCES[(t + i) % 3]!,
      scope,
      attributes: [
        { key: 'order.id', value: { type: 'int', value: String(t * 4 + i) } },
        { key: 'tier', value: { type: 'string', value: `t${(t + i) % 4}` } },
        { key: 'shard', value: { type: 'int', value: String(t % 5) } },
      ],
    });
  });
}

const TRACES = 60;
/** Batches of 3 traces; a late span goes with the next batch. */
function batches(): SpanRecord[][] {
  const out: SpanRecord[][] = [];
  let carry: SpanRecord[] = [];
  for (let t = 0; t < TRACES; t += 3) {
    const b = [...carry];
    carry = [];
    for (let u = t; u < t + 3; u++) {
      const spans = traceSpans(u);
      if (u % 7 === 0) carry.push(spans.pop()!);
      b.push(...spans);
    }
    out.push(b);
  }
  if (carry.length) out.push(carry);
  return out;
}

/** The answer computed from the spans: span conditions on one span, then the trace's own figures. */
function reference(all: SpanRecord[], q: TraceSearch): { id: string; spans: number }[] {
  const byTrace = new Map<string, SpanRecord[]>();
  for (const s of all) byTrace.set(s.traceId, [...(byTrace.get(s.traceId) ?? []), s]);
  const hit = (s: SpanRecord) =>
    (q.service === undefined || s.resource.serviceName === q.service) &&
    (q.operation === undefined || s.name === q.operation) &&
    (q.span?.error !== true || s.statusCode === 2) &&
    (q.span?.attributes ?? []).every(
      (a) =>
        s.attributes.some((x) => x.key === a.key && attrText(x.value).str === a.value) ||
        s.resource.attributes.some((x) => x.key === a.key && attrText(x.value).str === a.value),
    );
  const out: { id: string; start: bigint; spans: number }[] = [];
  for (const [id, spans] of byTrace) {
    if (!spans.some(hit)) continue;
    const start = spans.reduce((m, s) => (s.startTimeUnixNano < m ? s.startTimeUnixNano : m), spans[0]!.startTimeUnixNano);
    const end = spans.reduce((m, s) => (s.endTimeUnixNano > m ? s.endTimeUnixNano : m), 0n);
    if (q.minDurationNs !== undefined && end - start < q.minDurationNs) continue;
    if (q.startNs !== undefined && start < q.startNs) continue;
    if (q.endNs !== undefined && start > q.endNs) continue;
    if (q.status === 'error' && !spans.some((s) => s.statusCode === 2)) continue;
    out.push({ id, start, spans: spans.length });
  }
  out.sort((a, b) => (a.start > b.start ? -1 : a.start < b.start ? 1 : a.id < b.id ? -1 : 1));
  return out.slice(0, q.limit).map(({ id, spans }) => ({ id, spans }));
}

const found = async (store: Store, q: TraceSearch) => (await store.searchTraces(q)).map((r) => ({ id: r.summary.traceId, spans: r.summary.spanCount }));

/** Searches of every kind the index and the window pruning take part in. */
function searches(): TraceSearch[] {
  const attr = (key: string, value: string) => ({ attributes: [{ key, value }] });
  const qs: TraceSearch[] = [];
  for (const id of [0, 1, 5, 27, 28, 111, 200, 239, 5000]) qs.push({ span: attr('order.id', String(id)), limit: 20 });
  qs.push({ span: attr('order.id', '03'), limit: 20 }); // the text form decides: no match
  qs.push({ span: attr('no.such.key', '1'), limit: 20 });
  qs.push({ span: attr('tier', 't1'), limit: 20 });
  qs.push({ span: attr('tier', 't1'), limit: 5 });
  qs.push({ span: attr('shard', '3'), service: 'payment', limit: 20 });
  qs.push({ span: attr('deployment.environment.name', 'prod'), limit: 20 });
  qs.push({ span: attr('deployment.environment.name', 'prod'), service: 'frontend', limit: 20 });
  qs.push({ span: { attributes: [{ key: 'order.id', value: '41' }, { key: 'tier', value: 't3' }] }, limit: 20 });
  qs.push({ span: { attributes: [{ key: 'order.id', value: '41' }, { key: 'tier', value: 't0' }] }, limit: 20 });
  qs.push({ span: { attributes: [{ key: 'order.id', value: '84' }], error: true }, status: 'error', limit: 20 });
  qs.push({ span: attr('order.id', '120'), minDurationNs: 300n * MS, limit: 20 });
  qs.push({ span: attr('order.id', '120'), minDurationNs: 5_000n * MS, limit: 20 });
  qs.push({ span: attr('order.id', '12'), endNs: NOW - 150n * MINUTE, limit: 20 });
  for (const op of ['GET /r0', 'GET /r1'])
    for (const min of [0n, 200n, 600n]) qs.push({ service: 'frontend', operation: op, minDurationNs: min * MS, limit: 3 });
  qs.push({ operation: 'step-3', limit: 4 });
  return qs;
}

/** Writes every batch; a checkpoint after the first half indexes those (the rest are not indexed yet). */
async function writeAll(store: Store): Promise<SpanRecord[]> {
  const all: SpanRecord[] = [];
  const bs = batches();
  for (const [i, b] of bs.entries()) {
    await store.write(b, []);
    all.push(...b);
    if (i === Math.floor(bs.length / 2)) await store.checkpoint();
  }
  return all;
}

/** attr_batches' batch numbers and meta's attr_indexed_through, read after the store is closed. */
async function indexState(dir: string): Promise<{ seqs: bigint[]; through: string | undefined }> {
  const db = await DuckDBInstance.create(path.join(dir, 'tracehub.duckdb'));
  const c = await db.connect();
  const seqs = (await c.runAndReadAll('SELECT DISTINCT ingest_seq FROM attr_batches ORDER BY 1')).getRows().map((r) => BigInt(r[0] as bigint));
  const through = (await c.runAndReadAll("SELECT value FROM meta WHERE key = 'attr_indexed_through'")).getRows()[0]?.[0] as string | undefined;
  c.closeSync();
  db.closeSync();
  return { seqs, through };
}

describe('search with the attribute index and pruned windows', () => {
  it('answers every search as the reference does, with and without a time range', async () => {
    const store = await Store.open({ dataDir: newDir() });
    try {
      const all = await writeAll(store);
      for (const q of searches()) {
        // Half the batches indexed, then all of them.
        expect(await found(store, q), JSON.stringify(q, (_, v) => (typeof v === 'bigint' ? String(v) : v))).toEqual(reference(all, q));
      }
      await store.checkpoint();
      for (const q of searches()) {
        expect(await found(store, q), JSON.stringify(q, (_, v) => (typeof v === 'bigint' ? String(v) : v))).toEqual(reference(all, q));
        // A time range goes the windowed way (no index), reading only the parts that end in it.
        for (const back of [15n, 40n, 120n, 500n]) {
          const w = { ...q, startNs: NOW - back * MINUTE };
          expect(await found(store, w), `${back} min back: ${JSON.stringify(q, (_, v) => (typeof v === 'bigint' ? String(v) : v))}`).toEqual(reference(all, w));
        }
      }
    } finally {
      await store.close();
    }
  });

  it('answers as the reference does when the newest data is days old (the windows open back from it)', async () => {
    const store = await Store.open({ dataDir: newDir() });
    try {
      const DAYS = 3n * 24n * 60n * MINUTE;
      const all: SpanRecord[] = [];
      for (const b of batches()) {
        const old = b.map((s) => ({ ...s, startTimeUnixNano: s.startTimeUnixNano - DAYS, endTimeUnixNano: s.endTimeUnixNano - DAYS }));
        await store.write(old, []);
        all.push(...old);
      }
      for (const q of searches()) {
        expect(await found(store, q), JSON.stringify(q, (_, v) => (typeof v === 'bigint' ? String(v) : v))).toEqual(reference(all, q));
        const until = { ...q, endNs: NOW - DAYS - 100n * MINUTE };
        expect(await found(store, until)).toEqual(reference(all, until));
      }
    } finally {
      await store.close();
    }
  });

  it('leaves a straddling trace out of a window it starts before, even when its later part is in it', async () => {
    const store = await Store.open({ dataDir: newDir() });
    try {
      const all = await writeAll(store);
      // Trace 56 (every 7th) starts 12 min ago and has a span 20 min later, in the next batch.
      const t56 = (57).toString(16).padStart(32, '0');
      // Its first part ends within 1 s of its start, before the window opens.
      const startNs = NOW - 12n * MINUTE + 1_000n * MS;
      const q: TraceSearch = { operation: 'step-3', startNs, limit: 20 };
      const ids = (await found(store, q)).map((r) => r.id);
      expect(ids).not.toContain(t56);
      expect(ids).toEqual(reference(all, q).map((r) => r.id));
      expect((await found(store, { ...q, startNs: NOW - 12n * MINUTE })).map((r) => r.id)).toContain(t56);
    } finally {
      await store.close();
    }
  });

  it('finds spans in batches not indexed yet, and indexes every batch at a checkpoint', async () => {
    const dir = newDir();
    const store = await Store.open({ dataDir: dir });
    const all: SpanRecord[] = [];
    for (const b of batches()) {
      await store.write(b, []);
      all.push(...b);
    }
    for (const q of searches()) expect(await found(store, q)).toEqual(reference(all, q));
    await store.checkpoint();
    await store.write(traceSpans(TRACES), []);
    await store.checkpoint();
    const q = { span: { attributes: [{ key: 'order.id', value: String(TRACES * 4 + 1) }] }, limit: 20 };
    expect((await found(store, q)).map((r) => r.id)).toEqual([(TRACES + 1).toString(16).padStart(32, '0')]);
    await store.close();
    const { seqs, through } = await indexState(dir);
    expect(seqs).toEqual(Array.from({ length: batches().length + 1 }, (_, i) => BigInt(i + 1)));
    expect(through).toBe(String(batches().length + 1));
  });

  it('keeps the index with the batches: each batch has its rows, and retention deletes them with it', async () => {
    const dir = newDir();
    const store = await Store.open({ dataDir: dir });
    const all = await writeAll(store);
    await store.checkpoint();
    const q0 = { span: { attributes: [{ key: 'order.id', value: '0' }] }, limit: 20 };
    expect(await found(store, q0)).toEqual(reference(all, q0));
    // The oldest half of the batches goes; trace 0's spans with it.
    await store.deleteOldestBatches(0.5);
    expect(await found(store, q0)).toEqual([]);
    await store.close();
    const db = await DuckDBInstance.create(path.join(dir, 'tracehub.duckdb'));
    const c = await db.connect();
    const perBatch = (await c.runAndReadAll('SELECT ingest_seq, count(*)::INTEGER FROM attr_batches GROUP BY ALL ORDER BY 1')).getRows();
    const left = (await c.runAndReadAll('SELECT ingest_seq FROM batches ORDER BY 1')).getRows();
    c.closeSync();
    db.closeSync();
    // Every batch left has its rows (12 distinct order ids at least), and no deleted batch has any.
    expect(perBatch.map((r) => r[0])).toEqual(left.map((r) => r[0]));
    expect(left.length).toBeLessThan(batches().length);
    for (const r of perBatch) expect(Number(r[1])).toBeGreaterThanOrEqual(12);
  });
});

describe('batchRanges', () => {
  it('joins consecutive batches, then the closest ranges, covering every batch', () => {
    expect(batchRanges([1n, 2n, 3n, 7n, 9n, 10n], 8)).toEqual([[1n, 3n], [7n, 7n], [9n, 10n]]);
    expect(batchRanges([1n, 2n, 3n, 7n, 9n, 10n], 2)).toEqual([[1n, 3n], [7n, 10n]]);
    expect(batchRanges([1n, 50n, 52n, 100n], 1)).toEqual([[1n, 100n]]);
    expect(batchRanges([], 4)).toEqual([]);
  });
});

describe('migration from schema version 4', () => {
  /** A version-4 data dir: today's layout without the attribute index (the only difference). */
  async function makeV4(dir: string): Promise<SpanRecord[]> {
    const store = await Store.open({ dataDir: dir });
    const old = batches().slice(0, 10);
    for (const b of old) await store.write(b, []);
    await store.close();
    const db = await DuckDBInstance.create(path.join(dir, 'tracehub.duckdb'));
    const c = await db.connect();
    await c.run('DROP TABLE attr_batches');
    await c.run("DELETE FROM meta WHERE key IN ('attr_hash_probe', 'attr_indexed_through')");
    await c.run("UPDATE meta SET value = '4' WHERE key = 'schema_version'");
    c.closeSync();
    db.closeSync();
    return old.flat();
  }

  it('derives the index on open, so searches find spans written before the migration', async () => {
    const dir = newDir();
    const before = await makeV4(dir);
    const store = await Store.open({ dataDir: dir });
    try {
      const later = batches().slice(10).flat();
      await store.write(later, []);
      const all = [...before, ...later];
      for (const q of searches()) {
        expect(await found(store, q), JSON.stringify(q, (_, v) => (typeof v === 'bigint' ? String(v) : v))).toEqual(reference(all, q));
      }
      // One of the old spans and one of the new, each by its unique value.
      expect((await found(store, { span: { attributes: [{ key: 'order.id', value: '5' }] }, limit: 20 })).map((r) => r.id)).toEqual([(2).toString(16).padStart(32, '0')]);
      expect((await found(store, { span: { attributes: [{ key: 'order.id', value: '233' }] }, limit: 20 })).map((r) => r.id)).toEqual([(59).toString(16).padStart(32, '0')]);
    } finally {
      await store.close();
    }
    const db = await DuckDBInstance.create(path.join(dir, 'tracehub.duckdb'));
    const c = await db.connect();
    const version = (await c.runAndReadAll("SELECT value FROM meta WHERE key = 'schema_version'")).getRows()[0]![0];
    c.closeSync();
    db.closeSync();
    expect(version).toBe(SCHEMA_VERSION);
    // The ten old batches indexed by the migration, the new one at close.
    expect(await indexState(dir)).toEqual({ seqs: Array.from({ length: 11 }, (_, i) => BigInt(i + 1)), through: '11' });
  });

  it('derives the index again when the stored hash probe is not this DuckDB hash', async () => {
    const dir = newDir();
    const store = await Store.open({ dataDir: dir });
    const all = await writeAll(store);
    await store.close();
    const db = await DuckDBInstance.create(path.join(dir, 'tracehub.duckdb'));
    const c = await db.connect();
    // As if another DuckDB had hashed: wrong hashes, another probe.
    await c.run('UPDATE attr_batches SET h = h + 1');
    await c.run("UPDATE meta SET value = 'other' WHERE key = 'attr_hash_probe'");
    c.closeSync();
    db.closeSync();
    const again = await Store.open({ dataDir: dir });
    try {
      const q = { span: { attributes: [{ key: 'order.id', value: '200' }] }, limit: 20 };
      expect(await found(again, q)).toEqual(reference(all, q));
      expect((await found(again, q)).length).toBe(1);
    } finally {
      await again.close();
    }
  });
});
