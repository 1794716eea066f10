/** Every SQL statement order-service runs; values always travel as parameters, never in the text. */

/** Reserve: succeeds only while enough stock is left, so concurrent orders can never oversell. */
export const RESERVE_STOCK = `
UPDATE products SET stock = stock - $2
WHERE name = $1 AND stock >= $2
RETURNING id, stock`;

/** Tells an unknown product from a sold-out one after a reservation failed. */
export const FIND_PRODUCT = 'SELECT id, stock FROM products WHERE name = $1';

/** Compensation after a failed payment. */
export const RELEASE_STOCK = 'UPDATE products SET stock = stock + $2 WHERE id = $1 RETURNING stock';

export const INSERT_ORDER = `
INSERT INTO orders (id, product_id, quantity, status, payment_id, trace_id)
VALUES ($1, $2, $3, 'CONFIRMED', $4, $5)`;

export const PING = 'SELECT 1';

/**
 * Claims an Idempotency-Key ($1) for a request ($2 = its fingerprint): inserts
 * it, or takes over a row that has expired, or one of the same request that a
 * 5xx freed (retryable) or whose process died (lease over). Returns the order
 * id to use when claimed; no row when another request holds or answered it.
 * $3 new order id, $4 lifetime in seconds, $5 in-flight lease in seconds.
 */
export const CLAIM_IDEMPOTENCY_KEY = `
INSERT INTO idempotency_keys AS k (key, request_hash, order_id, state, locked_until, expires_at)
VALUES ($1, $2, $3, 'in_flight', now() + $5::float8 * interval '1 second', now() + $4::float8 * interval '1 second')
ON CONFLICT (key) DO UPDATE SET
  state = 'in_flight',
  locked_until = EXCLUDED.locked_until,
  response_status = NULL,
  response_body = NULL,
  trace_id = NULL,
  request_hash = EXCLUDED.request_hash,
  order_id = CASE WHEN k.expires_at <= now() THEN EXCLUDED.order_id ELSE k.order_id END,
  created_at = CASE WHEN k.expires_at <= now() THEN now() ELSE k.created_at END,
  expires_at = CASE WHEN k.expires_at <= now() THEN EXCLUDED.expires_at ELSE k.expires_at END
WHERE k.expires_at <= now()
   OR (k.request_hash = EXCLUDED.request_hash
       AND (k.state = 'retryable' OR (k.state = 'in_flight' AND k.locked_until <= now())))
RETURNING order_id`;

/** The key's row when a claim found it taken; the stored answer as the exact JSON text that was sent. */
export const FIND_IDEMPOTENCY_KEY = `
SELECT state, request_hash, response_status, response_body::text AS response_body, trace_id
FROM idempotency_keys WHERE key = $1 AND expires_at > now()`;

/** The answer of a claimed key's order ($3 status, $4 JSON text, $5 trace id), replayed from now on. */
export const COMPLETE_IDEMPOTENCY_KEY = `
UPDATE idempotency_keys SET state = 'done', locked_until = NULL, response_status = $3, response_body = $4::json, trace_id = $5
WHERE key = $1 AND order_id = $2 AND state = 'in_flight'`;

/** After a 5xx nothing was kept (stock released, no order): the same request may run again under the same order id. */
export const RELEASE_IDEMPOTENCY_KEY = `
UPDATE idempotency_keys SET state = 'retryable', locked_until = NULL
WHERE key = $1 AND order_id = $2 AND state = 'in_flight'`;

export const DELETE_EXPIRED_IDEMPOTENCY_KEYS = 'DELETE FROM idempotency_keys WHERE expires_at <= now()';
