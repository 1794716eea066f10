import { AttributeTable } from '../components/AttributeTable';
import { CopyValue } from '../components/CopyButton';
import { ErrorBox } from '../components/Messages';
import { useAsync, type AsyncState } from '../components/useAsync';
import { formatDuration, formatTimestamp, formatValue } from '../lib/format';
import type { SpanTree } from '../lib/spanTree';
import { traceHref } from '../lib/traceViews';
import { Link } from '../router';
import type { IncomingLink } from '../lib/types';
import { SpanLinks } from './SpanLinks';
import { useTraceSource } from './traceSource';

export function SpanDetail(props: {
  tree: SpanTree;
  index: number;
  color: string;
  onClose(): void;
  onSelect(index: number): void;
  /** Spans of other traces linking into this trace. */
  incoming: AsyncState<IncomingLink[]>;
}) {
  const { tree, index } = props;
  const s = tree.spans[index]!;
  const parent = tree.parent[index]!;
  const source = useTraceSource();
  const logs = useAsync((signal) => source.logs(s.traceId, s.spanId, signal), `${s.traceId}:${s.spanId}`);

  return (
    <aside className="span-detail" aria-label="Span detail" data-testid="span-detail">
      <header>
        <h2>
          <span className="svc-swatch" style={{ background: props.color }} />
          <span className="svc">{s.service}</span> <span className="op">{s.name}</span>
        </h2>
        <button type="button" className="small" onClick={props.onClose} aria-label="Close span detail">
          ×
        </button>
      </header>
      <dl className="facts">
        <dt>Duration</dt>
        <dd>{formatDuration(s.durationUs)}</dd>
        <dt>Starts at</dt>
        <dd>+{formatDuration(s.startUs)}</dd>
        <dt>Kind</dt>
        <dd>{s.kind}</dd>
        <dt>Status</dt>
        <dd className={s.status.code === 'error' ? 'status-error' : ''}>
          {s.status.code.toUpperCase()}
          {s.status.message && `: ${s.status.message}`}
        </dd>
      </dl>
      <div className="ids">
        <CopyValue label="Span" value={s.spanId} />
        <CopyValue label="Trace" value={s.traceId} />
        {s.parentSpanId && <CopyValue label="Parent" value={s.parentSpanId} />}
        {parent >= 0 && (
          <button type="button" className="small" onClick={() => props.onSelect(parent)}>
            Go to parent
          </button>
        )}
        {/* The subtree as the page's trace: for traces too big to read whole (the hub sends only the subtree). */}
        {source.online && tree.childCount[index]! > 0 && (
          <Link className="small subtree-link" to={traceHref(s.traceId, { root: s.spanId })} data-testid="open-subtree">
            Open subtree ({tree.subtreeEnd[index]! - index} spans)
          </Link>
        )}
      </div>

      <h3>Attributes</h3>
      <AttributeTable attributes={s.attributes} />
      {s.droppedAttributesCount > 0 && <p className="muted">{s.droppedAttributesCount} attributes dropped by the SDK</p>}

      <h3>Events ({s.events.length})</h3>
      {s.events.length === 0 && <p className="muted">none</p>}
      {s.events.map((e, i) => (
        <div key={i} className={`event${e.name === 'exception' ? ' exception' : ''}`}>
          <div className="event-title">
            <span className="mono">+{formatDuration(e.timeUs)}</span> <strong>{e.name}</strong>
          </div>
          <AttributeTable attributes={e.attributes} />
        </div>
      ))}
      {s.droppedEventsCount > 0 && <p className="muted">{s.droppedEventsCount} events dropped by the SDK</p>}

      <h3>Logs</h3>
      {logs.status === 'loading' && <p className="muted">Loading logs…</p>}
      {logs.status === 'error' && <ErrorBox title="Could not load logs" error={logs.error} />}
      {logs.status === 'done' && logs.value.length === 0 && (
        <p className="muted">No logs for this span. Logs appear here when they are sent over OTLP with this span's context.</p>
      )}
      {logs.status === 'done' && logs.value.length > 0 && (
        <ol className="logs">
          {logs.value.map((l, i) => (
            <li key={i} className={l.severityNumber >= 17 ? 'log-error' : ''}>
              <span className="mono">{formatTimestamp(l.timeMs)}</span>{' '}
              <span className="severity">{l.severityText || `SEV${l.severityNumber}`}</span>{' '}
              <span className="log-body">{formatValue(l.body)}</span>
              {l.attributes.length > 0 && <AttributeTable attributes={l.attributes} />}
            </li>
          ))}
        </ol>
      )}

      <SpanLinks span={s} incoming={props.incoming} online={source.online} />

      <h3>Resource</h3>
      <AttributeTable attributes={s.resource.attributes} />

      <h3>Instrumentation scope</h3>
      <p>
        <span className="mono">{s.scope.name || '(unnamed)'}</span>
        {s.scope.version && <span className="muted"> {s.scope.version}</span>}
      </p>
      {s.scope.attributes.length > 0 && <AttributeTable attributes={s.scope.attributes} />}
    </aside>
  );
}
