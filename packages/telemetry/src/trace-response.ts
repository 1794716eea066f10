import { isSpanContextValid, type SpanContext } from '@opentelemetry/api';

/**
 * W3C Trace Context Level 2 `traceresponse` value for a span:
 * `00-<trace-id>-<span-id>-<flags>`, or undefined when there is no real span
 * (SDK disabled), so callers omit the header rather than send zeros.
 */
export function formatTraceResponse(ctx: SpanContext | undefined): string | undefined {
  if (!ctx || !isSpanContextValid(ctx)) return undefined;
  const flags = (ctx.traceFlags & 0xff).toString(16).padStart(2, '0');
  return `00-${ctx.traceId}-${ctx.spanId}-${flags}`;
}

/** The trace's page in tracehub's UI. */
export function traceUrl(traceId: string, uiBase = process.env.TRACEHUB_UI_URL || 'http://127.0.0.1:3000'): string {
  return `${uiBase.replace(/\/+$/, '')}/trace/${traceId}`;
}
