/**
 * Background upkeep of the store, run by the ingest loop between batches so
 * it never races a write: retention by receive age and by size, and checkpoints that
 * fold DuckDB's WAL into the database file. Each run does a bounded amount of
 * work, so ingest waits at most one step.
 */
import type { Logger } from 'pino';
import type { TracehubConfig } from '../config.js';
import type { Store } from '../store/store.js';

const CHECKPOINT_EVERY_MS = 10_000;
const RETENTION_EVERY_MS = 30_000;

export function createMaintenance(
  store: Store,
  config: Pick<TracehubConfig, 'retentionAgeNs' | 'retentionMaxBytes'>,
  logger: Logger,
  now: () => number = Date.now,
) {
  let timer: NodeJS.Timeout | null = null;
  let lastCheckpoint = now();
  let lastRetention = 0;

  async function run(): Promise<void> {
    const t = now();
    if (t - lastRetention >= RETENTION_EVERY_MS) {
      lastRetention = t;
      if (config.retentionAgeNs !== null) {
        const cutoff = BigInt(t) * 1_000_000n - config.retentionAgeNs;
        const n = await store.deleteReceivedBefore(cutoff);
        if (n > 0) logger.info({ spans: n, reason: 'age' }, 'retention removed spans');
      }
      if (config.retentionMaxBytes !== null && (await store.sizeBytes()) > config.retentionMaxBytes) {
        // Drop the oldest tenth at a time; the next run drops more if still above.
        const n = await store.deleteOldestBatches(0.1);
        logger.info({ spans: n, reason: 'size', limitBytes: config.retentionMaxBytes }, 'retention removed spans');
        await store.checkpoint();
        lastCheckpoint = now();
      }
    }
    if (now() - lastCheckpoint >= CHECKPOINT_EVERY_MS) {
      await store.checkpoint();
      lastCheckpoint = now();
    }
  }

  return {
    run,
    start(request: () => void): void {
      timer = setInterval(request, 5_000);
      timer.unref();
    },
    stop(): void {
      if (timer) clearInterval(timer);
      timer = null;
    },
  };
}
