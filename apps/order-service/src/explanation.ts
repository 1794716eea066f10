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

const SELF = 'order-service';
const PAYMENT = 'payment-service';

/** Errors of the request itself (its input, its key): their message is the whole story, no explanation. */
const REQUEST_ERRORS = new Set(['INVALID_REQUEST', 'NOT_FOUND', 'PAYLOAD_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE', 'IDEMPOTENCY_KEY_IN_USE', 'IDEMPOTENCY_KEY_REUSED']);

/** What order-service knows about an error it answers with, as a finding. Pure. */
export function findingOf(body: { error: string; message: string }): Finding | null {
  const { error, message } = body;
  if (REQUEST_ERRORS.has(error)) return null;
  switch (error) {
    case 'OUT_OF_STOCK':
    case 'UNKNOWN_PRODUCT':
      return { kind: 'error', at: { service: SELF, name: SpanNames.CHECK_STOCK }, errorType: error, message };
    case 'PAYMENT_TIMEOUT': {
      const ms = Number(/within (\d+) ms/.exec(message)?.[1]);
      const waited = Number.isFinite(ms) ? { waitedMs: ms, timeoutMs: ms } : { waitedMs: 0 };
      return { kind: 'timeout', gaveUp: { service: SELF, name: SpanNames.CALL_PAYMENT_API }, ...waited, callee: { service: PAYMENT } };
    }
    case 'PAYMENT_FAILED': {
      // payment-client.ts words these two cases: "unreachable at <url> (<code>)" and "answered <status>: <why>".
      const unreachable = /unreachable at \w+:\/\/([^/\s]+)\S* \(([^)]+)\)/.exec(message);
      if (unreachable) return { kind: 'unreachable', at: { service: SELF }, peer: unreachable[1]!, code: unreachable[2]! };
      const answered = /answered (\d{3}): (.*)$/.exec(message);
      if (answered) return { kind: 'error', at: { service: PAYMENT }, httpStatus: Number(answered[1]), message: answered[2]! };
      return { kind: 'error', at: { service: PAYMENT }, errorType: error, message };
    }
    default:
      return { kind: 'error', at: { service: SELF }, errorType: error, message };
  }
}

/** The sentence for an error answer, undefined for errors of the request itself. */
export function explanationOf(body: { error: string; message: string }): string | undefined {
  const f = findingOf(body);
  return f ? renderSummary(f) : undefined;
}
