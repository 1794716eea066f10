/**
 * The ingest pipeline: receivers submit decoded batches; one writer loop
 * groups whatever is waiting into a single store transaction (group commit)
 * and acknowledges each batch only after that commit. A bounded queue
 * (by spans + logs waiting) turns overload into a retryable refusal instead
 * of growing memory.
 */
import type { LogRecordData, SpanRecord } from '../model.js';

export class QueueFullError extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super('ingest queue is full; retry later');
  }
}

export class ShuttingDownError extends Error {
  constructor() {
    super('tracehub is shutting down');
  }
}

export interface BatchWriter {
  write(spans: SpanRecord[], logs: LogRecordData[]): Promise<void>;
}

interface Pending {
  spans: SpanRecord[];
  logs: LogRecordData[];
  resolve: () => void;
  reject: (err: unknown) => void;
}

export interface PipelineOptions {
  /** Most records (spans + logs) waiting before submissions are refused. */
  maxQueuedRecords: number;
  /** Most records per store transaction. */
  maxBatchRecords: number;
  /** Called after each commit with the spans it stored. */
  onCommitted?: (spans: SpanRecord[], logs: LogRecordData[]) => void;
  /** Maintenance (checkpoint, retention) runs between batches, never alongside one. */
  maintenance?: () => Promise<void>;
  /** Told about failed commits and maintenance (the clients get 503 and retry). */
  onError?: (err: unknown, what: 'commit' | 'maintenance') => void;
}

export class IngestPipeline {
  private queue: Pending[] = [];
  private queued = 0;
  private running = false;
  private closing = false;
  private idle: Promise<void> = Promise.resolve();
  private maintenanceDue = false;
  /** Moving average of records per submission (what admit() expects the next one to hold). */
  private typicalSubmission = 0;
  readonly stats = { acceptedSpans: 0, acceptedLogs: 0, refusedBatches: 0, commits: 0, failedCommits: 0 };

  constructor(
    private readonly writer: BatchWriter,
    private readonly opts: PipelineOptions,
  ) {}

  get queuedRecords(): number {
    return this.queued;
  }

  /**
   * Throws what submit() would reject a submission of the usual size with now.
   * Receivers ask before they decompress and decode a body, so an overloaded hub
   * refuses for the cost of reading the request, not of decoding it (under 10x
   * overload the decode of refused exports took the CPU that stored ones needed).
   */
  admit(): void {
    if (this.closing) throw new ShuttingDownError();
    if (this.queued > 0 && this.queued + Math.max(1, this.typicalSubmission) > this.opts.maxQueuedRecords) {
      this.stats.refusedBatches++;
      throw new QueueFullError(1);
    }
  }

  /** Resolves when the batch is durably stored; rejects with QueueFullError when overloaded. */
  submit(spans: SpanRecord[], logs: LogRecordData[] = []): Promise<void> {
    if (this.closing) return Promise.reject(new ShuttingDownError());
    const n = spans.length + logs.length;
    if (n === 0) return Promise.resolve();
    this.typicalSubmission = this.typicalSubmission === 0 ? n : 0.9 * this.typicalSubmission + 0.1 * n;
    if (this.queued > 0 && this.queued + n > this.opts.maxQueuedRecords) {
      this.stats.refusedBatches++;
      return Promise.reject(new QueueFullError(1));
    }
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ spans, logs, resolve, reject });
      this.queued += n;
      this.kick();
    });
  }

  /** Asks the loop to run maintenance at the next gap between batches. */
  requestMaintenance(): void {
    this.maintenanceDue = true;
    this.kick();
  }

  private kick(): void {
    if (this.running) return;
    this.running = true;
    this.idle = this.loop().finally(() => {
      this.running = false;
      if (this.queue.length > 0 || this.maintenanceDue) this.kick();
    });
  }

  private async loop(): Promise<void> {
    for (;;) {
      if (this.maintenanceDue && this.opts.maintenance) {
        this.maintenanceDue = false;
        await this.opts.maintenance().catch((err) => this.opts.onError?.(err, 'maintenance'));
      }
      if (this.queue.length === 0) return;
      const group: Pending[] = [];
      let records = 0;
      while (this.queue.length > 0) {
        const next = this.queue[0]!;
        const n = next.spans.length + next.logs.length;
        if (group.length > 0 && records + n > this.opts.maxBatchRecords) break;
        group.push(this.queue.shift()!);
        records += n;
      }
      const spans = group.length === 1 ? group[0]!.spans : group.flatMap((p) => p.spans);
      const logs = group.length === 1 ? group[0]!.logs : group.flatMap((p) => p.logs);
      try {
        await this.writer.write(spans, logs);
        this.stats.commits++;
        this.stats.acceptedSpans += spans.length;
        this.stats.acceptedLogs += logs.length;
        this.queued -= records;
        for (const p of group) p.resolve();
        this.opts.onCommitted?.(spans, logs);
      } catch (err) {
        this.stats.failedCommits++;
        this.opts.onError?.(err, 'commit');
        this.queued -= records;
        for (const p of group) p.reject(err);
      }
    }
  }

  /** Stops taking batches and waits for the queued ones to be stored. */
  async drain(): Promise<void> {
    this.closing = true;
    while (this.running || this.queue.length > 0) await this.idle;
  }
}
