/**
 * kill -9 at 20 random moments of full-rate ingest (issue 15): several OTLP/HTTP protobuf exports
 * always in flight, the hub SIGKILLed 150-1500 ms into each run (one run: 8-16 s) and restarted on
 * the same data directory. Afterwards every span of every acknowledged export (minus the ones its partial-success
 * answer rejected) must be stored, none twice, and a random sample must match what was sent in
 * every field. Spans of exports that were in flight at a kill may or may not be there.
 *
 * Repeat a failing run with the seed it prints: TRACEHUB_KILL_SEED=<seed> npx vitest run <this file>.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type HubHandle, startHub } from '@tracelab/test-support/hub';
import { Ledger, Workload, checkStored, runSenders, seededRandom } from '../../src/testing-ledger.js';
import { expectAcknowledgedStoredOnce } from './expect-stored.js';

const KILLS = 20;
/** Exports in flight at once; each one carries SPANS_PER_REQUEST valid spans. */
const CONCURRENCY = 4;
const SPANS_PER_REQUEST = 200;
const KILL_AFTER_MS = [150, 1500] as const;
/**
 * One run is longer, so that a kill can also land in what the hub does every few seconds (today:
 * the retention check at 5 s and the WAL checkpoint at 10 s after start) on a larger WAL.
 */
const LONG_RUN = 10;
const LONG_KILL_AFTER_MS = [8_000, 16_000] as const;

const seed = Number(process.env.TRACEHUB_KILL_SEED ?? Math.floor(Math.random() * 2 ** 31));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const started: HubHandle[] = [];
const dataDir = mkdtempSync(path.join(tmpdir(), 'tracehub-kill20-'));
afterAll(async () => {
  for (const h of started) await h.kill();
  rmSync(dataDir, { recursive: true, force: true });
});

async function hub(): Promise<HubHandle> {
  // Restarts replay DuckDB's write-ahead log; give a loaded machine time.
  const h = await startHub({ dataDir, timeoutMs: 60_000 });
  started.push(h);
  return h;
}

describe('durability under kill -9', () => {
  it(`keeps every acknowledged span through ${KILLS} kills at random moments of full-rate ingest (seed ${seed})`, async () => {
    const random = seededRandom(seed);
    const workload = new Workload({ salt: `kill20-${seed}`, spansPerRequest: SPANS_PER_REQUEST, invalidEvery: 5, baseTimeNs: BigInt(Date.now() - 60_000) * 1_000_000n + 123_456_789n });
    const ledger = new Ledger();
    const schedule: { run: number; killAfterMs: number; acked: number; unanswered: number }[] = [];
    let seq = 0;
    const t0 = performance.now();

    for (let run = 0; run < KILLS; run++) {
      const h = await hub();
      const stop = new AbortController();
      const [ackedBefore, unansweredBefore] = [ledger.acked.size, ledger.unanswered.size];
      const sending = runSenders({ url: h.otlpHttpUrl, workload, ledger, concurrency: CONCURRENCY, nextSeq: () => seq++, signal: stop.signal, retryRefused: false });
      const [from, to] = run === LONG_RUN ? LONG_KILL_AFTER_MS : KILL_AFTER_MS;
      const killAfterMs = from + Math.floor(random() * (to - from));
      await sleep(killAfterMs);
      stop.abort(); // no new exports; the ones in flight meet the kill
      await h.kill();
      expect(h.process.signalCode).toBe('SIGKILL');
      await sending;
      schedule.push({ run, killAfterMs, acked: ledger.acked.size - ackedBefore, unanswered: ledger.unanswered.size - unansweredBefore });
    }

    const runsSeconds = (performance.now() - t0) / 1000;
    const h = await hub();
    const report = await checkStored(h.apiUrl, workload, ledger, { sampleSpans: 1000, sampleTraces: 10 }, random);
    await h.stop();
    console.info(
      `kill20 seed ${seed}: ${ledger.acked.size} exports acknowledged (${report.ackedSpans} spans), ${ledger.unanswered.size} cut off by the kills ` +
        `(${report.storedUnanswered} of their spans stored), ${ledger.rejectedByAnswers} rejected; ${report.tracesRead} traces read, ${report.compared} spans compared; ` +
        `runs ${runsSeconds.toFixed(1)} s, check ${((performance.now() - t0) / 1000 - runsSeconds).toFixed(1)} s`,
    );
    const context = JSON.stringify({ seed, schedule, statuses: [...ledger.statuses], report: { ...report, mismatches: report.mismatches.slice(0, 10) } }, null, 1);

    // The run did what it claims: exports acknowledged, and exports cut off by the kills.
    expect(ledger.acked.size, context).toBeGreaterThanOrEqual(KILLS);
    expect(ledger.unanswered.size, context).toBeGreaterThan(0);
    expect(ledger.rejectedByAnswers, context).toBeGreaterThan(0);
    // Every answer was a 200 with the right partial success (no 500, no error but the kills'), and
    // by count and content every acknowledged span is there, once, whole, and nothing else.
    expectAcknowledgedStoredOnce(ledger, report, context);
    expect(report.storedSpans, context).toBe(report.ackedSpans + report.storedUnanswered);
    // By content: every field of ≥ 1,000 acknowledged spans, whole traces at a time.
    expect(report.comparedAcked, context).toBeGreaterThanOrEqual(1000);
    expect(report.comparedTraces, context).toBeGreaterThanOrEqual(10);
  }, 240_000);
});
