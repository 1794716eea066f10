/**
 * Conditions on one span (pure SQL builders), for searches whose filters must
 * all hold on the same span: Jaeger's find-traces semantics, where service,
 * operation, every tag and the duration bounds describe a single span.
 *
 * A tag is searched wherever Jaeger's trace view shows tags of a span: its
 * attributes, its resource (the "process"), its events (Jaeger's logs, with
 * the event name as field `event`), its scope and its links, plus the
 * synthetic tags the Jaeger model adds (see compat/jaeger-model.ts).
 */
import { SPAN_KIND_NAMES, StatusCode } from '../model.js';
import { SPAN_KEY_STRIDE } from './rows.js';
import type { SqlParam } from './search-sql.js';
import type { SpanConditions } from './types.js';

/** Keys whose JSON spelling equals their text, so a substring test can rule rows out cheaply. */
const PLAIN_KEY = /^[^"\\\u0000-\u001f]*$/;

/** True when an attribute list (JSON text in `col`, at JSON path `path`) has key = value as text. */
function jsonAttrMatch(col: string, path: string, key: string, value: string, params: SqlParam[]): string {
  const exact = `coalesce(list_bool_or(list_transform(json_extract(${col}, '${path}'),
      lambda a: json_extract_string(a, '$.key') = ? AND json_extract_string(a, '$.value.value') = ?)), false)`;
  if (!PLAIN_KEY.test(key)) {
    params.push(key, value);
    return exact;
  }
  params.push(key, key, value);
  return `(contains(${col}, ?) AND ${exact})`;
}

/** The columns the Jaeger model turns into tags, by tag name; null when the value cannot match. */
function syntheticTag(key: string, value: string, params: SqlParam[]): string | null | undefined {
  switch (key) {
    case 'span.kind': {
      const kind = (SPAN_KIND_NAMES as readonly string[]).indexOf(value);
      if (kind <= 0) return null;
      params.push(kind);
      return 's.kind = ?';
    }
    case 'otel.status_code':
      if (value === 'OK') return `s.status_code = ${StatusCode.OK}`;
      if (value === 'ERROR') return `s.status_code = ${StatusCode.ERROR}`;
      return null;
    case 'error':
      if (value === 'true') return `s.status_code = ${StatusCode.ERROR}`;
      return null;
    case 'otel.status_description':
      params.push(value);
      return 's.status_message = ?';
    case 'otel.scope.name':
      params.push(value);
      return 's.scope_id IN (SELECT scope_id FROM scopes WHERE name = ?)';
    case 'otel.scope.version':
      params.push(value);
      return 's.scope_id IN (SELECT scope_id FROM scopes WHERE version = ?)';
    case 'w3c.tracestate':
      params.push(value);
      return 's.trace_state = ?';
    case 'event':
      params.push(value);
      return `(s.events <> '[]' AND list_contains(json_extract_string(s.events, '$[*].name'), ?))`;
    default:
      return undefined;
  }
}

/** The span's own attribute, or its resource's, equal to the value as text (two OR-able fragments). */
function attributeAlternatives(key: string, value: string, fromNs: bigint | undefined, params: SqlParam[]): string[] {
  const since = fromNs !== undefined ? 'start_ns >= ? AND ' : '';
  if (fromNs !== undefined) params.push(fromNs);
  params.push(key, value, key, value);
  return [
    `s.span_key IN (SELECT span_key FROM span_attrs WHERE ${since}key = ? AND str = ?)`,
    's.resource_id IN (SELECT resource_id FROM resource_attrs WHERE key = ? AND str = ?)',
  ];
}

/**
 * The span `s` (or its resource) has attribute key = value (as text). With
 * `batches` (from the attribute index: no resource has it), only the span's own
 * rows in those batches: one scan per range, which the row groups' span_key
 * min/max keep to the range (an OR of ranges would be read in full).
 */
export function spanAttributeCondition(
  key: string,
  value: string,
  fromNs: bigint | undefined,
  params: SqlParam[],
  batches?: readonly [bigint, bigint][],
): string {
  if (!batches) return `(${attributeAlternatives(key, value, fromNs, params).join(' OR ')})`;
  if (batches.length === 0) return 'false';
  const since = fromNs !== undefined ? 'start_ns >= ? AND ' : '';
  const scans = batches.map(([first, last]) => {
    params.push(first * BigInt(SPAN_KEY_STRIDE), (last + 1n) * BigInt(SPAN_KEY_STRIDE) - 1n);
    if (fromNs !== undefined) params.push(fromNs);
    params.push(key, value);
    return `SELECT span_key FROM span_attrs WHERE span_key BETWEEN ? AND ? AND ${since}key = ? AND str = ?`;
  });
  return `s.span_key IN (${scans.join('\n      UNION ALL ')})`;
}

/**
 * The span `s` has tag key = value (as text) anywhere Jaeger shows tags.
 * `fromNs` (the span's own start bound, if any) prunes the attribute rows.
 */
export function spanTagCondition(key: string, value: string, fromNs: bigint | undefined, params: SqlParam[]): string {
  const alternatives: string[] = [];
  const synthetic = syntheticTag(key, value, params);
  if (synthetic) alternatives.push(synthetic);
  alternatives.push(...attributeAlternatives(key, value, fromNs, params));
  alternatives.push(`(s.events <> '[]' AND ${jsonAttrMatch('s.events', '$[*].attributes[*]', key, value, params)})`);
  alternatives.push(`s.scope_id IN (SELECT scope_id FROM scopes WHERE attrs <> '[]' AND ${jsonAttrMatch('attrs', '$[*]', key, value, params)})`);
  alternatives.push(`(s.links <> '[]' AND ${jsonAttrMatch('s.links', '$[*].attributes[*]', key, value, params)})`);
  return `(${alternatives.join('\n      OR ')})`;
}

/**
 * Every condition of `c` on the span `s`, as AND-able SQL fragments (their params appended in order).
 * `fromNs`: no matching span starts before it (prunes attribute rows by time).
 */
export function spanConditions(c: SpanConditions, params: SqlParam[], fromNs: bigint | undefined = c.startNs): string[] {
  const out: string[] = [];
  if (c.startNs !== undefined) {
    out.push('s.start_ns >= ?');
    params.push(c.startNs);
  }
  if (c.endNs !== undefined) {
    out.push('s.start_ns <= ?');
    params.push(c.endNs);
  }
  if (c.minDurationNs !== undefined) {
    out.push('s.duration_ns >= ?');
    params.push(c.minDurationNs);
  }
  if (c.maxDurationNs !== undefined) {
    out.push('s.duration_ns <= ?');
    params.push(c.maxDurationNs);
  }
  if (c.error === true) out.push(`s.status_code = ${StatusCode.ERROR}`);
  if (c.error === false) out.push(`s.status_code <> ${StatusCode.ERROR}`);
  for (const t of c.tags ?? []) out.push(spanTagCondition(t.key, t.value, fromNs, params));
  for (const a of c.attributes ?? []) out.push(spanAttributeCondition(a.key, a.value, fromNs, params, a.batches));
  return out;
}
