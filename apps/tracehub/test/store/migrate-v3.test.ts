/**
 * A data dir of schema version 3 (attributes as JSON on the span and as rows
 * with text keys) is migrated on open: every acknowledged span reads back
 * exactly, searches find it, and ingest continues on the new layout.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DuckDBInstance, type DuckDBConnection, type DuckDBValue } from '@duckdb/node-api';
import { afterEach, expect, it } from 'vitest';
import type { SpanRecord } from '../../src/model.js';
import { attrText, eventsJson, resourceId } from '../../src/store/rows.js';
import { SCHEMA_VERSION } from '../../src/store/schema-version.js';
import { Store } from '../../src/store/store.js';
import { TRACE_ID, fixtureSpans } from '../api/trace-fixture.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const insert = (c: DuckDBConnection, table: string, row: DuckDBValue[]) => c.run(`INSERT INTO ${table} VALUES (${row.map(() => '?').join(', ')})`, row);

/** Writes spans the way tracehub's version-3 store did (one batch), with its schema (fixtures/schema-v3.sql). */
async function writeV3(file: string, spans: SpanRecord[]): Promise<void> {
  const db = await DuckDBInstance.create(file);
  const c = await db.connect();
  await c.run(readFileSync(new URL('fixtures/schema-v3.sql', import.meta.url), 'utf8'));
  await c.run("INSERT INTO meta VALUES ('schema_version', '3')");
  const seq = 1n;
  const seen = new Set<string>();
  for (const [i, s] of spans.entries()) {
    const rid = resourceId(s.resource);
    if (!seen.has(rid)) {
      seen.add(rid);
      const r = s.resource;
      await insert(c, 'resources', [rid, r.serviceName, JSON.stringify(r.attributes), r.droppedAttributesCount, r.schemaUrl, 0n]);
      for (const a of r.attributes) {
        const t = attrText(a.value);
        await insert(c, 'resource_attrs', [rid, a.key, t.vtype, t.str, t.num]);
      }
    }
    const key = seq * 2n ** 20n + BigInt(i);
    await insert(c, 'spans', [
      s.traceId, s.spanId, s.parentSpanId, s.traceState, s.flags, s.name, s.kind, s.resource.serviceName, rid,
      s.scope.name, s.scope.version, JSON.stringify(s.scope.attributes), s.scope.droppedAttributesCount, s.scope.schemaUrl,
      s.startTimeUnixNano, s.endTimeUnixNano, s.endTimeUnixNano - s.startTimeUnixNano, s.statusCode, s.statusMessage,
      JSON.stringify(s.attributes), s.droppedAttributesCount, eventsJson(s.events), s.droppedEventsCount,
      JSON.stringify(s.links), s.droppedLinksCount, seq, key,
    ]);
    for (const a of s.attributes) {
      const t = attrText(a.value);
      await insert(c, 'span_attrs', [key, a.key, t.vtype, t.str, t.num, s.startTimeUnixNano]);
    }
  }
  const start = spans.reduce((m, s) => (s.startTimeUnixNano < m ? s.startTimeUnixNano : m), spans[0]!.startTimeUnixNano);
  const end = spans.reduce((m, s) => (s.endTimeUnixNano > m ? s.endTimeUnixNano : m), 0n);
  const root = spans.find((s) => s.parentSpanId === '')!;
  await insert(c, 'trace_parts', [TRACE_ID, start, end, spans.length, spans.filter((s) => s.statusCode === 2).length, root.resource.serviceName, root.name, root.startTimeUnixNano, '{}', seq]);
  await insert(c, 'batches', [seq, 0n]);
  c.closeSync();
  db.closeSync();
}

const order = (spans: SpanRecord[]) =>
  [...spans].sort((a, b) => (a.startTimeUnixNano < b.startTimeUnixNano ? -1 : a.startTimeUnixNano > b.startTimeUnixNano ? 1 : a.spanId < b.spanId ? -1 : 1));

it('migrates a version-3 data dir on open without losing a span or an attribute', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'tracehub-migrate-'));
  dirs.push(dir);
  const spans = fixtureSpans();
  expect(spans.some((s) => s.attributes.length > 2)).toBe(true);
  await writeV3(path.join(dir, 'tracehub.duckdb'), spans);

  const store = await Store.open({ dataDir: dir });
  try {
    expect(await store.getTrace(TRACE_ID)).toEqual(order(spans));
    const withAttr = spans.find((s) => s.attributes.some((a) => a.value.type === 'string'))!;
    const attr = withAttr.attributes.find((a) => a.value.type === 'string')!;
    const found = await store.searchTraces({ attributes: [{ key: attr.key, value: attrText(attr.value).str }], limit: 10 });
    expect(found.map((t) => t.summary.traceId)).toEqual([TRACE_ID]);
    const keys = (await store.attributeKeys()).filter((k) => k.scope === 'span').map((k) => k.key);
    expect(keys.sort()).toEqual([...new Set(spans.flatMap((s) => s.attributes.map((a) => a.key)))].sort());

    // Ingest goes on: a new key gets a new number, old ones keep theirs.
    const next: SpanRecord = {
      ...spans[0]!,
      traceId: 'bb'.repeat(16),
      attributes: [{ key: 'brand.new', value: { type: 'int', value: '7' } }, ...spans[0]!.attributes],
    };
    await store.write([next], []);
    expect(await store.getTrace('bb'.repeat(16))).toEqual([next]);
  } finally {
    await store.close();
  }

  // The migrated dir opens as the current version, with nothing left of the old layout.
  const db = await DuckDBInstance.create(path.join(dir, 'tracehub.duckdb'));
  const c = await db.connect();
  const version = (await c.runAndReadAll("SELECT value FROM meta WHERE key = 'schema_version'")).getRows()[0]![0];
  const tables = (await c.runAndReadAll("SELECT table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE'")).getRows().map((r) => r[0]);
  const spanColumns = (await c.runAndReadAll("SELECT column_name FROM information_schema.columns WHERE table_name = 'spans'")).getRows().map((r) => r[0]);
  c.closeSync();
  db.closeSync();
  expect(version).toBe(SCHEMA_VERSION);
  expect(tables).not.toContain('span_attrs_v3');
  expect(spanColumns).not.toContain('attrs');
  const again = await Store.open({ dataDir: dir });
  expect(await again.getTrace(TRACE_ID)).toEqual(order(spans));
  await again.close();
});
