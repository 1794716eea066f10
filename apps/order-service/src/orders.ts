import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { Attributes, SpanNames, withSpan } from '@tracelab/telemetry';
import { errors } from './errors.js';
import { FIND_PRODUCT, INSERT_ORDER, RELEASE_STOCK, RESERVE_STOCK } from './db/queries.js';
import type { OrderFaultHooks } from './faults.js';
import type { PaymentClient } from './payment-client.js';
import type { OrderInput } from './validation.js';

export interface ConfirmedOrder {
  status: 'CONFIRMED';
  orderId: string;
  productName: string;
  quantity: number;
  paymentId: string;
}

export interface OrderDeps {
  pool: pg.Pool;
  payments: PaymentClient;
  paymentTimeoutMs: number;
  log?: { error(obj: object, msg: string): void };
  /** The lab's fault switches (slow stock query, N+1); absent in unit tests. */
  faults?: OrderFaultHooks;
}

/**
 * The seed's order: reserve stock, pay, save. Stock is reserved first by one
 * conditional UPDATE (no read-then-write race) and given back by a
 * `release-stock` span when payment or saving fails, so a failed order leaves
 * stock as it found it and only a paid order becomes a CONFIRMED row.
 * `orderId` is also the payment's idempotency key: a retried payment call,
 * or the rerun of an order (same Idempotency-Key after a 5xx), never pays twice.
 */
export async function placeOrder(deps: OrderDeps, input: OrderInput, traceId: string | null, orderId: string = randomUUID()): Promise<ConfirmedOrder> {
  const { pool, payments } = deps;
  const base = {
    [Attributes.ORDER_ID]: orderId,
    [Attributes.PRODUCT_NAME]: input.productName,
    [Attributes.ORDER_QUANTITY]: input.quantity,
  };

  const productId = await withSpan(SpanNames.CHECK_STOCK, base, async (span) => {
    const slow = deps.faults?.inCheckStock(pool);
    if (slow) await slow;
    const reserved = await pool.query<{ id: number; stock: number }>(RESERVE_STOCK, [input.productName, input.quantity]);
    if (reserved.rowCount === 1) {
      span.setAttribute(Attributes.STOCK_REMAINING, reserved.rows[0].stock);
      return reserved.rows[0].id;
    }
    const found = await pool.query<{ id: number; stock: number }>(FIND_PRODUCT, [input.productName]);
    if (found.rowCount === 0) throw errors.unknownProduct(input.productName);
    span.setAttribute(Attributes.STOCK_REMAINING, found.rows[0].stock);
    throw errors.outOfStock(input.productName, input.quantity, found.rows[0].stock);
  });

  const release = () =>
    withSpan(SpanNames.RELEASE_STOCK, base, async (span) => {
      const r = await pool.query<{ stock: number }>(RELEASE_STOCK, [productId, input.quantity]);
      if (r.rowCount === 1) span.setAttribute(Attributes.STOCK_REMAINING, r.rows[0].stock);
    }).catch((err: unknown) => {
      // The original failure is what the caller must hear about; this one goes to the log and the trace.
      deps.log?.error({ err, orderId }, 'release-stock failed; stock stays reserved');
    });

  let paymentId: string;
  try {
    paymentId = await withSpan(
      SpanNames.CALL_PAYMENT_API,
      {
        ...base,
        [Attributes.PAYMENT_DELAY_MS]: input.delay,
        [Attributes.PAYMENT_TIMEOUT_MS]: deps.paymentTimeoutMs,
        [Attributes.IDEMPOTENCY_KEY]: orderId,
      },
      async (span) => {
        const receipt = await payments.authorize({
          orderId,
          productName: input.productName,
          quantity: input.quantity,
          delay: input.delay,
          fail: input.fail,
        });
        span.setAttribute(Attributes.PAYMENT_ID, receipt.paymentId);
        return receipt.paymentId;
      },
    );
  } catch (err) {
    await release();
    throw err;
  }

  try {
    await withSpan(SpanNames.SAVE_ORDER, { ...base, [Attributes.PAYMENT_ID]: paymentId }, async () => {
      await pool.query(INSERT_ORDER, [orderId, productId, input.quantity, paymentId, traceId]);
      const extra = deps.faults?.inSaveOrder(pool, productId);
      if (extra) await extra;
    });
  } catch (err) {
    await release();
    throw err;
  }

  return { status: 'CONFIRMED', orderId, productName: input.productName, quantity: input.quantity, paymentId };
}
