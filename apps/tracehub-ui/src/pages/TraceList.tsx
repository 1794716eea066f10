import { useState } from 'react';
import { Link, navigate } from '../router';
import { formatAgo, formatMs, formatTimestamp } from '../lib/format';
import type { TraceSummary } from '../lib/types';

export function TraceList({
  traces,
  colors,
  now,
  fresh,
}: {
  traces: TraceSummary[];
  colors: Map<string, string>;
  now: number;
  fresh: ReadonlySet<string>;
}) {
  const maxMs = Math.max(...traces.map((t) => t.durationMs), 0.001);
  // Two traces picked for GET /compare?a=&b= (the first picked is a).
  const [picked, setPicked] = useState<string[]>([]);
  const toggle = (id: string) => setPicked((p) => (p.includes(id) ? p.filter((x) => x !== id) : [...p, id].slice(-2)));
  return (
    <>
      <div className="compare-bar">
        <button
          type="button"
          disabled={picked.length !== 2}
          onClick={() => navigate(`/compare?a=${picked[0]}&b=${picked[1]}`)}
          title="Compare the two picked traces span path by span path"
        >
          Compare
        </button>
        <span className="muted" data-testid="compare-picked">
          {picked.length === 2 ? 'a and b picked' : `Pick ${2 - picked.length} more ${picked.length === 1 ? 'trace' : 'traces'} to compare`}
        </span>
      </div>
      <ol className="trace-list" aria-label="Traces">
        {traces.map((t) => (
          <li key={t.traceId} className={`trace-item${t.errorCount > 0 ? ' has-error' : ''}${fresh.has(t.traceId) ? ' fresh' : ''}`} data-trace-id={t.traceId}>
            <Link to={`/trace/${t.traceId}`} className="trace-link">
              <span className="trace-title">
                <span className="svc" style={{ color: colors.get(t.rootService) }}>
                  {t.rootService || '(root not received)'}
                </span>
                <span className="op">{t.rootName}</span>
              </span>
              <span className="trace-id mono">{t.traceId.slice(0, 16)}</span>
            </Link>
            <span className="trace-meta">
              <label className="compare-pick" title="Pick two traces to compare">
                <input
                  type="checkbox"
                  checked={picked.includes(t.traceId)}
                  onChange={() => toggle(t.traceId)}
                  aria-label={`Pick ${t.traceId.slice(0, 16)} to compare`}
                />
                {picked[0] === t.traceId ? 'a' : picked[1] === t.traceId ? 'b' : 'pick'}
              </label>
              <span title={formatTimestamp(t.startMs)}>{formatAgo(t.startMs, now)}</span>
              <span>{t.spanCount} spans</span>
              {t.errorCount > 0 && <span className="badge error">{t.errorCount} {t.errorCount === 1 ? 'error' : 'errors'}</span>}
            </span>
            <span className="duration-cell">
              <span className="duration-bar">
                <span style={{ width: `${Math.max(0.5, (t.durationMs / maxMs) * 100)}%` }} />
              </span>
              <span className="duration-text">{formatMs(t.durationMs)}</span>
            </span>
            <span className="services">
              {t.services.map((s) => (
                <span key={s.name} className="chip" style={{ borderColor: colors.get(s.name) }}>
                  {s.name} {s.spanCount}
                  {s.errorCount > 0 && <span className="err-dot"> ● {s.errorCount}</span>}
                </span>
              ))}
            </span>
          </li>
        ))}
      </ol>
    </>
  );
}
