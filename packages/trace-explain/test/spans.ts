// Synthetic spans for the unit tests: id, parent, start and duration in ms, and what the span says.
import type { ExplainSpan } from '../src/types.js';

type Extra = Partial<Omit<ExplainSpan, 'attributes' | 'events'>> & {
  attrs?: Record<string, string | number>;
  exception?: { type?: string; message?: string };
  error?: string | true;
};

export function span(spanId: string, parentSpanId: string | null, startMs: number, durationMs: number, extra: Extra = {}): ExplainSpan {
  const { attrs = {}, exception, error, ...rest } = extra;
  const events = exception
    ? [
        {
          name: 'exception',
          attributes: [
            ...(exception.type ? [{ key: 'exception.type', value: { type: 'string', value: exception.type } }] : []),
            ...(exception.message ? [{ key: 'exception.message', value: { type: 'string', value: exception.message } }] : []),
          ],
        },
      ]
    : [];
  return {
    spanId,
    parentSpanId,
    name: spanId,
    service: 'svc',
    kind: 'internal',
    startUs: startMs * 1000,
    durationUs: durationMs * 1000,
    status: error === undefined ? { code: 'unset', message: '' } : { code: 'error', message: error === true ? '' : error },
    attributes: Object.entries(attrs).map(([key, v]) => ({
      key,
      value: typeof v === 'number' ? { type: Number.isInteger(v) ? 'int' : 'double', value: Number.isInteger(v) ? String(v) : v } : { type: 'string', value: v },
    })),
    events,
    ...rest,
  };
}

/** A db CLIENT span running `text`. */
export const query = (id: string, parent: string, startMs: number, durationMs: number, text: string, extra: Extra = {}) =>
  span(id, parent, startMs, durationMs, { kind: 'client', name: text.split(' ')[0], ...extra, attrs: { 'db.system.name': 'postgresql', 'db.query.text': text, ...extra.attrs } });
