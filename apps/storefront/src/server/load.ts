// The page's Load button: one run of the load generator at a time, inside
// the storefront server, against order-service. Small bounds: the page is a
// demo, `npm run load` is the tool.
import { buildReport, finalTable, parseLoadArgs, progressLine, runLoad, summarize, type LoadOptions, type LoadReport, type Outcome } from '@tracelab/load';

export const PAGE_LOAD_LIMITS = { rate: 200, durationS: 300 };

export interface LoadStatus {
  running: boolean;
  /** The live line while running, then the last one. */
  progress: string;
  /** The final table once finished. */
  table?: string;
  report?: Pick<LoadReport, 'sent' | 'achievedRate' | 'connectionFailures' | 'total'>;
  error?: string;
}

export class PageLoad {
  private status: LoadStatus = { running: false, progress: 'No load run yet.' };
  private stop?: AbortController;

  constructor(private readonly orderUrl: string) {}

  get(): LoadStatus {
    return this.status;
  }

  /** Validates with the CLI's own parser, so the messages name the same flags' meaning. */
  start(body: unknown): { ok: true } | { ok: false; status: number; message: string } {
    if (this.status.running) return { ok: false, status: 409, message: 'A load run is already going; stop it first.' };
    const b = (typeof body === 'object' && body !== null ? body : {}) as { rate?: unknown; durationS?: unknown; mix?: unknown };
    const rate = Number(b.rate ?? 20);
    const durationS = Number(b.durationS ?? 30);
    if (!(rate > 0 && rate <= PAGE_LOAD_LIMITS.rate)) return { ok: false, status: 400, message: `rate must be above 0 and at most ${PAGE_LOAD_LIMITS.rate} requests per second from the page (npm run load goes higher).` };
    if (!(durationS > 0 && durationS <= PAGE_LOAD_LIMITS.durationS)) return { ok: false, status: 400, message: `durationS must be above 0 and at most ${PAGE_LOAD_LIMITS.durationS} seconds.` };
    let opts: LoadOptions;
    try {
      opts = parseLoadArgs(['--rate', String(rate), '--duration', `${durationS}s`, '--mix', String(b.mix ?? 'normal:80,out-of-stock:10,payment-timeout:10'), '--url', this.orderUrl, '--max-in-flight', '500', '--no-progress'], {});
    } catch (err) {
      return { ok: false, status: 400, message: (err as Error).message.replace(/^--/, '') };
    }
    const planned = Math.ceil((opts.rate * opts.durationMs) / 1000);
    this.stop = new AbortController();
    this.status = { running: true, progress: `Starting ${opts.rate} req/s for ${durationS} s…` };
    const line = (s: { elapsedMs: number; sent: number; inFlight: number; outcomes: Outcome[] }) =>
      progressLine({ ...s, durationMs: opts.durationMs, planned, summary: summarize(s.outcomes), width: 20 });
    void runLoad(opts, { signal: this.stop.signal, onTick: (s) => (this.status = { running: true, progress: line(s) }) })
      .then((result) => {
        const report = buildReport(opts, result);
        this.status = {
          running: false,
          progress: `Done: ${report.sent} requests at ${report.achievedRate.toFixed(1)} req/s${result.stoppedEarly ? ` (stopped early: ${result.stoppedEarly})` : ''}`,
          table: finalTable(result.outcomes, opts.mix.map((m) => m.name)),
          report: { sent: report.sent, achievedRate: report.achievedRate, connectionFailures: report.connectionFailures, total: report.total },
        };
      })
      .catch((err: unknown) => {
        this.status = { running: false, progress: 'Failed.', error: (err as Error).message };
      });
    return { ok: true };
  }

  abort(): void {
    this.stop?.abort();
  }
}
