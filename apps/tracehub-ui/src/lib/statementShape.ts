// Database statements by shape, so repeated queries (an N+1) group together.
// The normalisation is the explain engine's (@tracelab/trace-explain), which
// finds N+1 patterns by the same shapes.
import { queryShape, statementShape } from '@tracelab/trace-explain';
import type { SpanData } from './types';

export { statementShape };

const attr = (s: SpanData, key: string) => s.attributes.find((a) => a.key === key);

/**
 * The statement a span ran, as a shape (`SELECT * FROM stock WHERE id = ?`):
 * db.query.text (or the older db.statement) with literals as `?`, else
 * db.query.summary. null for spans that record no statement.
 */
export function spanStatement(s: SpanData, cache?: Map<string, string>): string | null {
  if (!attr(s, 'db.query.text') && !attr(s, 'db.statement') && !attr(s, 'db.query.summary')) return null;
  return queryShape(s, cache);
}
