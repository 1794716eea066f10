/**
 * Retention on a real DuckDB store: by age and by size, run through the same
 * maintenance step the ingest loop runs between batches.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createMaintenance } from '../../src/ingest/maintenance.js';
import type { SpanRecord } from '../../src/model.js';
import { Store } from '../../src/store/store.js';
import { span as baseSpan } from '../compat/span-fixtures.js';

const dirs: string[] = [];
const stores: Store[] = [];
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function openStore(): Promise<Store> {
  const dir = mkdtempSync(path.join(tmpdir(), 'tracehub-retention-'));
  dirs.push(dir);
  const s = await Store.open({ dataDir: dir });
  stores.push(s);
  return s;
}

const resource = { attributes: [], droppedAttributesCount: 0, schemaUrl: '', serviceName: 'svc' };
const scope = { name: 's', version: '', attributes: [], droppedAttributesCount: 0, schemaUrl: '' };
function span(i: number, startMs: number): SpanRecord {
  const start = BigInt(startMs) * 1_000_000n;
  return baseSpan({
    traceId: i.toString(16).padStart(32, '0'),
    spanId: (i + 1).toString(16).padStart(16, '0'),
    flags: 0,
    name: `op-${i}`,
    kind: 1,
    startTimeUnixNano: start,
    endTimeUnixNano: start + 1_000_000n,
    attributes: [{ key: 'i', value: { type: 'int', value: String(i) } }],
    resource,
    scope,
  });
}

const DAY = 86_400_000;
const quiet = pino({ level: 'silent' });

describe('retention', () => {
  it('removes what was received before the age limit, whatever its timestamps, and keeps the rest', async () => {
    const store = await openStore();
    const now = Date.now();
    const received = (ms: number) => BigInt(ms) * 1_000_000n;
    await store.write([span(1, now - 9 * DAY)], [], received(now - 9 * DAY));
    await store.write([span(2, now)], [], received(now - 8 * DAY));
    // Old timestamps, received just now (a replay, or the spec's 2018 example): kept.
    await store.write([span(3, now - 30 * DAY)], [], received(now - DAY));
    await store.write([span(4, now)], [], received(now));
    const m = createMaintenance(store, { retentionAgeNs: 7n * BigInt(DAY) * 1_000_000n, retentionMaxBytes: null }, quiet);
    await m.run();
    expect(await store.getTrace(span(1, 0).traceId)).toBeNull();
    expect(await store.getTrace(span(2, 0).traceId)).toBeNull();
    expect(await store.getTrace(span(3, 0).traceId)).not.toBeNull();
    expect(await store.getTrace(span(4, 0).traceId)).not.toBeNull();
    expect((await store.searchTraces({ limit: 10 })).map((r) => r.summary.traceId).sort()).toEqual(
      [span(3, 0).traceId, span(4, 0).traceId].sort(),
    );
  });

  it('drops the oldest batches first while the store is above the size limit', async () => {
    const store = await openStore();
    const base = Date.now() - 1000 * 60;
    for (let i = 0; i < 100; i++) await store.write([span(i, base + i * 100)], [], BigInt(base + i) * 1_000_000n);
    let t = Date.now();
    const m = createMaintenance(store, { retentionAgeNs: null, retentionMaxBytes: 1 }, quiet, () => t);
    await m.run();
    const left = await store.spanCount();
    expect(left).toBeLessThan(100);
    expect(left).toBeGreaterThan(0);
    // The oldest went first.
    expect(await store.getTrace(span(0, 0).traceId)).toBeNull();
    expect(await store.getTrace(span(99, 0).traceId)).not.toBeNull();
    t += 60_000;
    await m.run();
    expect(await store.spanCount()).toBeLessThan(left);
  });
});
