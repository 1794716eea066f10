// /compare?a=&b= and /compare?a=&baseline=auto: the answer of GET
// /api/v1/compare as a sentence and a table of span paths by impact.
import { getComparison } from '../api/client';
import { ErrorBox, Loading } from '../components/Messages';
import { useAsync } from '../components/useAsync';
import { formatMs, formatTimestamp } from '../lib/format';
import type { CompareRow, CompareSide, CompareTrace, Comparison } from '../lib/types';
import { Link, navigate, useLocation } from '../router';
import '../styles/compare.css';

/** The query parameters passed on to the API. */
const PASSED = ['a', 'b', 'baseline', 'window', 'baselineLimit'] as const;

/** Differences below this many ms are shown uncoloured. */
const NOISE_MS = 0.5;

function signedMs(ms: number): string {
  if (Math.abs(ms) < 0.05) return '±0';
  return `${ms > 0 ? '+' : '−'}${formatMs(Math.abs(ms))}`;
}

function diffClass(ms: number): string {
  return ms > NOISE_MS ? 'slower' : ms < -NOISE_MS ? 'faster' : 'same';
}

const count = (n: number) => (n === 1 ? '' : ` × ${Math.round(n * 10) / 10}`);

/** Where a click on the row goes: the first span of the path in a, else in b (a trace). */
function rowTarget(row: CompareRow, c: Comparison): string | null {
  const inA = row.a?.spanIds[0];
  if (inA) return `/trace/${c.a.traceId}?span=${inA}`;
  const inB = row.b?.spanIds[0];
  if (inB && c.b) return `/trace/${c.b.traceId}?span=${inB}`;
  return null;
}

function TraceCell({ t, label }: { t: CompareTrace; label: string }) {
  return (
    <div className="compare-trace">
      <span className="compare-side-label">{label}</span>{' '}
      <Link to={`/trace/${t.traceId}`} className="mono">
        {t.traceId.slice(0, 16)}
      </Link>{' '}
      <span className="svc">{t.rootService || '(root not received)'}</span> <span className="op">{t.rootName}</span>
      <span className="muted">
        {' '}
        · {formatMs(t.durationMs)} · {t.spanCount} spans
      </span>
      {t.error && <span className="badge error"> error</span>}
    </div>
  );
}

function SideCells({ side, baseline }: { side: CompareSide | null; baseline: boolean }) {
  if (!side) {
    return (
      <>
        <td className="num muted">—</td>
        <td className="num muted">—</td>
      </>
    );
  }
  return (
    <>
      <td className="num">
        {formatMs(side.durationMs)}
        <span className="muted">{count(side.count)}</span>
        {side.errorCount > 0 && (
          <span className="badge error" title="error spans">
            {' '}
            ● {Math.round(side.errorCount * 10) / 10}
          </span>
        )}
        {baseline && side.presence !== null && side.presence < 1 && (
          <span className="muted" title="share of baseline traces with this path">
            {' '}
            in {Math.round(side.presence * 100)} %
          </span>
        )}
      </td>
      <td className="num">{formatMs(side.selfMs)}</td>
    </>
  );
}

function Row({ row, c }: { row: CompareRow; c: Comparison }) {
  const target = rowTarget(row, c);
  const ancestors = row.segments.slice(0, -1);
  const onlyLabel = row.in === 'only-a' ? (c.baseline ? 'only in this trace' : 'only in a') : row.in === 'only-b' ? (c.baseline ? 'only in baseline' : 'only in b') : '';
  return (
    <tr
      className={`compare-row in-${row.in}${target ? ' clickable' : ''}`}
      data-path={row.path}
      data-in={row.in}
      onClick={target ? () => navigate(target) : undefined}
    >
      <td className="compare-path" title={row.path}>
        <div style={{ paddingLeft: `${Math.min(row.depth, 12) * 14}px` }}>
          {ancestors.length > 0 && <div className="breadcrumbs muted">{ancestors.join(' › ')}</div>}
          <span className="svc">{row.service}</span>{' '}
          {target ? (
            <Link to={target} className="op" onClick={(e) => e.stopPropagation()}>
              {row.name}
            </Link>
          ) : (
            <span className="op">{row.name}</span>
          )}
          {onlyLabel && <span className={`only-label ${row.in}`}>{onlyLabel}</span>}
        </div>
      </td>
      <SideCells side={row.a} baseline={false} />
      <SideCells side={row.b} baseline={c.baseline !== null} />
      <td className={`num diff ${diffClass(row.diffDurationMs)}`}>{signedMs(row.diffDurationMs)}</td>
      <td className={`num diff ${diffClass(row.diffSelfMs)}`}>{signedMs(row.diffSelfMs)}</td>
    </tr>
  );
}

function CompareView({ c }: { c: Comparison }) {
  const bLabel = c.baseline ? 'Baseline (median)' : 'b';
  return (
    <div className="compare-page">
      <section className="compare-header">
        <h1>Compare</h1>
        <TraceCell t={c.a} label="a" />
        {c.b && <TraceCell t={c.b} label="b" />}
        {c.baseline && (
          <div className="compare-trace">
            <span className="compare-side-label">baseline</span> {c.baseline.traceCount} traces with root{' '}
            <span className="svc">{c.a.rootService}</span> <span className="op">{c.a.rootName}</span>
            <span className="muted">
              {' '}
              started {formatTimestamp(c.baseline.startMs)} – {formatTimestamp(c.baseline.endMs)}
            </span>
          </div>
        )}
        <p className="compare-summary" role="status" data-testid="compare-summary">
          {c.summary}
        </p>
      </section>
      <table className="compare-table" aria-label="Span paths by impact">
        <thead>
          <tr>
            <th>Span path</th>
            <th className="num">a</th>
            <th className="num">a self</th>
            <th className="num">{bLabel}</th>
            <th className="num">{c.baseline ? 'self (median)' : 'b self'}</th>
            <th className="num">Δ duration</th>
            <th className="num">Δ self</th>
          </tr>
        </thead>
        <tbody>
          {c.rows.map((r) => (
            <Row key={r.path} row={r} c={c} />
          ))}
        </tbody>
      </table>
      <p className="muted compare-legend">
        Δ = a − {c.baseline ? 'baseline median' : 'b'}: <span className="diff slower">slower in a</span>,{' '}
        <span className="diff faster">faster in a</span>. Sorted by impact (the change in self time, plus the duration of a path on one side only).
        Click a row to open its first span.
      </p>
    </div>
  );
}

export function ComparePage() {
  const { params } = useLocation();
  const q = new URLSearchParams();
  for (const k of PASSED) {
    const v = params.get(k);
    if (v !== null && v !== '') q.set(k, v);
  }
  const key = q.toString();
  const state = useAsync((signal) => getComparison(q, signal), key);
  if (state.status === 'loading') return <Loading what="the comparison" />;
  if (state.status === 'error') {
    return (
      <div>
        <ErrorBox title="Cannot compare" error={state.error} />
        <p className="message">
          {params.get('a') ? (
            <>
              <Link to={`/trace/${params.get('a')}`}>Back to the trace</Link> ·{' '}
            </>
          ) : null}
          <Link to="/">Search</Link>
        </p>
      </div>
    );
  }
  return <CompareView c={state.value} />;
}
