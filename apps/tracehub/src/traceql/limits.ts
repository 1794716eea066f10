// Bounds on a TraceQL query, checked before parsing: a recursive-descent
// parser and the SQL it leads to must not be driven into a stack overflow or
// a plan of thousands of sub-queries by a hostile or generated query.
// Real queries are far inside them (Grafana's builder writes a few
// conditions; the deepest documented example nests 3 levels).
import { TraceQLError } from './errors.js';

export const MAX_QUERY_LENGTH = 16 * 1024;
/** Brackets plus unary operators (`!`, `-`) in a row. */
export const MAX_NESTING = 64;
/** Comparisons (`=`, `!=`, `>`, `=~`, ...) in one query. */
export const MAX_COMPARISONS = 128;

/** Throws TraceQLError when the query is longer, deeper or has more comparisons than the bounds. */
export function checkQueryLimits(q: string): void {
  if (q.length > MAX_QUERY_LENGTH) {
    throw new TraceQLError(`query is ${q.length} characters long; at most ${MAX_QUERY_LENGTH} are accepted at position ${MAX_QUERY_LENGTH}`, MAX_QUERY_LENGTH);
  }
  let depth = 0;
  let unary = 0;
  let comparisons = 0;
  for (let i = 0; i < q.length; i++) {
    const c = q[i]!;
    if (c === '"' || c === '`') {
      // Skip a string literal (with backslash escapes in "..."); an unterminated one is the parser's to report.
      for (i++; i < q.length && q[i] !== c; i++) if (c === '"' && q[i] === '\\') i++;
      unary = 0;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') continue;
    const next = q[i + 1];
    if (c === '(' || c === '{' || c === '[') depth++;
    else if (c === ')' || c === '}' || c === ']') depth = Math.max(0, depth - 1);
    if ((c === '!' && next !== '=' && next !== '~') || (c === '-' && unary > 0)) unary++;
    else if (c !== '(' && c !== '{' && c !== '[') unary = 0;
    if (depth + unary > MAX_NESTING) {
      throw new TraceQLError(`query nests deeper than ${MAX_NESTING} levels (brackets and unary operators) at position ${i}`, i);
    }
    if (c === '=' || c === '>' || c === '<' || (c === '!' && (next === '=' || next === '~'))) {
      // One operator of one or two characters: =, ==, !=, =~, !~, >=, <=, >, <, and >> / << (structural).
      if (next === '=' || next === '~' || (c === next && (c === '>' || c === '<'))) i++;
      if (++comparisons > MAX_COMPARISONS) {
        throw new TraceQLError(`query has more than ${MAX_COMPARISONS} comparisons and operators at position ${i}`, i);
      }
    }
  }
}
