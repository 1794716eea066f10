import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';

/**
 * The trace SDK's specification says Export() is never called concurrently
 * for one exporter. The JS BatchSpanProcessor (2.12) breaks that after a
 * failed export: its `.finally()` starts the next batch, then its `.catch()`
 * clears the "exporting" flag that batch set, so every failure adds one more
 * export loop. Against a backend that accepts and never answers, exports,
 * their sockets and the 512-span batches they hold pile up (seen: 25
 * connections open at once from two services).
 *
 * This wrapper restores the contract: one export in flight per exporter; an
 * export that arrives meanwhile waits its turn, in order, up to `maxWaiting`
 * of them (more when draining for shutdown, so a final flush of a full queue
 * still goes out); beyond that, and for an export that has waited longer than
 * the export timeout, the batch is dropped and reported FAILED at once.
 */
export interface SerialExporterOptions {
  /** Exports that may wait behind the one in flight, in normal running. */
  maxWaiting?: number;
  /** While draining (shutdown or force-flush): a full queue's worth of batches. */
  maxWaitingWhileDraining?: number;
  /** An export that waited longer than this is dropped instead of sent (the OTLP export timeout). */
  staleAfterMs?: number;
  now?: () => number;
}

interface Waiting {
  spans: ReadableSpan[];
  done: (result: ExportResult) => void;
  since: number;
}

export class SerialExporter implements SpanExporter {
  private inFlight = false;
  private draining = false;
  private readonly waiting: Waiting[] = [];
  private readonly maxWaiting: number;
  private readonly maxWaitingWhileDraining: number;
  private readonly staleAfterMs: number;
  private readonly now: () => number;
  /** Batches dropped so far (never sent). */
  dropped = 0;

  constructor(
    private readonly inner: SpanExporter,
    options: SerialExporterOptions = {},
  ) {
    this.maxWaiting = options.maxWaiting ?? 2;
    this.maxWaitingWhileDraining = options.maxWaitingWhileDraining ?? 64;
    this.staleAfterMs = options.staleAfterMs ?? 10_000;
    this.now = options.now ?? Date.now;
  }

  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    if (!this.inFlight) {
      this.send(spans, done);
      return;
    }
    const limit = this.draining ? this.maxWaitingWhileDraining : this.maxWaiting;
    if (this.waiting.length >= limit) {
      this.drop(done, `${spans.length} spans dropped: an export is in flight and ${this.waiting.length} more are waiting`);
      return;
    }
    this.waiting.push({ spans, done, since: this.now() });
  }

  /** From now on, let a whole queue's worth of batches wait (the final flush). */
  drain(): void {
    this.draining = true;
  }

  async forceFlush(): Promise<void> {
    await this.inner.forceFlush?.();
  }

  async shutdown(): Promise<void> {
    this.draining = true;
    await this.inner.shutdown();
  }

  private send(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    this.inFlight = true;
    let finished = false;
    const finish = (result: ExportResult) => {
      if (finished) return;
      finished = true;
      this.inFlight = false;
      this.next();
      done(result);
    };
    try {
      this.inner.export(spans, finish);
    } catch (error) {
      finish({ code: ExportResultCode.FAILED, error: error instanceof Error ? error : new Error(String(error)) });
    }
  }

  private next(): void {
    while (this.waiting.length > 0) {
      const w = this.waiting.shift()!;
      if (this.now() - w.since > this.staleAfterMs) {
        this.drop(w.done, `${w.spans.length} spans dropped: waited more than ${this.staleAfterMs} ms behind an export in flight`);
        continue;
      }
      this.send(w.spans, w.done);
      return;
    }
  }

  private drop(done: (result: ExportResult) => void, message: string): void {
    this.dropped++;
    done({ code: ExportResultCode.FAILED, error: new Error(message) });
  }
}

// The bootstrap's serial exporters, so shutdownTelemetry can switch them to draining
// before the SDK's final flush. On globalThis: the app's and the bootstrap's copies share it.
const KEY = Symbol.for('tracelab.telemetry.serialExporters');
const g = globalThis as unknown as Record<symbol, Set<SerialExporter> | undefined>;

export function registerSerialExporter(exporter: SerialExporter): SerialExporter {
  (g[KEY] ??= new Set()).add(exporter);
  return exporter;
}

export function drainSerialExporters(): void {
  for (const e of g[KEY] ?? []) e.drain();
}
