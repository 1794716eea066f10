import { TRACE_VIEWS, type TraceViewId } from '../lib/traceViews';

/** Tabs for the trace page's views. */
export function ViewSwitcher({ view, onChange }: { view: TraceViewId; onChange(view: TraceViewId): void }) {
  return (
    <div className="view-switcher" role="tablist" aria-label="Trace view">
      {TRACE_VIEWS.map((v) => (
        <button
          key={v.id}
          type="button"
          role="tab"
          aria-selected={v.id === view}
          className={v.id === view ? 'active' : ''}
          data-view={v.id}
          onClick={() => onChange(v.id)}
        >
          {v.label}
        </button>
      ))}
    </div>
  );
}
