import { useMemo } from 'react';
import { CopyValue } from '../components/CopyButton';
import { formatDuration, formatTimestamp } from '../lib/format';
import { labFaultsOf } from '../lib/labFaults';
import type { SpanTree } from '../lib/spanTree';
import type { TraceDetail } from '../lib/types';
import type { Failure } from '../lib/whatFailed';
import { Link } from '../router';
import { useTraceSource } from './traceSource';
import '../styles/transfer.css';

export function TraceHeader(props: {
  trace: TraceDetail;
  tree: SpanTree;
  colors: Map<string, string>;
  failure: Failure | null;
  onJump(): void;
}) {
  const { trace, tree, colors, failure } = props;
  const root = tree.spans[0]!;
  const services = [...colors.keys()];
  const cause = failure && failure.index >= 0 ? tree.spans[failure.index]! : null;
  // One pass over every span's attributes: only when the trace changes, not on each selection.
  const faults = useMemo(() => labFaultsOf(tree.spans), [tree]);
  const { online } = useTraceSource();
  const exportUrl = `/api/v1/traces/${encodeURIComponent(trace.summary.traceId)}/export`;
  return (
    <section className="trace-header">
      <h1>
        <span className="svc" style={{ color: colors.get(root.service) }}>
          {root.service}
        </span>{' '}
        <span className="op">{root.name}</span>
      </h1>
      <div className="trace-facts">
        <CopyValue label="Trace" value={trace.summary.traceId} />
        <span>Started {formatTimestamp(trace.summary.startMs)}</span>
        <span>Duration {formatDuration(tree.durationUs)}</span>
        <span>{tree.spans.length} spans</span>
        <span>Depth {tree.maxDepth + 1}</span>
        {online && (
          <>
            <Link to={`/compare?a=${trace.summary.traceId}&baseline=auto`} className="compare-link" title="Compare with traces of the same root operation around this time">
              Compare with baseline
            </Link>
            <a href={exportUrl} download className="export-link" title="The trace as an OTLP/JSON file (import it into any tracehub or OTLP tool)">
              Export JSON
            </a>
            <a href={`${exportUrl}?format=html`} download className="export-link" title="One HTML file that shows this trace offline, without a hub">
              Download as HTML
            </a>
          </>
        )}
        <span className="legend">
          {services.map((s) => (
            <span key={s} className="chip" style={{ borderColor: colors.get(s) }}>
              {s}
            </span>
          ))}
        </span>
      </div>
      {faults.length > 0 && (
        // Made while tracelab's fault switches were on (lab.faults on its spans): say which experiment.
        <div className="lab-faults" role="note" data-testid="lab-faults">
          <strong>Lab faults:</strong>{' '}
          {faults.map((f) => (
            <code key={f}>{f}</code>
          ))}
        </div>
      )}
      {failure && (
        // The explain answer (lib/whatFailed): one sentence, and a jump to the span where it started.
        <div className={`explain ${failure.status}`} role="status" data-testid="explain" data-kind={failure.cause?.kind ?? ''}>
          <strong>{failure.status === 'error' ? 'Why it failed:' : 'Where the time went:'}</strong>{' '}
          <span className="explain-summary">{failure.summary}</span>
          {failure.errorCount > 1 && <span className="muted"> ({failure.errorCount} error spans in total)</span>}
          {cause && (
            <button type="button" className="small" onClick={props.onJump} title={`Select and scroll to ${cause.service} ${cause.name}`}>
              Show cause: {cause.name}
            </button>
          )}
        </div>
      )}
    </section>
  );
}
