import type { Resource, Scope, SpanRecord } from '../model.js';

export interface ScopeGroup {
  scope: Scope;
  spans: SpanRecord[];
}
export interface ResourceGroup {
  resource: Resource;
  scopes: ScopeGroup[];
}

/**
 * Re-nests a flat span list into resource → scope groups, in first-seen order.
 * Keyed by content rather than object identity: the store may hand back a
 * fresh Resource object per span, and equal resources must still share one
 * ResourceSpans (one Jaeger process).
 */
export function groupByResourceAndScope(spans: SpanRecord[]): ResourceGroup[] {
  const resources = new Map<string, { group: ResourceGroup; scopes: Map<string, ScopeGroup> }>();
  for (const span of spans) {
    const rKey = resourceKey(span.resource);
    let r = resources.get(rKey);
    if (!r) {
      r = { group: { resource: span.resource, scopes: [] }, scopes: new Map() };
      resources.set(rKey, r);
    }
    const sKey = JSON.stringify([span.scope.name, span.scope.version, span.scope.schemaUrl, span.scope.attributes]);
    let s = r.scopes.get(sKey);
    if (!s) {
      s = { scope: span.scope, spans: [] };
      r.scopes.set(sKey, s);
      r.group.scopes.push(s);
    }
    s.spans.push(span);
  }
  return [...resources.values()].map((r) => r.group);
}

const keyCache = new WeakMap<Resource, string>();
export function resourceKey(resource: Resource): string {
  let key = keyCache.get(resource);
  if (key === undefined) {
    key = JSON.stringify([resource.schemaUrl, resource.attributes]);
    keyCache.set(resource, key);
  }
  return key;
}
