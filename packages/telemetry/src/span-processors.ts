import type { Context } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace-base';

/**
 * Span processors a service adds after the preloaded SDK has started (the
 * SDK's provider takes its processors only at construction). The bootstrap
 * puts one of these before the exporting processors; `addSpanProcessor`
 * appends to it. Kept on globalThis so the app's copy of this module and the
 * bootstrap's copy share it.
 */
export class AddedSpanProcessors implements SpanProcessor {
  private readonly processors: SpanProcessor[] = [];

  add(processor: SpanProcessor): void {
    this.processors.push(processor);
  }
  onStart(span: Span, parentContext: Context): void {
    for (const p of this.processors) p.onStart(span, parentContext);
  }
  onEnd(span: ReadableSpan): void {
    for (const p of this.processors) p.onEnd(span);
  }
  async forceFlush(): Promise<void> {
    await Promise.all(this.processors.map((p) => p.forceFlush()));
  }
  async shutdown(): Promise<void> {
    await Promise.all(this.processors.map((p) => p.shutdown()));
  }
}

const KEY = Symbol.for('tracelab.telemetry.addedSpanProcessors');
const g = globalThis as unknown as Record<symbol, AddedSpanProcessors | undefined>;

/** The bootstrap's slot for added processors (created on first use). */
export function addedSpanProcessors(): AddedSpanProcessors {
  return (g[KEY] ??= new AddedSpanProcessors());
}

/**
 * Adds a span processor to the running SDK, e.g. one that tags spans with
 * the service's own attributes. It sees every span started from now on, before
 * the exporters do. A no-op in effect when tracing is off (the SDK never reads it).
 */
export function addSpanProcessor(processor: SpanProcessor): void {
  addedSpanProcessors().add(processor);
}
