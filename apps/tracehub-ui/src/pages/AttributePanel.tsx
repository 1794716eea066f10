import { analyzeAttributes } from '../api/client';
import { ErrorBox, Loading } from '../components/Messages';
import { useAsync } from '../components/useAsync';
import { filterLabel } from '../lib/attributeFilter';
import type { AnalysisRequest, AnalysisScope, AnalysisShares, AttributeDifference } from '../lib/types';

const pct = (share: number) => (share > 0 && share < 0.005 ? '<1%' : share < 1 && share > 0.995 ? '>99%' : `${Math.round(share * 100)}%`);
const SCOPE_LABEL: Record<AnalysisScope, string> = { span: 'span', resource: 'resource', intrinsic: 'intrinsic' };
const MEASURE: Record<'traces' | 'time', string> = { traces: 'of traces', time: 'of time' };

/**
 * "What is different": attribute keys ranked by how differently their values
 * spread over the selected traces and the rest of the window, each value
 * with paired bars (selection vs the others). Clicking a value hands it to
 * `onPick` (the search adds it as a filter); `canPick` says whether it can.
 */
export function AttributePanel(props: {
  title: string;
  request: AnalysisRequest;
  onPick: (scope: AnalysisScope, key: string, value: string) => void;
  canPick: (scope: AnalysisScope, key: string, value: string) => boolean;
  onClose: () => void;
}) {
  const { request } = props;
  const result = useAsync((signal) => analyzeAttributes(request, signal), JSON.stringify(request));
  return (
    <section className="attr-panel" aria-label="What is different" data-state={result.status}>
      <header className="attr-panel-head">
        <h2>What is different about {props.title}?</h2>
        <button type="button" className="small" aria-label="Close the comparison" onClick={props.onClose}>
          ×
        </button>
      </header>
      {result.status === 'loading' && <Loading what="the comparison" />}
      {result.status === 'error' && <ErrorBox title="Comparison failed" error={result.error} />}
      {result.status === 'done' && (
        <>
          <p className="attr-summary" data-testid="attr-summary">
            {result.value.summary}
          </p>
          <p className="muted attr-counts">
            {result.value.selection.traceCount} selected {result.value.selection.traceCount === 1 ? 'trace' : 'traces'} against{' '}
            {result.value.baseline.traceCount} others in the window
            {result.value.sampled ? ' (the most recent of each set)' : ''}. Bars: <span className="swatch sel" /> selected,{' '}
            <span className="swatch base" /> others; time is span self time.
          </p>
          {result.value.attributes.length > 0 && (
            <ol className="attr-list">
              {result.value.attributes.map((a) => (
                <AttributeRow key={`${a.scope}:${a.key}`} a={a} onPick={props.onPick} canPick={props.canPick} />
              ))}
            </ol>
          )}
        </>
      )}
    </section>
  );
}

function AttributeRow({ a, onPick, canPick }: { a: AttributeDifference; onPick: (scope: AnalysisScope, key: string, value: string) => void; canPick: (scope: AnalysisScope, key: string, value: string) => boolean }) {
  return (
    <li className="attr-key" data-key={a.key} data-scope={a.scope}>
      <div className="attr-key-head">
        <span className="attr-name">{a.key}</span>
        <span className="chip">{SCOPE_LABEL[a.scope]}</span>
        <span className="attr-score" title={`largest difference in share ${MEASURE[a.by]} between the selected traces and the others`}>
          Δ {pct(a.score)} {MEASURE[a.by]}
        </span>
      </div>
      <ul className="attr-values">
        {a.values.map((v) => {
          const pickable = canPick(a.scope, a.key, v.value);
          return (
            <li key={v.value}>
              <button
                type="button"
                className="attr-value"
                data-value={v.value}
                disabled={!pickable}
                title={pickable ? `Search with ${filterLabel(a.scope, a.key, v.value)}` : 'No search field for this value'}
                onClick={() => onPick(a.scope, a.key, v.value)}
              >
                <span className="attr-value-text">{v.value}</span>
                <Bars by={a.by} sel={v.selection} base={v.baseline} />
              </button>
            </li>
          );
        })}
      </ul>
    </li>
  );
}

function Bars({ by, sel, base }: { by: 'traces' | 'time'; sel: AnalysisShares; base: AnalysisShares }) {
  const other = by === 'traces' ? 'time' : 'traces';
  return (
    <span
      className="attr-bars"
      title={`selected: ${pct(sel.traces)} of traces, ${pct(sel.time)} of time; others: ${pct(base.traces)} of traces, ${pct(base.time)} of time`}
    >
      <span className="share-row">
        <span className="share-track">
          <span className="share-bar sel" style={{ width: `${Math.max(sel[by] * 100, 0.5)}%` }} />
        </span>
        <span className="share-label">{pct(sel[by])}</span>
      </span>
      <span className="share-row">
        <span className="share-track">
          <span className="share-bar base" style={{ width: `${Math.max(base[by] * 100, 0.5)}%` }} />
        </span>
        <span className="share-label">{pct(base[by])}</span>
      </span>
      <span className="muted share-other">
        {MEASURE[other]}: {pct(sel[other])} / {pct(base[other])}
      </span>
    </span>
  );
}
