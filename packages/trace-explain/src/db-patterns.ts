/**
 * Database patterns in a successful trace, from the db.* semantic conventions:
 * a single query that dominates, and N+1 (the same query shape run again and
 * again under one parent).
 */
import { attrString, isClient } from './signals.js';
import type { SpanTree } from './tree.js';
import type { ExplainSpan } from './types.js';

/** How many same-shape queries under one parent make an N+1. */
export const N_PLUS_ONE_MIN = 5;

/** A database CLIENT span (db.system.name, or the older db.system). */
export function isDbSpan(s: ExplainSpan): boolean {
  return isClient(s) && (attrString(s, 'db.system.name') !== '' || attrString(s, 'db.system') !== '');
}

/** The query text (db.query.text, or the older db.statement), '' when not recorded. */
export function queryText(s: ExplainSpan): string {
  return attrString(s, 'db.query.text') || attrString(s, 'db.statement');
}

/**
 * A query's shape: the text with literals and placeholders replaced by `?`,
 * whitespace collapsed; without a recorded text, db.query.summary (which
 * names only the operation and table, so it would lump different statements
 * together), else the span name.
 */
export function queryShape(s: ExplainSpan, cache?: Map<string, string>): string {
  const text = queryText(s);
  if (!text) return attrString(s, 'db.query.summary') || s.name;
  let shape = cache?.get(text);
  if (shape === undefined) {
    shape = statementShape(text);
    cache?.set(text, shape);
  }
  return shape;
}

/** A statement with its literals and placeholders replaced by `?` (IN lists by one), whitespace collapsed. */
export function statementShape(text: string): string {
  return text
    .replace(/'(?:[^']|'')*'/g, '?')
    .replace(/\$\d+|:\w+|@\w+/g, '?')
    .replace(/\b\d+(?:\.\d+)?\b/g, '?')
    .replace(/\bIN\s*\(\s*\?(?:\s*,\s*\?)*\s*\)/gi, 'IN (?)')
    .replace(/\s+/g, ' ')
    .trim();
}

export interface NPlusOne {
  /** The span that ran the queries. */
  parent: number;
  count: number;
  shape: string;
  totalUs: number;
}

/** The largest group of same-shape database queries under one parent, if it has at least N_PLUS_ONE_MIN. */
export function findNPlusOne(tree: SpanTree<ExplainSpan>, min = N_PLUS_ONE_MIN): NPlusOne | null {
  const groups = new Map<string, NPlusOne>();
  // Repeated queries usually repeat their text too (parameters travel apart): normalise each text once.
  const shapes = new Map<string, string>();
  tree.spans.forEach((s, i) => {
    const parent = tree.parent[i]!;
    if (parent < 0 || !isDbSpan(s)) return;
    const shape = queryShape(s, shapes);
    const key = `${parent}\u0000${shape}`;
    const g = groups.get(key);
    if (g) {
      g.count++;
      g.totalUs += s.durationUs;
    } else groups.set(key, { parent, count: 1, shape, totalUs: s.durationUs });
  });
  let best: NPlusOne | null = null;
  for (const g of groups.values()) if (g.count >= min && (!best || g.count > best.count)) best = g;
  return best;
}
