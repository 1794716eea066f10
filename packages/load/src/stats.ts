// Latencies and answers → summaries. Pure.

export interface Outcome {
  scenario: string;
  /** HTTP status, or undefined when no answer came (connection failure, timeout). */
  status?: number;
  /** What went wrong when there was no answer: ECONNREFUSED, TIMEOUT, ... */
  error?: string;
  latencyMs: number;
}

/** Nearest-rank percentile of ascending-sorted values; p in [0, 100]. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

export interface Summary {
  count: number;
  byStatus: Record<string, number>;
  /** Requests with no answer, by reason. */
  failures: Record<string, number>;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

/** Summary over outcomes; latencies of answered requests only (a refused connection says nothing about the server). */
export function summarize(outcomes: Outcome[]): Summary {
  const byStatus: Record<string, number> = {};
  const failures: Record<string, number> = {};
  const lat: number[] = [];
  for (const o of outcomes) {
    if (o.status !== undefined) {
      byStatus[o.status] = (byStatus[o.status] ?? 0) + 1;
      lat.push(o.latencyMs);
    } else {
      const why = o.error ?? 'ERROR';
      failures[why] = (failures[why] ?? 0) + 1;
    }
  }
  lat.sort((a, b) => a - b);
  return { count: outcomes.length, byStatus, failures, p50: percentile(lat, 50), p90: percentile(lat, 90), p99: percentile(lat, 99), max: lat.length ? lat[lat.length - 1]! : NaN };
}

export function formatMs(ms: number): string {
  if (Number.isNaN(ms)) return '-';
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)}s`;
  return `${ms >= 100 ? ms.toFixed(0) : ms.toFixed(1)}ms`;
}

export function formatCounts(s: Summary): string {
  const parts = Object.entries(s.byStatus)
    .sort(([a], [b]) => Number(a) - Number(b))
    .map(([k, v]) => `${k}:${v}`);
  for (const [k, v] of Object.entries(s.failures).sort()) parts.push(`${k}:${v}`);
  return parts.join(' ') || '-';
}

/** The live line: elapsed, sent, achieved rate, percentiles, answers by code. */
export function progressLine(p: { elapsedMs: number; durationMs: number; sent: number; planned: number; inFlight: number; summary: Summary; width?: number }): string {
  const frac = Math.min(1, Math.max(p.elapsedMs / p.durationMs, p.sent / p.planned));
  const width = p.width ?? 20;
  const filled = Math.round(frac * width);
  const bar = `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]`;
  const rate = p.elapsedMs > 0 ? (p.sent / p.elapsedMs) * 1000 : 0;
  return `${bar} ${String(Math.floor(frac * 100)).padStart(3)}% ${(p.elapsedMs / 1000).toFixed(0)}s/${(p.durationMs / 1000).toFixed(0)}s  sent ${p.sent}  ${rate.toFixed(1)} req/s  in flight ${p.inFlight}  p50 ${formatMs(p.summary.p50)} p99 ${formatMs(p.summary.p99)}  ${formatCounts(p.summary)}`;
}

/** The final table, one row per scenario and a total. */
export function finalTable(outcomes: Outcome[], scenarios: string[]): string {
  const rows: string[][] = [['scenario', 'requests', 'answers by code', 'p50', 'p90', 'p99', 'max']];
  const add = (name: string, s: Summary) => rows.push([name, String(s.count), formatCounts(s), formatMs(s.p50), formatMs(s.p90), formatMs(s.p99), formatMs(s.max)]);
  for (const name of scenarios) add(name, summarize(outcomes.filter((o) => o.scenario === name)));
  const total = summarize(outcomes);
  add('total', total);
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((c, i) => (i === 0 || i === 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  const out = [line(rows[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1, -1).map(line), widths.map((w) => '-'.repeat(w)).join('  '), line(rows[rows.length - 1]!)];
  return out.join('\n');
}
