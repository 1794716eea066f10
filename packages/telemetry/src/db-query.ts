import type { Span } from '@opentelemetry/api';
import { ATTR_DB_COLLECTION_NAME, ATTR_DB_OPERATION_NAME, ATTR_DB_QUERY_SUMMARY } from '@opentelemetry/semantic-conventions';

/**
 * What the stable database semantic conventions want from a SQL statement:
 * `db.operation.name` (its first keyword), `db.collection.name` (the table
 * it reads or writes, when one is named) and `db.query.summary`, which is
 * also the span name: `UPDATE products`, `INSERT orders`, `SELECT`.
 * @see https://opentelemetry.io/docs/specs/semconv/database/database-spans/#name
 */
export interface QuerySummary {
  operation: string;
  collection?: string;
  summary: string;
}

// Leading whitespace and comments (`-- ...` lines and `/* ... */` blocks).
const LEADING_NOISE = /^(?:\s+|--[^\n]*(?:\n|$)|\/\*[\s\S]*?\*\/)*/;
// A table name as written: optionally schema-qualified, each part plain or "quoted".
const NAME = String.raw`((?:"(?:[^"]|"")+"|[A-Za-z_][\w$]*)(?:\.(?:"(?:[^"]|"")+"|[A-Za-z_][\w$]*))*)`;
/** Where the table stands, per statement; SELECT takes the first FROM that is not a sub-query. */
const TARGET: Record<string, RegExp> = {
  // Not `FROM now()` inside a function call such as extract(epoch FROM now()).
  SELECT: new RegExp(String.raw`\bFROM\s+(?:ONLY\s+)?${NAME}(?![\w$."(]|\s*\()`, 'i'),
  INSERT: new RegExp(String.raw`^INSERT\s+INTO\s+${NAME}`, 'i'),
  UPDATE: new RegExp(String.raw`^UPDATE\s+(?:ONLY\s+)?${NAME}`, 'i'),
  DELETE: new RegExp(String.raw`^DELETE\s+FROM\s+(?:ONLY\s+)?${NAME}`, 'i'),
  MERGE: new RegExp(String.raw`^MERGE\s+INTO\s+(?:ONLY\s+)?${NAME}`, 'i'),
  TRUNCATE: new RegExp(String.raw`^TRUNCATE\s+(?:TABLE\s+)?(?:ONLY\s+)?${NAME}`, 'i'),
};

/** Pure: the operation, table and summary of one SQL statement (parameterised text, never values). */
export function summarizeQuery(text: string): QuerySummary {
  const sql = text.replace(LEADING_NOISE, '');
  const keyword = /^[A-Za-z]+/.exec(sql)?.[0].toUpperCase();
  if (!keyword) return { operation: 'QUERY', summary: 'QUERY' };
  const name = TARGET[keyword]?.exec(sql)?.[1];
  if (!name) return { operation: keyword, summary: keyword };
  const collection = name.replace(/"((?:[^"]|"")+)"/g, (_, inner: string) => inner.replace(/""/g, '"'));
  return { operation: keyword, collection, summary: `${keyword} ${collection}` };
}

// A service runs a handful of distinct statements; each is summarised once.
const MAX_CACHED = 256;
const cache = new Map<string, QuerySummary>();

/** summarizeQuery, remembered per statement text (bounded, so ad-hoc SQL cannot grow it without end). */
export function cachedSummary(text: string): QuerySummary {
  let s = cache.get(text);
  if (!s) {
    if (cache.size >= MAX_CACHED) cache.clear();
    s = summarizeQuery(text);
    cache.set(text, s);
  }
  return s;
}

/**
 * The pg instrumentation's requestHook: renames its `pg.query:<OP> <db>` span
 * after the summary and adds the stable attributes it leaves out. No work for
 * a span that is not recorded.
 */
export function nameDbSpan(span: Span, query: { text?: string }): void {
  if (!span.isRecording() || typeof query.text !== 'string') return;
  const s = cachedSummary(query.text);
  span.updateName(s.summary);
  span.setAttribute(ATTR_DB_OPERATION_NAME, s.operation);
  span.setAttribute(ATTR_DB_QUERY_SUMMARY, s.summary);
  if (s.collection) span.setAttribute(ATTR_DB_COLLECTION_NAME, s.collection);
}
