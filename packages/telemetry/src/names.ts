/**
 * The one registry of span and attribute names that tracelab's services emit
 * by hand. Auto-instrumented spans (HTTP, Fastify, pg, undici) are named by
 * their instrumentations; see the package README for the full table.
 */
export const SpanNames = {
  /** order-service: reserve stock with one conditional UPDATE. */
  CHECK_STOCK: 'check-stock',
  /** order-service: ask payment-service to authorize the order. */
  CALL_PAYMENT_API: 'call-payment-api',
  /** order-service: persist the CONFIRMED order row. */
  SAVE_ORDER: 'save-order',
  /** order-service: compensation, gives reserved stock back after a failed payment. */
  RELEASE_STOCK: 'release-stock',
  /** payment-service: the simulated authorization (delay, optional failure). */
  PROCESS_PAYMENT: 'process-payment',
} as const;
export type SpanName = (typeof SpanNames)[keyof typeof SpanNames];

/** Custom attributes live under the `tracelab.` namespace so they never clash with semantic conventions. */
export const Attributes = {
  ORDER_ID: 'tracelab.order.id',
  PRODUCT_NAME: 'tracelab.product.name',
  ORDER_QUANTITY: 'tracelab.order.quantity',
  STOCK_REMAINING: 'tracelab.stock.remaining',
  PAYMENT_DELAY_MS: 'tracelab.payment.delay_ms',
  PAYMENT_TIMEOUT_MS: 'tracelab.payment.timeout_ms',
  PAYMENT_ID: 'tracelab.payment.id',
  PAYMENT_OUTCOME: 'tracelab.payment.outcome',
  /** The Idempotency-Key of the request (POST /orders, POST /payments) or of the payment call (call-payment-api). */
  IDEMPOTENCY_KEY: 'tracelab.idempotency.key',
  /** true: the answer was replayed from the first request with this key, nothing ran again; false: this request did the work. */
  IDEMPOTENCY_REPLAYED: 'tracelab.idempotency.replayed',
  /** On the replay event: the trace of the request that really did the work. */
  IDEMPOTENCY_ORIGINAL_TRACE_ID: 'tracelab.idempotency.original_trace_id',
  /** Semantic-convention attribute: the class of error on a failed span. */
  ERROR_TYPE: 'error.type',
} as const;
export type AttributeName = (typeof Attributes)[keyof typeof Attributes];

/** Values of `tracelab.payment.outcome`. */
export const PaymentOutcomes = {
  AUTHORIZED: 'authorized',
  DECLINED: 'declined',
  ABORTED: 'aborted',
} as const;

/** Events recorded on spans (besides the standard `exception` event). */
export const EventNames = {
  PAYMENT_ABORTED: 'payment.aborted',
  /** On a SERVER span whose answer was replayed for a repeated Idempotency-Key. */
  IDEMPOTENCY_REPLAY: 'tracelab.idempotency.replay',
} as const;
