/**
 * The store's schema version (table meta): what a data dir holds, migrations
 * from older versions, and the refusal of versions this tracehub cannot read.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { deriveAttributeIndex, ensureAttributeIndex } from './attribute-index.js';
import { schemaSql } from './connection.js';

/**
 * Bumped whenever schema.sql changes incompatibly. Version 4 stores attributes
 * as rows with numbered keys (attr_keys, span_attr_rows) and scopes once
 * (scopes); version 5 adds the attribute index (attr_batches, which the
 * store's checkpoints build). Versions 3 and 4 are migrated on open.
 */
export const SCHEMA_VERSION = '5';

export class StoreVersionError extends Error {
  constructor(dir: string, found: string) {
    super(
      `the data directory ${dir} holds a tracehub store of schema version ${found}, but this tracehub needs version ${SCHEMA_VERSION}: ` +
        'start with another --data-dir, or delete the old one (its traces will be lost)',
    );
  }
}

/** The stored schema version: null for a new store, '1' for one made before versioning. */
async function storedVersion(c: DuckDBConnection): Promise<string | null> {
  const tables = new Set(
    (await c.runAndReadAll("SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'")).getRows().map((r) => r[0] as string),
  );
  if (!tables.has('spans')) return null;
  if (!tables.has('meta')) return '1';
  const row = (await c.runAndReadAll("SELECT value FROM meta WHERE key = 'schema_version'")).getRows()[0];
  return row ? (row[0] as string) : '1';
}

/**
 * Version 3 kept each span's attributes twice (JSON text on the span, and rows
 * with the key as text) and the scope's five columns on every span. One
 * transaction moves the attribute rows into span_attr_rows (numbered keys, the
 * span's order), numbers the distinct scopes, and rewrites the span rows
 * without the JSON and with a scope number. It commits whole or not at all, so
 * an interrupted migration starts again at the next open.
 */
async function migrateFromV3(c: DuckDBConnection): Promise<void> {
  await c.run('BEGIN TRANSACTION');
  try {
    await c.run('ALTER TABLE span_attrs RENAME TO span_attrs_v3');
    await c.run('ALTER TABLE spans RENAME TO spans_v3');
    await c.run(schemaSql());
    await c.run('INSERT INTO attr_keys SELECT (row_number() OVER (ORDER BY key) - 1)::UINTEGER, key FROM (SELECT DISTINCT key FROM span_attrs_v3)');
    // v3 appended a span's rows in the order of its attributes.
    await c.run(
      `INSERT INTO span_attr_rows
       SELECT a.span_key, (row_number() OVER (PARTITION BY a.span_key ORDER BY a.rowid) - 1)::UINTEGER,
         k.key_id, a.vtype::attr_type, a.str, a.num, a.start_ns
       FROM span_attrs_v3 a JOIN attr_keys k ON k.key = a.key`,
    );
    await c.run(
      `INSERT INTO scopes
       SELECT (row_number() OVER (ORDER BY name, version, attrs, dropped_attrs, schema_url) - 1)::UINTEGER, *
       FROM (SELECT DISTINCT scope_name AS name, scope_version AS version, scope_attrs AS attrs, scope_dropped_attrs AS dropped_attrs,
               scope_schema_url AS schema_url FROM spans_v3)`,
    );
    await c.run(
      `INSERT INTO spans
       SELECT s.trace_id, s.span_id, s.parent_span_id, s.trace_state, s.flags, s.name, s.kind, s.service, s.resource_id,
         s.start_ns, s.end_ns, s.duration_ns, s.status_code, s.status_message, s.dropped_attrs, s.events, s.dropped_events,
         s.links, s.dropped_links, s.ingest_seq, s.span_key, sc.scope_id
       FROM spans_v3 s JOIN scopes sc ON sc.name = s.scope_name AND sc.version = s.scope_version AND sc.attrs = s.scope_attrs
         AND sc.dropped_attrs = s.scope_dropped_attrs AND sc.schema_url = s.scope_schema_url
       ORDER BY s.span_key`,
    );
    await c.run('DROP TABLE span_attrs_v3');
    await c.run('DROP TABLE spans_v3');
    await c.run("UPDATE meta SET value = '4' WHERE key = 'schema_version'");
    await c.run('COMMIT');
  } catch (err) {
    await c.run('ROLLBACK').catch(() => undefined);
    throw err;
  }
}

/**
 * Version 4 had no attribute index. One transaction creates attr_batches and
 * derives it from every stored batch's attribute rows (always, even if a probe
 * is there: a version-4 tracehub may have written batches since), then marks
 * the store version 5.
 */
async function migrateFromV4(c: DuckDBConnection): Promise<void> {
  await c.run('BEGIN TRANSACTION');
  try {
    await c.run(schemaSql());
    await deriveAttributeIndex(c);
    await c.run("UPDATE meta SET value = ? WHERE key = 'schema_version'", [SCHEMA_VERSION]);
    await c.run('COMMIT');
  } catch (err) {
    await c.run('ROLLBACK').catch(() => undefined);
    throw err;
  }
}

/**
 * Brings the database in `c` to SCHEMA_VERSION: creates a new store, migrates
 * versions 3 and 4, refuses any other version (StoreVersionError).
 */
export async function openSchema(c: DuckDBConnection, dataDir: string): Promise<void> {
  let version = await storedVersion(c);
  if (version !== null && version !== SCHEMA_VERSION && version !== '3' && version !== '4') throw new StoreVersionError(dataDir, version);
  if (version === '3') {
    await migrateFromV3(c);
    version = '4';
  }
  if (version === '4') await migrateFromV4(c);
  await c.run(schemaSql());
  if (version === null) await c.run("INSERT INTO meta VALUES ('schema_version', ?)", [SCHEMA_VERSION]);
  await ensureAttributeIndex(c);
}
