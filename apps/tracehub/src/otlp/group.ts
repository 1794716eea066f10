/**
 * Groups records by resource, then scope, for the encoders. Records decoded
 * together share Resource/Scope objects (reference equality is the fast path);
 * records rebuilt by the store may carry equal copies, so distinct objects are
 * also merged by content (the content key is computed once per object).
 */
import type { Resource, Scope } from '../model.js';

export interface ScopeGroup<T> {
  scope: Scope;
  items: T[];
}
export interface ResourceGroup<T> {
  resource: Resource;
  scopes: ScopeGroup<T>[];
}

export function resourceKey(r: Resource): string {
  return JSON.stringify([r.schemaUrl, r.droppedAttributesCount, r.attributes]);
}
function scopeKey(s: Scope): string {
  return JSON.stringify([s.name, s.version, s.schemaUrl, s.droppedAttributesCount, s.attributes]);
}

export function groupByResourceAndScope<T extends { resource: Resource; scope: Scope }>(items: T[]): ResourceGroup<T>[] {
  const groups: ResourceGroup<T>[] = [];
  const byResourceRef = new Map<Resource, { group: ResourceGroup<T>; byScopeRef: Map<Scope, ScopeGroup<T>>; byScopeKey: Map<string, ScopeGroup<T>> }>();
  const byResourceKey = new Map<string, { group: ResourceGroup<T>; byScopeRef: Map<Scope, ScopeGroup<T>>; byScopeKey: Map<string, ScopeGroup<T>> }>();
  for (const item of items) {
    let rg = byResourceRef.get(item.resource);
    if (!rg) {
      const key = resourceKey(item.resource);
      rg = byResourceKey.get(key);
      if (!rg) {
        rg = { group: { resource: item.resource, scopes: [] }, byScopeRef: new Map(), byScopeKey: new Map() };
        byResourceKey.set(key, rg);
        groups.push(rg.group);
      }
      byResourceRef.set(item.resource, rg);
    }
    let sg = rg.byScopeRef.get(item.scope);
    if (!sg) {
      const key = scopeKey(item.scope);
      sg = rg.byScopeKey.get(key);
      if (!sg) {
        sg = { scope: item.scope, items: [] };
        rg.byScopeKey.set(key, sg);
        rg.group.scopes.push(sg);
      }
      rg.byScopeRef.set(item.scope, sg);
    }
    sg.items.push(item);
  }
  return groups;
}
