/**
 * order-service's fault switches (the lab): what each one does to an order.
 * The state lives in @tracelab/lab-faults (whose span processor tags
 * every span with `lab.faults`); this file is the misbehaviour itself. All switches off =
 * no extra work at all.
 */
import { createServer } from 'node:net';
import { trace } from '@opentelemetry/api';
import type pg from 'pg';
import { getFaults } from '@tracelab/lab-faults';
import { ServiceError } from './errors.js';
import { httpPaymentClient, type PaymentClient, type PaymentReceipt, type PaymentRequest } from './payment-client.js';

export interface OrderFaultHooks {
  /** Inside check-stock, before the reservation; undefined (nothing to wait for) while the switch is off. */
  inCheckStock(pool: pg.Pool): Promise<void> | undefined;
  /** Inside save-order, after the insert; undefined while the switch is off. */
  inSaveOrder(pool: pg.Pool, productId: number): Promise<void> | undefined;
}

// With the switches off the hooks return undefined rather than a resolved promise: no await per order.
export const orderFaultHooks: OrderFaultHooks = {
  inCheckStock(pool) {
    const ms = getFaults()['stock.slowQuery'];
    return ms > 0 ? pool.query('SELECT pg_sleep($1)', [ms / 1000]).then(() => undefined) : undefined;
  },
  inSaveOrder(pool, productId) {
    // The N+1 pattern: one query per "line" instead of one query for all.
    const n = getFaults()['order.nPlusOne'];
    if (n <= 0) return undefined;
    return (async () => {
      for (let i = 0; i < n; i++) await pool.query('SELECT id, name, stock FROM products WHERE id = $1', [productId]);
    })();
  },
};

/** A local port nothing listens on: asked of the OS, then released, so connecting is refused. */
async function deadPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Wraps the payment client with two switches: `payment.unreachable` sends the
 * call to a port where nothing listens (a real connection refusal, 502), and
 * `payment.retries` retries a PAYMENT_FAILED call with exponential backoff,
 * each retry a `lab.retry` event on call-payment-api and a new HTTP client
 * span. Timeouts are not retried: the caller has already waited its budget.
 */
export function faultyPaymentClient(inner: PaymentClient, timeoutMs: number): PaymentClient {
  let unreachable: Promise<PaymentClient> | undefined;
  const unreachableClient = () => (unreachable ??= deadPort().then((port) => httpPaymentClient(`http://127.0.0.1:${port}`, timeoutMs)));
  const withFaults = async (req: PaymentRequest): Promise<PaymentReceipt> => {
    for (let attempt = 0; ; attempt++) {
      const f = getFaults();
      const client = f['payment.unreachable'] ? await unreachableClient() : inner;
      try {
        return await client.authorize(req);
      } catch (err) {
        const retryable = err instanceof ServiceError && err.code === 'PAYMENT_FAILED';
        if (!retryable || attempt >= f['payment.retries']) throw err;
        const backoff = f['payment.retryBackoff'] * 2 ** attempt;
        trace.getActiveSpan()?.addEvent('lab.retry', { 'lab.retry.attempt': attempt + 1, 'lab.retry.backoff_ms': backoff, 'lab.retry.reason': err.message });
        await sleep(backoff);
      }
    }
  };
  return {
    // Switches off: the inner client's promise itself, no wrapper around it.
    authorize(req) {
      const f = getFaults();
      return f['payment.unreachable'] || f['payment.retries'] > 0 ? withFaults(req) : inner.authorize(req);
    },
  };
}
