/**
 * The attribute index (table attr_batches): which ingest batches hold a span
 * attribute's value. Ingest adds a batch's distinct (key, value) hashes in the
 * batch's transaction; retention deletes them with the batch. A search for a
 * rare value with no time range asks it first and then reads only those
 * batches' rows, instead of every row of the key over all time.
 *
 * The hash is DuckDB's own hash(key_id, str), computed in SQL at ingest, at
 * lookup and when the table is derived, so the three always agree. DuckDB does
 * not promise that hash() stays the same across its versions: meta's
 * attr_hash_probe holds the hash of a fixed value, and on open a different
 * answer derives the table again from span_attr_rows.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { SPAN_KEY_STRIDE } from './rows.js';

const STRIDE_BITS = Math.log2(SPAN_KEY_STRIDE);

/** The index's hash of an attribute: the upper half of hash(key id, text form). */
export const attributeHashSql = (keyId: string, str: string) => `(hash(${keyId}::UINTEGER, ${str}::VARCHAR) >> 32)::UINTEGER`;

/** The hashes of one batch's attribute rows (params: seq, first span key, last span key). */
export const INDEX_BATCH_SQL = `INSERT INTO attr_batches
  SELECT DISTINCT ${attributeHashSql('key_id', 'str')}, ?::BIGINT FROM span_attr_rows WHERE span_key BETWEEN ? AND ?`;

/** Every batch's hashes, from the stored rows (for a migration, or a DuckDB whose hash changed). */
const DERIVE_SQL = `INSERT INTO attr_batches
  SELECT h, seq FROM (SELECT DISTINCT ${attributeHashSql('key_id', 'str')} AS h, span_key >> ${STRIDE_BITS} AS seq FROM span_attr_rows)
  ORDER BY seq`;

const PROBE_SQL = `SELECT ${attributeHashSql('0', "'tracehub attr_batches'")}::VARCHAR`;

/**
 * Where a span attribute key = value (as text) can be: `onResources` when some
 * resource has it (then every span of that resource matches, and the index
 * cannot narrow the search), else the batches whose spans may have it, in order.
 */
export const LOOKUP_SQL = `SELECT
  (SELECT count(*) FROM resource_attrs WHERE key = ? AND str = ?) > 0 AS on_resources,
  (SELECT list(DISTINCT ingest_seq ORDER BY ingest_seq) FROM attr_batches
    WHERE h = ${attributeHashSql('(SELECT key_id FROM attr_keys WHERE key = ?)', '?')}
      AND (SELECT key_id FROM attr_keys WHERE key = ?) IS NOT NULL) AS seqs`;

export interface AttributeLocation {
  onResources: boolean;
  /** Batch numbers, ascending (empty when no span has the value). */
  seqs: bigint[];
}

export async function lookupAttribute(c: DuckDBConnection, key: string, value: string): Promise<AttributeLocation> {
  const row = (await c.runAndReadAll(LOOKUP_SQL, [key, value, key, value, key])).getRowObjects()[0]!;
  const seqs = row.seqs as { items: bigint[] } | null;
  return { onResources: row.on_resources === true, seqs: (seqs?.items ?? []).map((s) => BigInt(s)) };
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

/** Derives attr_batches from span_attr_rows and notes the probe (the caller holds the transaction). */
export async function deriveAttributeIndex(c: DuckDBConnection): Promise<void> {
  const probe = (await c.runAndReadAll(PROBE_SQL)).getRows()[0]![0] as string;
  await c.run('DELETE FROM attr_batches');
  await c.run(DERIVE_SQL);
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
