import type { Context } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { activeFaults, LAB_FAULTS_ATTRIBUTE } from './faults.js';

/**
 * Tags every span started while a fault switch is on with `lab.faults`, so a
 * trace says which experiment it belongs to. Spans started with all switches
 * off carry nothing.
 */
export class LabFaultsSpanProcessor implements SpanProcessor {
  onStart(span: Span, _parentContext: Context): void {
    const active = activeFaults();
    if (active) span.setAttribute(LAB_FAULTS_ATTRIBUTE, active);
  }
  onEnd(_span: ReadableSpan): void {}
  forceFlush(): Promise<void> {
    return Promise.resolve();
  }
  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}
