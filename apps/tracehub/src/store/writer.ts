/**
 * The write half of the store: one batch of spans and logs → one transaction of
 * appends on the writer connection (rows from rows.ts), with the attribute-key
 * and scope dictionaries, the known resources and the batch numbering it needs.
 */
import { type DuckDBAppender, type DuckDBConnection, DuckDBDataChunk, type DuckDBType, type DuckDBValue } from '@duckdb/node-api';
import type { LogRecordData, Resource, Scope, SpanRecord } from '../model.js';
import { type Columns, KeyDictionary, ScopeDictionary, logBatchRows, spanBatchRows } from './rows.js';

export class BatchWriter {
  private readonly knownResources = new Set<string>();
  private readonly ridCache = new WeakMap<Resource, string>();
  private readonly appenders = new Map<string, { appender: DuckDBAppender; types: DuckDBType[] }>();
  /** The attribute-key dictionary (reads resolve key ids with keys.keyOf). */
  readonly keys = new KeyDictionary();
  /** The scope dictionary (reads resolve scope ids with scopes.scopeOf). */
  readonly scopes = new ScopeDictionary();

  private constructor(
    private readonly c: DuckDBConnection,
    private seq: bigint,
  ) {}

  /** Picks up where the stored batches end: the last batch number, the keys, the scopes, the resources. */
  static async open(c: DuckDBConnection): Promise<BatchWriter> {
    const seq = await c.runAndReadAll(
      'SELECT greatest((SELECT coalesce(max(ingest_seq), 0) FROM trace_parts), (SELECT coalesce(max(ingest_seq), 0) FROM logs))',
    );
    const w = new BatchWriter(c, BigInt(seq.getRows()[0]![0] as bigint));
    const keys = await c.runAndReadAll('SELECT key_id, key FROM attr_keys');
    w.keys.load(keys.getRows().map((r) => [Number(r[0]), r[1] as string, r[1] as string] as const));
    const scopes = await c.runAndReadAll('SELECT scope_id, name, version, attrs, dropped_attrs, schema_url FROM scopes');
    w.scopes.load(
      scopes.getRows().map((r) => {
        const scope: Scope = { name: r[1] as string, version: r[2] as string, attributes: JSON.parse(r[3] as string), droppedAttributesCount: Number(r[4]), schemaUrl: r[5] as string };
        return [Number(r[0]), ScopeDictionary.keyOf(scope), scope] as const;
      }),
    );
    const rids = await c.runAndReadAll('SELECT resource_id FROM resources');
    for (const [rid] of rids.getRows()) w.knownResources.add(rid as string);
    return w;
  }

  private async appenderFor(table: string): Promise<{ appender: DuckDBAppender; types: DuckDBType[] }> {
    let a = this.appenders.get(table);
    if (!a) {
      const appender = await this.c.createAppender(table);
      const types: DuckDBType[] = [];
      for (let i = 0; i < appender.columnCount; i++) types.push(appender.columnType(i));
      a = { appender, types };
      this.appenders.set(table, a);
    }
    return a;
  }

  private async append(table: string, cols: Columns): Promise<void> {
    const rows = cols[0]?.length ?? 0;
    if (rows === 0) return;
    const { appender, types } = await this.appenderFor(table);
    const CHUNK = 2048;
    for (let off = 0; off < rows; off += CHUNK) {
      const n = Math.min(CHUNK, rows - off);
      const chunk = DuckDBDataChunk.create(types, n);
      for (let c = 0; c < types.length; c++) {
        const col = cols[c]!;
        chunk.setColumnValues(c, (off === 0 && n === rows ? col : col.slice(off, off + n)) as DuckDBValue[]);
      }
      appender.appendDataChunk(chunk);
    }
    appender.flushSync();
  }

  /**
   * Stores one batch in one transaction. When the promise resolves, the batch
   * is committed (in the WAL, fsynced by DuckDB) and visible to queries.
   */
  async write(spans: SpanRecord[], logs: LogRecordData[], receivedNs: bigint = BigInt(Date.now()) * 1_000_000n): Promise<void> {
    if (spans.length === 0 && logs.length === 0) return;
    const seq = ++this.seq;
    const nowNs = receivedNs;
    // Resources first seen in this batch become known only once it commits.
    const fresh = new Set<string>();
    const known = { has: (id: string) => this.knownResources.has(id) || fresh.has(id), add: (id: string) => fresh.add(id) };
    const sr = spanBatchRows(spans, seq, known, this.ridCache, nowNs, this.keys, this.scopes);
    const lr = logBatchRows(logs, seq, known, this.ridCache, nowNs);
    await this.c.run('BEGIN TRANSACTION');
    try {
      await this.append('spans', sr.spans);
      await this.append('attr_keys', this.keys.pendingColumns());
      await this.append('scopes', this.scopes.pendingColumns());
      await this.append('span_attr_rows', sr.spanAttrs);
      await this.append('trace_parts', sr.traceParts);
      await this.append('resources', sr.resources);
      await this.append('resource_attrs', sr.resourceAttrs);
      await this.append('logs', lr.logs);
      await this.append('resources', lr.resources);
      await this.append('resource_attrs', lr.resourceAttrs);
      await this.c.run('INSERT INTO batches VALUES (?, ?)', [seq, receivedNs]);
      await this.c.run('COMMIT');
    } catch (err) {
      await this.c.run('ROLLBACK').catch(() => undefined);
      this.keys.rollback();
      this.scopes.rollback();
      // Appenders may hold rows of the failed batch: start afresh.
      this.closeAppenders();
      throw err;
    }
    this.keys.commit();
    this.scopes.commit();
    for (const id of fresh) this.knownResources.add(id);
  }

  /** Closes the appenders (at store close, or after a failed batch). */
  closeAppenders(): void {
    for (const { appender } of this.appenders.values()) {
      try {
        appender.closeSync();
      } catch {
        /* already broken */
      }
    }
    this.appenders.clear();
  }
}
