// Database statements by shape, so repeated queries (an N+1) group together.
// The normalisation is the explain engine's (@tracelab/trace-explain), which
// finds N+1 patterns by the same shapes.
import { queryShape, queryText, statementShape } from '@tracelab/trace-explain';
import type { SpanData } from './types';

export { statementShape };

const summary = (s: SpanData) => {
  const a = s.attributes.find((x) => x.key === 'db.query.summary');
  return a && a.value.type === 'string' ? a.value.value : '';
};

/**
 * The statement a span ran, as a shape (`SELECT * FROM stock WHERE id = ?`):
 * db.query.text (or the older db.statement) with literals as `?`, else
 * db.query.summary. null for spans that record no statement (or an empty one).
 */
export function spanStatement(s: SpanData, cache?: Map<string, string>): string | null {
  if (queryText(s) === '' && summary(s) === '') return null;
  return queryShape(s, cache);
}
