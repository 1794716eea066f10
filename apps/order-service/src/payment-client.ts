import { errors } from './errors.js';

export interface PaymentRequest {
  orderId: string;
  productName: string;
  quantity: number;
  delay: number;
  fail: boolean;
}
export interface PaymentReceipt {
  paymentId: string;
}
export interface PaymentClient {
  authorize(req: PaymentRequest): Promise<PaymentReceipt>;
}

/**
 * Calls payment-service with fetch (traced by the undici instrumentation, which
 * also injects `traceparent`). After `timeoutMs` the request is aborted, so
 * payment-service sees the connection close and stops working on it. The
 * order id travels as `Idempotency-Key`: every attempt for one order sends the
 * same key, so payment-service charges it once however often it is retried.
 */
export function httpPaymentClient(baseUrl: string, timeoutMs: number): PaymentClient {
  return {
    async authorize(req) {
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), timeoutMs);
      let status: number;
      let body: { paymentId?: unknown; message?: unknown } | undefined;
      try {
        const res = await fetch(`${baseUrl}/payments`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'idempotency-key': req.orderId },
          body: JSON.stringify(req),
          signal: controller.signal,
        });
        status = res.status;
        body = (await res.json().catch(() => undefined)) as typeof body;
      } catch (err) {
        if (controller.signal.aborted) throw errors.paymentTimeout(timeoutMs);
        const cause = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).message;
        throw errors.paymentUnreachable(baseUrl, cause);
      } finally {
        clearTimeout(timer);
      }
      if (status !== 200 || typeof body?.paymentId !== 'string') {
        const why = typeof body?.message === 'string' ? body.message : 'no explanation';
        throw errors.paymentAnswered(status, why);
      }
      return { paymentId: body.paymentId };
    },
  };
}
