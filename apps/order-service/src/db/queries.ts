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
