import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { BasicTracerProvider, BatchSpanProcessor, type ReadableSpan, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { describe, expect, it } from 'vitest';
import { exportingSpanProcessors, exportTimeoutMs } from '../src/exporting.js';
import { SerialExporter } from '../src/serial-exporter.js';

/** An exporter whose exports finish only when the test says so; it counts how many run at once. */
class HeldExporter implements SpanExporter {
  running = 0;
  maxRunning = 0;
  calls = 0;
  readonly pending: { spans: ReadableSpan[]; done: (r: ExportResult) => void }[] = [];
  export(spans: ReadableSpan[], done: (r: ExportResult) => void): void {
    this.calls++;
    this.running++;
    this.maxRunning = Math.max(this.maxRunning, this.running);
    this.pending.push({
      spans,
      done: (r) => {
        this.running--;
        done(r);
      },
    });
  }
  finish(code: ExportResultCode): number {
    const p = this.pending.shift();
    p?.done({ code });
    return p?.spans.length ?? 0;
  }
  async shutdown(): Promise<void> {}
}

const spans = (n: number) => Array.from({ length: n }, () => ({}) as ReadableSpan);
const results = () => {
  const got: ExportResultCode[] = [];
  return { got, done: (r: ExportResult) => got.push(r.code) };
};

describe('SerialExporter', () => {
  it('runs one export at a time, the waiting ones in order', () => {
    const inner = new HeldExporter();
    const serial = new SerialExporter(inner, { maxWaiting: 2 });
    const r = results();
    serial.export(spans(1), r.done);
    serial.export(spans(2), r.done);
    serial.export(spans(3), r.done);
    expect(inner.calls).toBe(1);
    expect(inner.finish(ExportResultCode.FAILED)).toBe(1);
    expect(inner.calls).toBe(2);
    expect(inner.finish(ExportResultCode.SUCCESS)).toBe(2);
    expect(inner.finish(ExportResultCode.SUCCESS)).toBe(3);
    expect(r.got).toEqual([ExportResultCode.FAILED, ExportResultCode.SUCCESS, ExportResultCode.SUCCESS]);
    expect(inner.maxRunning).toBe(1);
  });

  it('drops a batch at once when too many wait, and says why', () => {
    const inner = new HeldExporter();
    const serial = new SerialExporter(inner, { maxWaiting: 1 });
    const errors: string[] = [];
    const done = (r: ExportResult) => errors.push(r.error?.message ?? String(r.code));
    serial.export(spans(1), done);
    serial.export(spans(1), done);
    serial.export(spans(7), done);
    expect(errors).toEqual(['7 spans dropped: an export is in flight and 1 more are waiting']);
    expect(serial.dropped).toBe(1);
  });

  it('never sends a batch that waited longer than the export timeout', () => {
    let now = 0;
    const inner = new HeldExporter();
    const serial = new SerialExporter(inner, { staleAfterMs: 10_000, now: () => now });
    const r = results();
    serial.export(spans(1), r.done);
    serial.export(spans(2), r.done);
    now = 10_001;
    inner.finish(ExportResultCode.FAILED);
    expect(inner.calls).toBe(1);
    expect(r.got).toEqual([ExportResultCode.FAILED, ExportResultCode.FAILED]);
  });

  it('lets a whole queue wait while draining for shutdown', () => {
    const inner = new HeldExporter();
    const serial = new SerialExporter(inner, { maxWaiting: 1, maxWaitingWhileDraining: 16 });
    serial.drain();
    const r = results();
    for (let i = 0; i < 17; i++) serial.export(spans(1), r.done);
    for (let i = 0; i < 17; i++) inner.finish(ExportResultCode.SUCCESS);
    expect(r.got.filter((c) => c === ExportResultCode.SUCCESS)).toHaveLength(17);
    expect(inner.maxRunning).toBe(1);
  });

  it('turns an exporter that throws into a failed export and goes on', () => {
    const throwing: SpanExporter = {
      export: () => {
        throw new Error('boom');
      },
      shutdown: async () => {},
    };
    const r = results();
    new SerialExporter(throwing).export(spans(1), r.done);
    expect(r.got).toEqual([ExportResultCode.FAILED]);
  });

  it('keeps the real BatchSpanProcessor to one export in flight while every export fails', async () => {
    const inner = new HeldExporter();
    const provider = new BasicTracerProvider({
      spanProcessors: [new BatchSpanProcessor(new SerialExporter(inner), { maxExportBatchSize: 10, maxQueueSize: 100, scheduledDelayMillis: 1 })],
    });
    const tracer = provider.getTracer('t');
    // Each round: more spans than a batch, then the export in flight fails (the processor's
    // failure path is where it starts a second export loop).
    for (let round = 0; round < 20; round++) {
      for (let i = 0; i < 25; i++) tracer.startSpan(`s${i}`).end();
      await new Promise((r) => setTimeout(r, 5));
      inner.finish(ExportResultCode.FAILED);
      await new Promise((r) => setTimeout(r, 5));
    }
    expect(inner.calls).toBeGreaterThan(10);
    expect(inner.maxRunning).toBe(1);
    while (inner.pending.length) inner.finish(ExportResultCode.SUCCESS);
    await provider.shutdown();
  });
});

describe('exportingSpanProcessors', () => {
  it('builds one batch processor for otlp (the default), none for "none"', () => {
    expect(exportingSpanProcessors({})).toHaveLength(1);
    expect(exportingSpanProcessors({ OTEL_TRACES_EXPORTER: 'otlp' })[0]).toBeInstanceOf(BatchSpanProcessor);
    expect(exportingSpanProcessors({ OTEL_TRACES_EXPORTER: 'none' })).toEqual([]);
    expect(exportingSpanProcessors({ OTEL_TRACES_EXPORTER: 'otlp,console' })).toHaveLength(2);
  });
  it('takes the export timeout from the OTLP variables', () => {
    expect(exportTimeoutMs({})).toBe(10_000);
    expect(exportTimeoutMs({ OTEL_EXPORTER_OTLP_TIMEOUT: '3000' })).toBe(3000);
    expect(exportTimeoutMs({ OTEL_EXPORTER_OTLP_TIMEOUT: '3000', OTEL_EXPORTER_OTLP_TRACES_TIMEOUT: '2000' })).toBe(2000);
    expect(exportTimeoutMs({ OTEL_EXPORTER_OTLP_TIMEOUT: 'soon' })).toBe(10_000);
  });
});
