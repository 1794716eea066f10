/**
 * The one-sentence `explanation` of a failed order, next to `traceUrl`.
 * order-service cannot read its own trace while answering, so the sentence is
 * built from the error it raised, by the same renderer tracehub's explain
 * engine uses (@tracelab/trace-explain): both name the span and say why in
 * the same words. What only the trace knows (how long payment-service ran,
 * which attempt was last) is left to the trace's own explanation.
 */
import { SpanNames } from '@tracelab/telemetry';
import { type Finding, renderSummary } from '@tracelab/trace-explain';
import type { ErrorCode } from './errors.js';

const SELF = 'order-service';
const PAYMENT = 'payment-service';

/** Errors of the request itself (its input, its key): their message is the whole story, no explanation. */
const REQUEST_ERRORS: ReadonlySet<string> = new Set<ErrorCode>(['INVALID_REQUEST', 'NOT_FOUND', 'PAYLOAD_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE', 'IDEMPOTENCY_KEY_IN_USE', 'IDEMPOTENCY_KEY_REUSED']);

/** Findings for the errors whose facts the code alone does not carry; errors.ts attaches them where it raises them. */
export const findings = {
  timeout: (ms: number): Finding => ({ kind: 'timeout', gaveUp: { service: SELF, name: SpanNames.CALL_PAYMENT_API }, waitedMs: ms, timeoutMs: ms, callee: { service: PAYMENT } }),
  unreachable: (baseUrl: string, code: string): Finding => ({ kind: 'unreachable', at: { service: SELF }, peer: new URL(baseUrl).host, code }),
  answered: (status: number, message: string): Finding => ({ kind: 'error', at: { service: PAYMENT }, httpStatus: status, message }),
};

/** What order-service knows about an error it answers with, from its code alone, as a finding. Pure. */
function findingOf(body: { error: string; message: string }): Finding | null {
  const { error, message } = body;
  if (REQUEST_ERRORS.has(error)) return null;
  switch (error) {
    case 'OUT_OF_STOCK':
    case 'UNKNOWN_PRODUCT':
      return { kind: 'error', at: { service: SELF, name: SpanNames.CHECK_STOCK }, errorType: error, message };
    default:
      return { kind: 'error', at: { service: SELF }, errorType: error, message };
  }
}

/** The sentence for an error answer (from the error's own finding when it has one), undefined for errors of the request itself. */
export function explanationOf(body: { error: string; message: string }, finding?: Finding): string | undefined {
  const f = finding ?? findingOf(body);
  return f ? renderSummary(f) : undefined;
}
