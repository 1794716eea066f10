/**
 * Retention's deletes, on the writer connection between batches: by receive
 * time and by the oldest batches (for the size limit), and the size they go by.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { tryParseSize } from '@tracelab/units';
import { SPAN_KEY_STRIDE } from './rows.js';

/**
 * Deletes everything received before `cutoffNs` (retention goes by receive
 * time, so data with old timestamps is kept as long as fresh data). Batches
 * are numbered in receive order, so this is a delete of the lowest
 * ingest_seq values, which the row groups' min/max make cheap. Returns spans deleted.
 */
export async function deleteReceivedBefore(c: DuckDBConnection, cutoffNs: bigint): Promise<number> {
  const last = (await c.runAndReadAll('SELECT max(ingest_seq) FROM batches WHERE received_ns < ?', [cutoffNs])).getRows()[0]?.[0];
  if (last === null || last === undefined) return 0;
  return deleteBatchesThrough(c, BigInt(last as bigint));
}

/** Deletes the oldest `fraction` of batches (for the size limit). Returns spans deleted. */
export async function deleteOldestBatches(c: DuckDBConnection, fraction: number): Promise<number> {
  const last = (await c.runAndReadAll('SELECT quantile_disc(ingest_seq, ?) FROM batches', [fraction])).getRows()[0]?.[0];
  if (last === null || last === undefined) return 0;
  return deleteBatchesThrough(c, BigInt(last as bigint));
}

async function deleteBatchesThrough(c: DuckDBConnection, seq: bigint): Promise<number> {
  await c.run('BEGIN TRANSACTION');
  try {
    const r = await c.run('DELETE FROM spans WHERE ingest_seq <= ?', [seq]);
    await c.run('DELETE FROM span_attr_rows WHERE span_key < ?', [(seq + 1n) * BigInt(SPAN_KEY_STRIDE)]);
    await c.run('DELETE FROM trace_parts WHERE ingest_seq <= ?', [seq]);
    await c.run('DELETE FROM attr_batches WHERE ingest_seq <= ?', [seq]);
    await c.run('DELETE FROM logs WHERE ingest_seq <= ?', [seq]);
    await c.run('DELETE FROM batches WHERE ingest_seq <= ?', [seq]);
    await c.run('COMMIT');
    return Number(r.rowsChanged);
  } catch (err) {
    await c.run('ROLLBACK').catch(() => undefined);
    throw err;
  }
}

/** Bytes used by the database (blocks in use, not the file's size on disk). */
export async function databaseBytes(c: DuckDBConnection): Promise<number> {
  const r = await c.runAndReadAll('SELECT used_blocks, block_size, wal_size FROM pragma_database_size()');
  const [used, block, wal] = r.getRows()[0]!;
  return Number(used) * Number(block) + (tryParseSize(String(wal)) ?? 0);
}
