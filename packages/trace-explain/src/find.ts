/**
 * Find inside a trace: the one matching rule the UI's Find box and tracehub's
 * `GET /api/v1/traces/{id}/search` share. A span matches when its name,
 * service, status message, an attribute key or value (as displayed), or an
 * event name contains the query (case-insensitive), or its span id equals it.
 */
import type { ExplainSpan } from './types.js';

/** OTLP AnyValue as tracehub spells it (`int` values are decimal strings). */
export type FindValue =
  | { type: 'string'; value: string }
  | { type: 'bool'; value: boolean }
  | { type: 'int'; value: string }
  | { type: 'double'; value: number | 'NaN' | 'Infinity' | '-Infinity' }
  | { type: 'bytes'; value: string }
  | { type: 'array'; value: FindValue[] }
  | { type: 'kvlist'; value: { key: string; value: FindValue }[] }
  | { type: 'empty' };

/** The fields Find looks at. */
export type FindSpan = Pick<ExplainSpan, 'spanId' | 'name' | 'service' | 'status'> & {
  attributes: readonly { key: string; value: FindValue }[];
  events: readonly { name: string }[];
};

/** An attribute value as display text (what Find matches and the UI shows); never HTML. */
export function formatValue(v: FindValue): string {
  switch (v.type) {
    case 'string':
      return v.value;
    case 'bool':
      return v.value ? 'true' : 'false';
    case 'int':
      return v.value;
    case 'double':
      return String(v.value);
    case 'bytes':
      return `base64:${v.value}`;
    case 'array':
      return `[${v.value.map(formatValueQuoted).join(', ')}]`;
    case 'kvlist':
      return `{${v.value.map((a) => `${a.key}: ${formatValueQuoted(a.value)}`).join(', ')}}`;
    case 'empty':
      return '';
  }
}

function formatValueQuoted(v: FindValue): string {
  return v.type === 'string' ? JSON.stringify(v.value) : formatValue(v);
}

/** The query as spanMatches expects it: trimmed, lower case; '' matches nothing. */
export function findQuery(query: string): string {
  return query.trim().toLowerCase();
}

/** Whether the span matches `q` (from findQuery, not empty). */
export function spanMatches(s: FindSpan, q: string): boolean {
  if (s.name.toLowerCase().includes(q)) return true;
  if (s.service.toLowerCase().includes(q)) return true;
  if (s.spanId === q) return true;
  if (s.status.message.toLowerCase().includes(q)) return true;
  for (const a of s.attributes) {
    if (a.key.toLowerCase().includes(q)) return true;
    if (formatValue(a.value).toLowerCase().includes(q)) return true;
  }
  for (const e of s.events) {
    if (e.name.toLowerCase().includes(q)) return true;
  }
  return false;
}
