import { AttributeTable } from '../components/AttributeTable';
import type { AsyncState } from '../components/useAsync';
import type { SpanData, IncomingLink } from '../lib/types';
import { traceHref } from '../lib/traceViews';
import { Link } from '../router';

/**
 * A span's links out (from the span itself) and in (spans of other traces linking to it, from the hub).
 * Offline (a downloaded file, no hub) the links out are plain text and the links in are not shown.
 */
export function SpanLinks({ span, incoming, online = true }: { span: SpanData; incoming: AsyncState<IncomingLink[]>; online?: boolean }) {
  const mine = incoming.status === 'done' ? incoming.value.filter((l) => l.linkedSpanId === span.spanId) : [];
  return (
    <>
      <h3>Links ({span.links.length})</h3>
      {span.links.length === 0 && <p className="muted">none</p>}
      {span.links.map((l, i) => (
        <div key={i} className="link" data-testid="outgoing-link">
          {online ? (
            <Link to={traceHref(l.traceId, { span: l.spanId })} className="mono">
              {l.traceId.slice(0, 16)}… / {l.spanId}
            </Link>
          ) : (
            <span className="mono">
              {l.traceId} / {l.spanId}
            </span>
          )}
          <AttributeTable attributes={l.attributes} empty="" />
        </div>
      ))}

      {online && (
        <>
      <h3>Linked from{incoming.status === 'done' ? ` (${mine.length})` : ''}</h3>
      {incoming.status === 'loading' && <p className="muted">Looking for spans that link here…</p>}
      {incoming.status === 'error' && <p className="muted">Could not look up incoming links: {incoming.error.message}</p>}
      {incoming.status === 'done' && mine.length === 0 && <p className="muted">No span of another trace (within an hour of this one) links to this span.</p>}
      {mine.map((l) => (
        <div key={`${l.traceId}:${l.spanId}`} className="link" data-testid="incoming-link">
          <Link to={traceHref(l.traceId, { span: l.spanId })}>
            <span className="svc">{l.service}</span> <span className="op">{l.name}</span>
          </Link>{' '}
          <span className="mono muted">
            {l.traceId.slice(0, 16)}… / {l.spanId}
          </span>
          <AttributeTable attributes={l.attributes} empty="" />
        </div>
      ))}
        </>
      )}
    </>
  );
}
