-- tracehub store schema (DuckDB). Created in this order at start-up.
-- Ids are lower-case hex VARCHAR; times are BIGINT nanoseconds since the epoch.
-- Typed values (events, links, bodies, resource and scope attributes) are JSON
-- text in the API's AnyValue form (see API.md), so they round-trip exactly; span
-- attributes are typed rows of span_attr_rows that rebuild the same values.

-- Store metadata: schema_version guards against opening a data dir written by
-- an incompatible tracehub.
CREATE TABLE IF NOT EXISTS meta (
  key VARCHAR NOT NULL,
  value VARCHAR NOT NULL
);

-- One row per ingest batch: when it was received. Retention goes by this.
CREATE TABLE IF NOT EXISTS batches (
  ingest_seq BIGINT NOT NULL,
  received_ns BIGINT NOT NULL
);

-- One row per distinct resource (deduplicated by a hash of its content).
CREATE TABLE IF NOT EXISTS resources (
  resource_id VARCHAR NOT NULL,      -- hex hash of the resource's content
  service VARCHAR NOT NULL,          -- service.name or 'unknown_service'
  attrs VARCHAR NOT NULL,            -- JSON Attribute[]
  dropped_attrs INTEGER NOT NULL,
  schema_url VARCHAR NOT NULL,
  first_seen_ns BIGINT NOT NULL
);

-- Scalar resource attributes, for search (one row per key of a resource).
CREATE TABLE IF NOT EXISTS resource_attrs (
  resource_id VARCHAR NOT NULL,
  key VARCHAR NOT NULL,
  vtype VARCHAR NOT NULL,            -- string|bool|int|double|bytes|array|kvlist|empty
  str VARCHAR NOT NULL,              -- text form: the string, 'true'/'false', decimal int, double, base64, JSON
  num DOUBLE                         -- numeric value for int and double, else NULL
);

-- Instrumentation scopes, each distinct one once (the store keeps them in memory
-- and adds a batch's new ones in the batch's transaction, like attr_keys).
CREATE TABLE IF NOT EXISTS scopes (
  scope_id UINTEGER NOT NULL,
  name VARCHAR NOT NULL,
  version VARCHAR NOT NULL,
  attrs VARCHAR NOT NULL,            -- JSON Attribute[]
  dropped_attrs INTEGER NOT NULL,
  schema_url VARCHAR NOT NULL
);

CREATE TABLE IF NOT EXISTS spans (
  trace_id VARCHAR NOT NULL,
  span_id VARCHAR NOT NULL,
  parent_span_id VARCHAR NOT NULL,   -- '' for a root span
  trace_state VARCHAR NOT NULL,
  flags UINTEGER NOT NULL,
  name VARCHAR NOT NULL,
  kind UTINYINT NOT NULL,            -- 0 unspecified 1 internal 2 server 3 client 4 producer 5 consumer
  service VARCHAR NOT NULL,          -- copy of resources.service
  resource_id VARCHAR NOT NULL,
  start_ns BIGINT NOT NULL,
  end_ns BIGINT NOT NULL,
  duration_ns BIGINT NOT NULL,
  status_code UTINYINT NOT NULL,     -- 0 unset 1 ok 2 error
  status_message VARCHAR NOT NULL,
  dropped_attrs INTEGER NOT NULL,    -- the attributes themselves are rows of span_attr_rows
  events VARCHAR NOT NULL,           -- JSON [{timeUnixNano: string, name, attributes, droppedAttributesCount}]
  dropped_events INTEGER NOT NULL,
  links VARCHAR NOT NULL,            -- JSON [{traceId, spanId, traceState, flags, attributes, droppedAttributesCount}]
  dropped_links INTEGER NOT NULL,
  ingest_seq BIGINT NOT NULL,        -- the ingest batch that wrote the row
  span_key BIGINT NOT NULL,          -- unique row key: ingest_seq * 2^20 + position in the batch
  scope_id UINTEGER NOT NULL         -- the instrumentation scope (scopes)
);

-- The value types of attributes, as the API names them.
CREATE TYPE IF NOT EXISTS attr_type AS ENUM ('string', 'bool', 'int', 'double', 'bytes', 'array', 'kvlist', 'empty');

-- Attribute keys, numbered: span_attr_rows stores the number. The store keeps
-- the dictionary in memory and adds a batch's new keys in the batch's transaction.
CREATE TABLE IF NOT EXISTS attr_keys (
  key_id UINTEGER NOT NULL,
  key VARCHAR NOT NULL
);

-- Span attributes (one row per attribute of a span, in the span's order): the
-- only copy of them, read by search and by trace reads alike. Joined to spans by
-- span_key. Only integers cross into DuckDB for the key and the type, and a
-- row is about half the cost of one with both as text (bench/README.md).
CREATE TABLE IF NOT EXISTS span_attr_rows (
  span_key BIGINT NOT NULL,
  ord UINTEGER NOT NULL,             -- position among the span's attributes
  key_id UINTEGER NOT NULL,
  vtype attr_type NOT NULL,
  str VARCHAR NOT NULL,              -- text form, as in resource_attrs; arrays and kvlists as JSON AnyValue[] / Attribute[]
  num DOUBLE,                        -- the number of an int or double
  start_ns BIGINT NOT NULL
);

-- Which batches hold an attribute value: one row per distinct (key, value) of
-- span_attr_rows per ingest batch, added at each checkpoint for the batches
-- committed since the last one (meta's attr_indexed_through: indexed up to
-- there). h is the upper half of DuckDB's hash(key_id, str) (attributeHashSql in
-- attribute-index.ts); meta's attr_hash_probe notes the hash this DuckDB gives,
-- and the table is derived again when it changes. A search for a rare value with
-- no time range reads only the batches listed here and those not indexed yet (a
-- hash collision only adds a batch to read; the rows themselves decide).
CREATE TABLE IF NOT EXISTS attr_batches (
  h UINTEGER NOT NULL,
  ingest_seq BIGINT NOT NULL
);

-- The attribute rows with their keys as text: every query reads this.
CREATE OR REPLACE VIEW span_attrs AS
SELECT a.span_key, k.key, a.vtype, a.str, a.num, a.start_ns
FROM span_attr_rows a JOIN attr_keys k ON k.key_id = a.key_id;

-- Per-trace partial aggregates, one row per trace per ingest batch.
-- A trace's summary is the aggregate of its rows (see trace_summaries view).
CREATE TABLE IF NOT EXISTS trace_parts (
  trace_id VARCHAR NOT NULL,
  start_ns BIGINT NOT NULL,          -- min span start in the batch
  end_ns BIGINT NOT NULL,            -- max span end in the batch
  span_count INTEGER NOT NULL,
  error_count INTEGER NOT NULL,
  root_service VARCHAR,              -- set when the batch holds the root span
  root_name VARCHAR,
  root_start_ns BIGINT,
  services VARCHAR NOT NULL,         -- JSON {service: [spanCount, errorCount]}
  ingest_seq BIGINT NOT NULL
);

-- Trace-by-id looks up a trace's time bounds here first (an index scan), then
-- reads its spans from the few row groups those bounds select.
CREATE INDEX IF NOT EXISTS trace_parts_trace_id ON trace_parts (trace_id);

CREATE TABLE IF NOT EXISTS logs (
  trace_id VARCHAR NOT NULL,         -- '' when not tied to a trace
  span_id VARCHAR NOT NULL,
  time_ns BIGINT NOT NULL,
  observed_time_ns BIGINT NOT NULL,
  severity_number INTEGER NOT NULL,
  severity_text VARCHAR NOT NULL,
  body VARCHAR NOT NULL,             -- JSON AnyValue
  attrs VARCHAR NOT NULL,            -- JSON Attribute[]
  dropped_attrs INTEGER NOT NULL,
  flags UINTEGER NOT NULL,
  event_name VARCHAR NOT NULL,
  service VARCHAR NOT NULL,
  resource_id VARCHAR NOT NULL,
  scope_name VARCHAR NOT NULL,
  scope_version VARCHAR NOT NULL,
  scope_attrs VARCHAR NOT NULL,
  scope_dropped_attrs INTEGER NOT NULL,
  scope_schema_url VARCHAR NOT NULL,
  ingest_seq BIGINT NOT NULL
);

-- Trace-level aggregates, for TraceQL's traceDuration/rootName/rootServiceName
-- and for summaries. The root is the earliest span without a parent.
CREATE OR REPLACE VIEW trace_summaries AS
SELECT
  trace_id,
  min(start_ns) AS start_ns,
  max(end_ns) AS end_ns,
  max(end_ns) - min(start_ns) AS duration_ns,
  sum(span_count)::BIGINT AS span_count,
  sum(error_count)::BIGINT AS error_count,
  arg_min(root_service, root_start_ns) AS root_service,
  arg_min(root_name, root_start_ns) AS root_name
FROM trace_parts
GROUP BY trace_id;
