/**
 * The attribute index (table attr_batches): which ingest batches hold a span
 * attribute's value. It is built in bulk, not in the batch's transaction: each
 * checkpoint first indexes the batches committed since the last one (one query
 * over all their rows costs about a sixth of one per batch), and meta's
 * attr_indexed_through says how far it got. A search for a rare value with no
 * time range asks it first and then reads only those batches' rows, plus every
 * batch after attr_indexed_through (the last seconds of ingest), instead of
 * every row of the key over all time. Retention deletes a batch's rows with it.
 *
 * The hash is DuckDB's own hash(key_id, str), computed in SQL when indexing and
 * at lookup, so the two always agree. DuckDB does not promise that hash() stays
 * the same across its versions: meta's attr_hash_probe holds the hash of a fixed
 * value, and on open a different answer derives the table again.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { SPAN_KEY_STRIDE } from './rows.js';

const STRIDE_BITS = Math.log2(SPAN_KEY_STRIDE);

/** The index's hash of an attribute: the upper half of hash(key id, text form). */
export const attributeHashSql = (keyId: string, str: string) => `(hash(${keyId}::UINTEGER, ${str}::VARCHAR) >> 32)::UINTEGER`;

/** The hashes of batches (params: first span key, last span key), one row per distinct value per batch. */
const INDEX_SQL = `INSERT INTO attr_batches
  SELECT h, seq FROM (SELECT DISTINCT ${attributeHashSql('key_id', 'str')} AS h, span_key >> ${STRIDE_BITS} AS seq
    FROM span_attr_rows WHERE span_key BETWEEN ? AND ?)
  ORDER BY seq`;

/** The highest batch number a span key can have (span_key = seq * 2^20 + position stays a BIGINT). */
export const LAST_SEQ = (1n << 43n) - 2n;

const firstKey = (seq: bigint) => seq * BigInt(SPAN_KEY_STRIDE);
const lastKey = (seq: bigint) => (seq + 1n) * BigInt(SPAN_KEY_STRIDE) - 1n;

const PROBE_SQL = `SELECT ${attributeHashSql('0', "'tracehub attr_batches'")}::VARCHAR`;

/**
 * Where a span attribute key = value (as text) can be: `onResources` when some
 * resource has it (then every span of that resource matches, and the index
 * cannot narrow the search), else the indexed batches whose spans may have it,
 * in order; batches after `indexedThrough` are not indexed yet and may have it too.
 */
export const LOOKUP_SQL = `SELECT
  (SELECT count(*) FROM resource_attrs WHERE key = ? AND str = ?) > 0 AS on_resources,
  (SELECT list(DISTINCT ingest_seq ORDER BY ingest_seq) FROM attr_batches
    WHERE h = ${attributeHashSql('(SELECT key_id FROM attr_keys WHERE key = ?)', '?')}
      AND (SELECT key_id FROM attr_keys WHERE key = ?) IS NOT NULL) AS seqs,
  (SELECT value FROM meta WHERE key = 'attr_indexed_through') AS through`;

export interface AttributeLocation {
  onResources: boolean;
  /** Indexed batch numbers, ascending. */
  seqs: bigint[];
  /** Every batch up to this one is indexed. */
  indexedThrough: bigint;
}

export async function lookupAttribute(c: DuckDBConnection, key: string, value: string): Promise<AttributeLocation> {
  const row = (await c.runAndReadAll(LOOKUP_SQL, [key, value, key, value, key])).getRowObjects()[0]!;
  const seqs = row.seqs as { items: bigint[] } | null;
  return {
    onResources: row.on_resources === true,
    seqs: (seqs?.items ?? []).map((s) => BigInt(s)),
    indexedThrough: row.through === null || row.through === undefined ? 0n : BigInt(row.through as string),
  };
}

/**
 * Batch numbers (ascending) as at most `maxRanges` inclusive ranges: runs of
 * consecutive numbers, then the closest neighbours joined until few enough.
 * The ranges cover every number (and, once joined, the batches between).
 */
export function batchRanges(seqs: readonly bigint[], maxRanges: number): [bigint, bigint][] {
  const ranges: [bigint, bigint][] = [];
  for (const s of seqs) {
    const last = ranges[ranges.length - 1];
    if (last && s <= last[1] + 1n) last[1] = s > last[1] ? s : last[1];
    else ranges.push([s, s]);
  }
  while (ranges.length > maxRanges) {
    let best = 1;
    for (let i = 2; i < ranges.length; i++) if (ranges[i]![0] - ranges[i - 1]![1] < ranges[best]![0] - ranges[best - 1]![1]) best = i;
    ranges[best - 1]![1] = ranges[best]![1];
    ranges.splice(best, 1);
  }
  return ranges;
}

/** How many batches the ranges cover. */
export const rangesWidth = (ranges: readonly [bigint, bigint][]) => ranges.reduce((n, [a, b]) => n + Number(b - a + 1n), 0);

async function setIndexedThrough(c: DuckDBConnection, seq: bigint): Promise<void> {
  await c.run("DELETE FROM meta WHERE key = 'attr_indexed_through'");
  await c.run("INSERT INTO meta VALUES ('attr_indexed_through', ?)", [String(seq)]);
}

const lastBatch = async (c: DuckDBConnection) => BigInt(((await c.runAndReadAll('SELECT coalesce(max(ingest_seq), 0) FROM batches')).getRows()[0]![0]) as bigint);

/**
 * Indexes the batches committed since the last run, in one transaction (on the
 * writer connection, between batches: the store's checkpoint runs it first).
 */
export async function indexNewBatches(c: DuckDBConnection): Promise<void> {
  const row = (await c.runAndReadAll("SELECT value FROM meta WHERE key = 'attr_indexed_through'")).getRows()[0];
  const through = row ? BigInt(row[0] as string) : 0n;
  const last = await lastBatch(c);
  if (last <= through) return;
  await c.run('BEGIN TRANSACTION');
  try {
    await c.run(INDEX_SQL, [firstKey(through + 1n), lastKey(last)]);
    await setIndexedThrough(c, last);
    await c.run('COMMIT');
  } catch (err) {
    await c.run('ROLLBACK').catch(() => undefined);
    throw err;
  }
}

/** Derives attr_batches from every batch and notes the probe (the caller holds the transaction). */
export async function deriveAttributeIndex(c: DuckDBConnection): Promise<void> {
  const probe = (await c.runAndReadAll(PROBE_SQL)).getRows()[0]![0] as string;
  const last = await lastBatch(c);
  await c.run('DELETE FROM attr_batches');
  await c.run(INDEX_SQL, [0n, lastKey(last)]);
  await setIndexedThrough(c, last);
  await c.run("DELETE FROM meta WHERE key = 'attr_hash_probe'");
  await c.run("INSERT INTO meta VALUES ('attr_hash_probe', ?)", [probe]);
}

/**
 * Brings attr_batches in line with this DuckDB's hash: derives it again, in one
 * transaction, when meta's probe is missing or differs from today's hash.
 */
export async function ensureAttributeIndex(c: DuckDBConnection): Promise<void> {
  const probe = (await c.runAndReadAll(PROBE_SQL)).getRows()[0]![0] as string;
  const stored = (await c.runAndReadAll("SELECT value FROM meta WHERE key = 'attr_hash_probe'")).getRows()[0]?.[0];
  if (stored === probe) return;
  await c.run('BEGIN TRANSACTION');
  try {
    await deriveAttributeIndex(c);
    await c.run('COMMIT');
  } catch (err) {
    await c.run('ROLLBACK').catch(() => undefined);
    throw err;
  }
}
