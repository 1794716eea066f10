/**
 * payment-service's fault switches (the lab): extra latency with jitter and
 * an error rate, applied to each payment before it is processed. The state
 * lives in @tracelab/lab-faults, whose span processor tags every span with
 * `lab.faults`.
 */
import { getFaults } from '@tracelab/lab-faults';
import type { PaymentInput } from './validation.js';

/** The payment as the switches make it: longer, and sometimes failing. `random` is injectable for tests. */
export function applyPaymentFaults(input: PaymentInput, random: () => number = Math.random): PaymentInput {
  const f = getFaults();
  const extra = f['payment.latency'] + (f['payment.jitter'] > 0 ? Math.round(random() * f['payment.jitter']) : 0);
  const fail = input.fail || (f['payment.errorRate'] > 0 && random() * 100 < f['payment.errorRate']);
  if (extra === 0 && fail === input.fail) return input;
  return { ...input, delay: input.delay + extra, fail };
}
