import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { Attributes, EventNames, PaymentOutcomes, SpanNames, withSpan } from '@tracelab/telemetry';
import { errors } from './errors.js';
import type { PaymentStats } from './stats.js';
import type { PaymentInput } from './validation.js';

/**
 * The simulated authorization: waits `delay` ms, then succeeds or (fail=true)
 * fails. If the caller's connection closes first, the wait is cancelled at
 * once so no work continues for an answer nobody will read. With an
 * Idempotency-Key the span carries it (`tracelab.idempotency.replayed=false`: this is the real work).
 */
export function processPayment(input: PaymentInput, res: ServerResponse, stats: PaymentStats, idempotencyKey?: string): Promise<{ paymentId: string }> {
  const attributes = {
    [Attributes.ORDER_ID]: input.orderId,
    [Attributes.PAYMENT_DELAY_MS]: input.delay,
    ...(idempotencyKey === undefined ? {} : { [Attributes.IDEMPOTENCY_KEY]: idempotencyKey, [Attributes.IDEMPOTENCY_REPLAYED]: false }),
  };
  return withSpan(SpanNames.PROCESS_PAYMENT, attributes, (span) => {
    stats.inFlight++;
    const started = Date.now();
    return new Promise<{ paymentId: string }>((resolve, reject) => {
      const onClose = () => {
        if (res.writableEnded) return;
        clearTimeout(timer);
        stats.aborted++;
        span.setAttribute(Attributes.PAYMENT_OUTCOME, PaymentOutcomes.ABORTED);
        span.addEvent(EventNames.PAYMENT_ABORTED, { [Attributes.PAYMENT_DELAY_MS]: input.delay });
        reject(errors.aborted(Date.now() - started));
      };
      const timer = setTimeout(() => {
        res.off('close', onClose);
        if (input.fail) {
          stats.failed++;
          span.setAttribute(Attributes.PAYMENT_OUTCOME, PaymentOutcomes.DECLINED);
          reject(errors.simulatedFailure());
          return;
        }
        stats.authorized++;
        const paymentId = randomUUID();
        span.setAttribute(Attributes.PAYMENT_OUTCOME, PaymentOutcomes.AUTHORIZED);
        span.setAttribute(Attributes.PAYMENT_ID, paymentId);
        resolve({ paymentId });
      }, input.delay);
      res.once('close', onClose);
    }).finally(() => {
      stats.inFlight--;
    });
  });
}
