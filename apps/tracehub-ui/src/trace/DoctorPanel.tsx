// The propagation doctor on the trace page: why the trace does not connect
// (broken hops, orphan spans, clock skew, resource problems), each finding
// with its cause and fix. A click on a finding selects its span; a broken
// hop links the trace holding the other end. Span data is rendered as text.
import { getDiagnosis } from '../api/client';
import { useAsync } from '../components/useAsync';
import { findingLabel, findingTarget, otherTraceHref, opensByDefault, type DoctorFinding } from '../lib/doctor';
import type { SpanTree } from '../lib/spanTree';
import { Link } from '../router';
import '../styles/doctor.css';

function FindingItem({ f, tree, onSelect }: { f: DoctorFinding; tree: SpanTree; onSelect(index: number): void }) {
  const target = findingTarget(f, tree);
  const other = otherTraceHref(f);
  return (
    <li className={`doctor-finding ${f.kind}`} data-kind={f.kind}>
      <button
        type="button"
        className="doctor-select"
        disabled={target < 0}
        onClick={() => onSelect(target)}
        title={target >= 0 ? `Select ${tree.spans[target]!.service}: ${tree.spans[target]!.name}` : 'The span is not in this trace'}
      >
        <span className="doctor-kind">{findingLabel(f.kind)}</span>
        {f.hop && <span className="doctor-hop">{f.hop}</span>}
      </button>
      <p className="doctor-text">{f.finding}</p>
      <p className="doctor-cause">
        <strong>Likely cause:</strong> {f.cause}
      </p>
      <p className="doctor-fix">
        <strong>Fix:</strong> {f.fix}
      </p>
      {other && (
        <p className="doctor-other">
          <Link to={other}>{f.side === 'server' ? 'Open the caller’s trace' : 'Open the callee’s trace'} {f.otherTraceId}</Link>
        </p>
      )}
    </li>
  );
}

export function DoctorPanel({ traceId, tree, onSelect }: { traceId: string; tree: SpanTree; onSelect(index: number): void }) {
  // Keyed by span count too: a trace still arriving is diagnosed again when it grows.
  const state = useAsync((signal) => getDiagnosis(traceId, signal), `${traceId}/${tree.spans.length}`);
  const findings = state.status === 'done' ? state.value.findings : [];
  return (
    <section className="doctor" aria-label="Propagation doctor" data-testid="doctor" data-status={state.status}>
      {state.status === 'loading' && <p className="muted">Propagation doctor: checking how the trace connects…</p>}
      {state.status === 'error' && <p className="doctor-error">Propagation doctor: could not run ({state.error.message})</p>}
      {state.status === 'done' && findings.length === 0 && (
        <p className="doctor-summary" data-testid="doctor-summary">
          <strong>Propagation doctor:</strong> {state.value.summary}
        </p>
      )}
      {state.status === 'done' && findings.length > 0 && (
        // Closed when only resource notes were found, so they do not push the waterfall down.
        <details open={opensByDefault(findings)}>
          <summary className="doctor-summary problems" data-testid="doctor-summary">
            <strong>Propagation doctor:</strong> {state.value.summary}
          </summary>
          <ul className="doctor-findings">
            {findings.map((f, i) => (
              <FindingItem key={`${f.kind}-${i}`} f={f} tree={tree} onSelect={onSelect} />
            ))}
          </ul>
        </details>
      )}
    </section>
  );
}
