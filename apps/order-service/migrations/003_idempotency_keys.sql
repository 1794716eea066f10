-- POST /orders with an Idempotency-Key: one row per key. The primary key
-- decides which of several concurrent requests runs the order (INSERT ...
-- ON CONFLICT); the others read the row: in_flight → 409, done → the stored
-- answer, another request_hash → 422. order_id is fixed at the first claim, so
-- a retry after a 5xx (state retryable) reuses it, and with it the payment's
-- idempotency key.
CREATE TABLE idempotency_keys (
  key             text PRIMARY KEY CHECK (length(key) BETWEEN 1 AND 255),
  request_hash    char(64) NOT NULL CHECK (request_hash ~ '^[0-9a-f]{64}$'),  -- sha256 of the validated order
  order_id        uuid NOT NULL,
  state           text NOT NULL CHECK (state IN ('in_flight', 'done', 'retryable')),
  -- in_flight only: after this a claim whose process died may be taken over.
  locked_until    timestamptz,
  response_status integer CHECK (response_status BETWEEN 200 AND 499),
  response_body   json,            -- json, not jsonb: the exact text that was sent, key order included
  trace_id        char(32),
  created_at      timestamptz NOT NULL DEFAULT now(),
  expires_at      timestamptz NOT NULL,
  CHECK ((state = 'done') = (response_status IS NOT NULL AND response_body IS NOT NULL))
);

CREATE INDEX idempotency_keys_expires_at_idx ON idempotency_keys (expires_at);
