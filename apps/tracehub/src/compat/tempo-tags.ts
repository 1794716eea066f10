/**
 * Tempo tag autocomplete: tag-name parsing (as Grafana sends it: scoped,
 * unscoped, intrinsic, possibly URL-encoded twice) and the answer shapes of
 * /api/v2/search/tags, /api/search/tags and the tag-values routes.
 */
import { SPAN_KIND_NAMES, STATUS_CODE_NAMES } from '../model.js';

export type TagTarget =
  | { kind: 'intrinsic'; name: string }
  | { kind: 'attribute'; scope: 'span' | 'resource' | 'any'; key: string };

/**
 * Grafana encodes the tag with encodeURIComponent twice, and its backend
 * proxy may add or remove a layer; decode until the text stops changing.
 * A stray `%` that is not an escape ends decoding rather than failing.
 */
export function decodeTagUntilStable(raw: string): string {
  let cur = raw;
  for (let i = 0; i < 5; i++) {
    let next: string;
    try {
      next = decodeURIComponent(cur);
    } catch {
      return cur;
    }
    if (next === cur) return cur;
    cur = next;
  }
  return cur;
}

/** Newer TraceQL spells intrinsics `span:name`, `trace:rootService`; map them to the classic names. */
const COLON_INTRINSICS: Record<string, string> = {
  'span:name': 'name',
  'span:status': 'status',
  'span:statusMessage': 'statusMessage',
  'span:kind': 'kind',
  'span:duration': 'duration',
  'trace:duration': 'traceDuration',
  'trace:rootName': 'rootName',
  'trace:rootService': 'rootServiceName',
};

function unquote(key: string): string {
  if (key.length >= 2 && key.startsWith('"') && key.endsWith('"')) return key.slice(1, -1).replace(/\\(.)/g, '$1');
  return key;
}

/** null: neither an intrinsic nor a scoped attribute (Tempo answers 400 then). */
export function parseTagName(tag: string, intrinsics: readonly string[]): TagTarget | null {
  const t = tag.trim();
  if (t === '') return null;
  if (COLON_INTRINSICS[t]) return { kind: 'intrinsic', name: COLON_INTRINSICS[t] };
  if (intrinsics.includes(t)) return { kind: 'intrinsic', name: t };
  // event:name, link:traceID, instrumentation:name ... : intrinsics tracehub has no index of.
  if (/^(event|link|instrumentation|span|trace):[A-Za-z]+$/.test(t)) return { kind: 'intrinsic', name: t };
  for (const [prefix, scope] of [
    ['resource.', 'resource'],
    ['span.', 'span'],
    ['.', 'any'],
  ] as const) {
    if (t.startsWith(prefix) && t.length > prefix.length) {
      return { kind: 'attribute', scope, key: unquote(t.slice(prefix.length)) };
    }
  }
  return null;
}

export interface TagValue {
  type: string;
  value: string;
}

/** Fixed-vocabulary intrinsics; the rest come from the store. */
export function keywordIntrinsicValues(name: string): TagValue[] | null {
  if (name === 'status') return STATUS_CODE_NAMES.map((value) => ({ type: 'keyword', value }));
  if (name === 'kind') return SPAN_KIND_NAMES.map((value) => ({ type: 'keyword', value }));
  return null;
}

/** Store value types → Tempo's tag value types. */
export function tempoValueType(vtype: string): string {
  switch (vtype) {
    case 'int':
    case 'int64':
      return 'int';
    case 'double':
    case 'float':
    case 'float64':
      return 'float';
    case 'bool':
    case 'boolean':
      return 'bool';
    default:
      return 'string';
  }
}

export type TagScopeName = 'resource' | 'span' | 'intrinsic';
const KNOWN_SCOPES = new Set(['resource', 'span', 'intrinsic', 'event', 'link', 'instrumentation', 'all', 'none']);

/** Checks the `scope` parameter; null when invalid. '' means all. */
export function parseTagScope(raw: string | undefined): string | null {
  if (raw === undefined || raw === '') return 'all';
  return KNOWN_SCOPES.has(raw) ? raw : null;
}

export function buildTagsV2(
  keys: { key: string; scope: 'span' | 'resource' }[],
  intrinsics: readonly string[],
  scope: string,
  limit: number,
): { scopes: { name: string; tags: string[] }[] } {
  const pick = (s: 'span' | 'resource') =>
    [...new Set(keys.filter((k) => k.scope === s).map((k) => k.key))].sort().slice(0, limit);
  const scopes: { name: string; tags: string[] }[] = [];
  const want = (s: string) => scope === 'all' || scope === 'none' || scope === s;
  if (want('resource')) scopes.push({ name: 'resource', tags: pick('resource') });
  if (want('span')) scopes.push({ name: 'span', tags: pick('span') });
  // Tempo lists intrinsics only when asked for all or for them.
  if (scope === 'all' || scope === 'intrinsic') scopes.push({ name: 'intrinsic', tags: [...intrinsics] });
  return { scopes };
}

/** v1 /api/search/tags: one flat list of attribute names. */
export function buildTagsV1(keys: { key: string; scope: 'span' | 'resource' }[], scope: string): { tagNames: string[] } {
  const selected = keys.filter((k) => scope === 'all' || scope === 'none' || k.scope === scope);
  return { tagNames: [...new Set(selected.map((k) => k.key))].sort() };
}
