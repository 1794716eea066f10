/**
 * Jaeger's GET /api/traces query string → a TraceSearch (or a list of trace
 * ids), following jaeger-query's query_parser: `start`/`end` in
 * microseconds, Go durations, `tags` as a JSON object and repeated
 * `tag=key:value`, repeated `traceID`, `lookback` ignored (the UI also sends
 * start/end).
 */
import type { SpanConditions, TraceSearch } from '../store/types.js';
import { parseGoDuration } from './go-duration.js';
import { normalizeTraceId } from './ids.js';
import { all, badParam, intParam, one, type Query } from './query-params.js';

export const JAEGER_DEFAULT_LIMIT = 100;
export const JAEGER_MAX_LIMIT = 1500;

export type JaegerTraceQuery = { kind: 'ids'; traceIds: string[] } | { kind: 'search'; search: TraceSearch };

function micros(q: Query, name: string): bigint | undefined {
  const raw = one(q, name);
  if (raw === undefined) return undefined;
  if (!/^\d{1,19}$/.test(raw)) throw badParam(name, `${name} must be unix microseconds, got "${raw}"`);
  return BigInt(raw) * 1000n;
}

export function parseJaegerTraceQuery(q: Query): JaegerTraceQuery {
  const rawIds = all(q, 'traceID');
  if (rawIds.length > 0) {
    const traceIds = rawIds.map((raw) => {
      const id = normalizeTraceId(raw);
      if (id === null) throw badParam('traceID', `traceID must be up to 32 hex characters, got "${raw}"`);
      return id;
    });
    return { kind: 'ids', traceIds: [...new Set(traceIds)] };
  }

  const service = one(q, 'service');
  if (service === undefined) throw badParam('service', "parameter 'service' is required");
  const search: TraceSearch = {
    service,
    limit: Math.min(intParam(q, 'limit', JAEGER_DEFAULT_LIMIT, 0, Number.MAX_SAFE_INTEGER) || JAEGER_DEFAULT_LIMIT, JAEGER_MAX_LIMIT),
  };
  const operation = one(q, 'operation');
  if (operation !== undefined) search.operation = operation;

  // Every condition describes one span (jaeger-query's span-level matching):
  // a trace matches when a single span has the service, the operation, all
  // tags and a duration in bounds, and starts in [start, end].
  const span: SpanConditions = {};
  const startNs = micros(q, 'start');
  const endNs = micros(q, 'end');
  if (startNs !== undefined) span.startNs = startNs;
  if (endNs !== undefined) {
    span.endNs = endNs;
    // A trace starts no later than any of its spans: bounds the trace scan too.
    search.endNs = endNs;
  }
  if (startNs !== undefined && endNs !== undefined && endNs < startNs) {
    throw badParam('end', 'end must not be before start');
  }

  for (const name of ['minDuration', 'maxDuration'] as const) {
    const raw = one(q, name);
    if (raw === undefined) continue;
    const ns = parseGoDuration(raw);
    if (ns === null) throw badParam(name, `cannot parse ${name}: "${raw}" is not a duration such as 100ms or 1.5s`);
    if (name === 'minDuration') span.minDurationNs = ns;
    else span.maxDurationNs = ns;
  }
  if (span.minDurationNs !== undefined && span.maxDurationNs !== undefined && span.maxDurationNs < span.minDurationNs) {
    throw badParam('maxDuration', 'maxDuration must not be smaller than minDuration');
  }

  const tags: { key: string; value: string }[] = [];
  const json = one(q, 'tags');
  if (json !== undefined) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(json);
    } catch {
      throw badParam('tags', `malformed 'tags' parameter: expected a JSON object of strings, got "${json}"`);
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw badParam('tags', "malformed 'tags' parameter: expected a JSON object of strings");
    }
    for (const [key, value] of Object.entries(parsed)) {
      if (typeof value !== 'string') throw badParam('tags', `malformed 'tags' parameter: value of "${key}" must be a string`);
      tags.push({ key, value });
    }
  }
  for (const kv of all(q, 'tag')) {
    const i = kv.indexOf(':');
    if (i <= 0) throw badParam('tag', `malformed 'tag' parameter: expected key:value, got "${kv}"`);
    tags.push({ key: kv.slice(0, i), value: kv.slice(i + 1) });
  }
  for (const { key, value } of tags) {
    // error=true is how the Jaeger model spells an OTel ERROR status; error=false is any other status.
    // A second error tag is matched literally, like any tag.
    if (key === 'error' && (value === 'true' || value === 'false')) {
      if (span.error === undefined) {
        span.error = value === 'true';
        continue;
      }
    }
    (span.tags ??= []).push({ key, value });
  }
  if (Object.keys(span).length > 0) search.span = span;
  return { kind: 'search', search };
}
