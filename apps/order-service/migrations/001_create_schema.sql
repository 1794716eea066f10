-- Stock can never go negative: the CHECK is the last line of defence behind
-- the conditional UPDATE in check-stock.
CREATE TABLE products (
  id          serial PRIMARY KEY,
  name        text NOT NULL UNIQUE,
  price_cents integer NOT NULL DEFAULT 0 CHECK (price_cents >= 0),
  stock       integer NOT NULL CHECK (stock >= 0)
);

-- A row exists only for an order whose payment succeeded, so CONFIRMED is the
-- only status; trace_id links the row to the request's trace (NULL only when
-- the service ran with tracing disabled).
CREATE TABLE orders (
  id          uuid PRIMARY KEY,
  product_id  integer NOT NULL REFERENCES products (id),
  quantity    integer NOT NULL CHECK (quantity > 0),
  status      text NOT NULL CHECK (status = 'CONFIRMED'),
  payment_id  text NOT NULL,
  trace_id    char(32) CHECK (trace_id ~ '^[0-9a-f]{32}$'),
  created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX orders_trace_id_idx ON orders (trace_id);
