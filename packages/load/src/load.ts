// I/O: fires requests on a fixed schedule and records what comes back.
// Open loop: request i is due at start + i / rate, whether or not earlier
// requests have answered; a late timer fires every overdue request at once,
// so a slow server shows up as latency, not as a lower request rate
// (the "coordinated omission" closed-loop tools suffer from).
import { makeMixSequence } from './mix.js';
import type { LoadOptions } from './args.js';
import { LOAD_SCENARIOS } from './scenarios.js';
import type { Outcome } from './stats.js';

export interface LoadResult {
  outcomes: Outcome[];
  /** Send time of each request, ms since start (same order as sending). */
  sendTimes: number[];
  /** Not sent because maxInFlight requests were already waiting. */
  skipped: number;
  /** Wall time from the first send to the last answer, ms. */
  elapsedMs: number;
  /** Why the run stopped early, if it did. */
  stoppedEarly?: string;
}

export interface LoadHooks {
  /** Called about every 250 ms while running. */
  onTick?(state: { elapsedMs: number; sent: number; inFlight: number; outcomes: Outcome[] }): void;
  /** Stops sending (e.g. on Ctrl-C); what is in flight still completes. */
  signal?: AbortSignal;
}

/** After this many failed connections with not a single answer, nothing is listening: stop. */
const GIVE_UP_AFTER = 20;

export async function runLoad(opts: LoadOptions, hooks: LoadHooks = {}): Promise<LoadResult> {
  const next = makeMixSequence(opts.mix);
  const interval = 1000 / opts.rate;
  const outcomes: Outcome[] = [];
  const sendTimes: number[] = [];
  const pending = new Set<Promise<void>>();
  let skipped = 0;
  let answered = 0;
  let stoppedEarly: string | undefined;
  const t0 = performance.now();
  const ticker = setInterval(() => hooks.onTick?.({ elapsedMs: performance.now() - t0, sent: sendTimes.length, inFlight: pending.size, outcomes }), 250);

  const fire = (scenario: string) => {
    const { method, path } = LOAD_SCENARIOS[scenario]!;
    const start = performance.now();
    sendTimes.push(start - t0);
    const p = (async () => {
      try {
        const res = await fetch(opts.url + path, { method, signal: AbortSignal.timeout(opts.timeoutMs) });
        await res.arrayBuffer();
        answered++;
        outcomes.push({ scenario, status: res.status, latencyMs: performance.now() - start });
      } catch (err) {
        outcomes.push({ scenario, error: failureReason(err), latencyMs: performance.now() - start });
      }
    })();
    pending.add(p);
    void p.finally(() => pending.delete(p));
  };

  try {
    for (let i = 0; i < opts.maxRequests; ) {
      const due = i * interval;
      if (due >= opts.durationMs || hooks.signal?.aborted) break;
      if (answered === 0 && outcomes.length >= GIVE_UP_AFTER) {
        stoppedEarly = `no answer from ${opts.url} after ${outcomes.length} attempts (${outcomes[0]!.error})`;
        break;
      }
      const now = performance.now() - t0;
      if (due > now) {
        await new Promise((r) => setTimeout(r, due - now));
        continue;
      }
      const scenario = next();
      if (pending.size >= opts.maxInFlight) skipped++;
      else fire(scenario);
      i++;
    }
    while (pending.size > 0) await Promise.race(pending);
  } finally {
    clearInterval(ticker);
  }
  return { outcomes, sendTimes, skipped, elapsedMs: performance.now() - t0, stoppedEarly };
}

function failureReason(err: unknown): string {
  const e = err as Error & { cause?: { code?: string } };
  if (e.name === 'TimeoutError') return 'TIMEOUT';
  return e.cause?.code ?? e.name ?? 'ERROR';
}
