// The run's machine-readable summary (--json) and its achieved rate. Pure.
import type { LoadOptions } from './args.js';
import type { LoadResult } from './load.js';
import { summarize, type Summary } from './stats.js';

export interface LoadReport {
  url: string;
  rate: number;
  durationMs: number;
  mix: Record<string, number>;
  sent: number;
  skipped: number;
  /** Requests sent per second over the sending window (first to last send). */
  achievedRate: number;
  /** Requests sent in each whole second of the run. */
  sentPerSecond: number[];
  elapsedMs: number;
  connectionFailures: number;
  stoppedEarly?: string;
  total: Summary;
  scenarios: Record<string, Summary>;
}

export function buildReport(opts: LoadOptions, r: LoadResult): LoadReport {
  const sent = r.sendTimes.length;
  const first = r.sendTimes[0] ?? 0;
  const last = r.sendTimes[sent - 1] ?? 0;
  // n sends span n-1 intervals.
  const achievedRate = sent > 1 ? ((sent - 1) / (last - first)) * 1000 : sent;
  const seconds = Math.ceil(Math.min(opts.durationMs, last + 1) / 1000);
  const sentPerSecond = Array.from({ length: seconds }, () => 0);
  for (const t of r.sendTimes) sentPerSecond[Math.min(seconds - 1, Math.floor(t / 1000))]!++;
  const total = summarize(r.outcomes);
  return {
    url: opts.url,
    rate: opts.rate,
    durationMs: opts.durationMs,
    mix: Object.fromEntries(opts.mix.map((m) => [m.name, m.weight])),
    sent,
    skipped: r.skipped,
    achievedRate,
    sentPerSecond,
    elapsedMs: r.elapsedMs,
    connectionFailures: Object.values(total.failures).reduce((a, b) => a + b, 0),
    stoppedEarly: r.stoppedEarly,
    total,
    scenarios: Object.fromEntries(opts.mix.map((m) => [m.name, summarize(r.outcomes.filter((o) => o.scenario === m.name))])),
  };
}
