import { useCallback, useDeferredValue, useEffect, useMemo, useRef, useState } from 'react';
import { getIncomingLinks } from '../api/client';
import { findFolds, unfoldFor } from '../lib/foldSiblings';
import { LARGE_TRACE_SPANS, useTraceFind } from './useTraceFind';
import { useAsync } from '../components/useAsync';
import { criticalPathColumns, spanSections } from '../lib/criticalPath';
import { findSpans } from '../lib/findSpans';
import type { SpanTree } from '../lib/spanTree';
import type { TraceDetail } from '../lib/types';
import { collapseAll, collapseOneLevel, expandOneLevel, revealSpan, visibleRows } from '../lib/visibleRows';
import { traceHref, type TraceViewId } from '../lib/traceViews';
import { whatFailed } from '../lib/whatFailed';
import { navigate } from '../router';
import { FlameGraph } from './FlameGraph';
import { SpanList } from './SpanList';
import { StatsTable } from './StatsTable';
import { ViewSwitcher } from './ViewSwitcher';
import { DoctorPanel } from './DoctorPanel';
import { SpanDetail } from './SpanDetail';
import { TraceHeader } from './TraceHeader';
import { useTraceSource } from './traceSource';
import { Waterfall, type WaterfallHandle } from './Waterfall';

export interface TraceViewProps {
  trace: TraceDetail;
  tree: SpanTree;
  colors: Map<string, string>;
  selectedSpanId: string;
  view: TraceViewId;
  /** Where a selection goes; by default the page URL (?span=). */
  onSelectSpan?: (spanId: string) => void;
  /** Where a view switch goes; by default the page URL (?view=). */
  onSelectView?: (view: TraceViewId) => void;
  /** The page shows this span's subtree (?root=); kept in the page's links. */
  root?: string;
}

export function TraceView({ trace, tree, colors, selectedSpanId, view, onSelectSpan, onSelectView, root }: TraceViewProps) {
  const [collapsed, setCollapsed] = useState<ReadonlySet<number>>(() => new Set());
  const folds = useMemo(() => findFolds(tree), [tree]);
  const [unfolded, setUnfolded] = useState<ReadonlySet<number>>(() => new Set());
  const [doctorAsked, setDoctorAsked] = useState(false);
  const [showCriticalPath, setShowCriticalPath] = useState(true);
  const [query, setQuery] = useState('');
  const deferredQuery = useDeferredValue(query);
  const [matchCursor, setMatchCursor] = useState(0);
  const waterfall = useRef<WaterfallHandle>(null);
  const findInput = useRef<HTMLInputElement>(null);

  const rows = useMemo(() => visibleRows(tree, collapsed, folds, unfolded), [tree, collapsed, folds, unfolded]);
  const critical = useMemo(() => spanSections(tree.spans.length, criticalPathColumns(tree)), [tree]);
  const failure = useMemo(() => whatFailed(tree), [tree]);
  const selected = selectedSpanId ? (tree.indexById.get(selectedSpanId) ?? -1) : -1;
  const traceId = trace.summary.traceId;
  // Incoming links are looked up once per trace while the span panel is open (none when it never opens,
  // and never in the offline file, which has no hub to ask).
  const source = useTraceSource();
  // Large traces are searched by the hub (the same rule); small ones and the offline file here.
  const found = useTraceFind(tree, traceId, deferredQuery, source.online);
  const matches = found.matches;
  const matchSet = useMemo(() => new Set(matches), [matches]);
  const wantLinks = source.online && selected >= 0;
  const incoming = useAsync((signal) => (wantLinks ? getIncomingLinks(traceId, signal) : Promise.resolve([])), wantLinks ? traceId : '');

  const select = useCallback(
    (index: number, opts: { reveal?: boolean } = {}) => {
      const id = index >= 0 ? tree.spans[index]!.spanId : '';
      if (onSelectSpan) onSelectSpan(id);
      else navigate(traceHref(traceId, { view, span: id, root }), { replace: true });
      if (index >= 0 && opts.reveal && view === 'timeline') {
        setCollapsed((c) => {
          const next = revealSpan(tree, c, index);
          return next.size === c.size ? c : next;
        });
        setUnfolded((u) => unfoldFor(tree, folds, u, index));
        // Scroll after the reveal has re-rendered the rows.
        requestAnimationFrame(() => waterfall.current?.scrollToSpan(index));
      }
    },
    [tree, traceId, view, onSelectSpan, root, folds],
  );

  // Back on the timeline from another view: show the selected span there.
  const firstView = useRef(true);
  useEffect(() => {
    if (firstView.current) {
      firstView.current = false;
      return;
    }
    if (view === 'timeline' && selected >= 0) select(selected, { reveal: true });
    // Only when the view changes.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [view]);

  // A ?span= in the URL on arrival: show that span.
  useEffect(() => {
    if (selected >= 0) select(selected, { reveal: true });
    // Only on first render: later selections come from the user.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const goToMatch = (k: number) => {
    // Enter can come before the deferred search has caught up with the typing.
    const list = deferredQuery === query || found.remote ? matches : findSpans(tree, query);
    if (list.length === 0) return;
    const m = ((k % list.length) + list.length) % list.length;
    setMatchCursor(m);
    select(list[m]!, { reveal: true });
  };

  useEffect(() => setMatchCursor(0), [deferredQuery]);

  // "/" focuses find from anywhere on the page except other inputs.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const t = e.target as HTMLElement | null;
      if (e.key !== '/' || e.ctrlKey || e.metaKey || e.altKey) return;
      if (t && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.isContentEditable)) return;
      // Find belongs to the timeline; other views leave "/" alone.
      if (!findInput.current || findInput.current.offsetParent === null) return;
      e.preventDefault();
      findInput.current?.focus();
      findInput.current?.select();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const toggle = useCallback((index: number) => {
    setCollapsed((c) => {
      const next = new Set(c);
      if (next.has(index)) next.delete(index);
      else next.add(index);
      return next;
    });
  }, []);

  return (
    <div className={`trace-view${selected >= 0 ? ' with-detail' : ''}`}>
      <TraceHeader
        trace={trace}
        tree={tree}
        colors={colors}
        failure={failure}
        onJump={() => failure && select(failure.index, { reveal: true })}
      />
      <ViewSwitcher
        view={view}
        onChange={(v) => (onSelectView ? onSelectView(v) : navigate(traceHref(traceId, { view: v, span: selected >= 0 ? tree.spans[selected]!.spanId : '', root })))}
      />
      {/* The doctor asks the hub about other traces: not in the offline file. */}
      {source.online && (tree.spans.length <= LARGE_TRACE_SPANS || doctorAsked) && (
        <DoctorPanel traceId={trace.summary.traceId} tree={tree} onSelect={(i) => select(i, { reveal: view === 'timeline' })} />
      )}
      {/* A large trace is diagnosed on request: the hub reads the whole trace again for it. */}
      {source.online && tree.spans.length > LARGE_TRACE_SPANS && !doctorAsked && (
        <p className="doctor muted" data-testid="doctor-ask">
          <button type="button" className="small" onClick={() => setDoctorAsked(true)}>
            Run the propagation doctor
          </button>{' '}
          (not run by itself on traces over {LARGE_TRACE_SPANS.toLocaleString('en')} spans)
        </p>
      )}
      <div className="toolbar" role="toolbar" aria-label="Waterfall controls" hidden={view !== 'timeline'}>
        <span className="find">
          <input
            ref={findInput}
            type="search"
            value={query}
            placeholder="Find spans (press /)"
            aria-label="Find in trace"
            onChange={(e) => setQuery(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') {
                e.preventDefault();
                goToMatch(matchCursor + (e.shiftKey ? -1 : matches[matchCursor] === selected ? 1 : 0));
              } else if (e.key === 'Escape') {
                setQuery('');
                waterfall.current?.focus();
              } else if (e.key === 'ArrowDown') {
                e.preventDefault();
                waterfall.current?.focus();
              }
            }}
          />
          {deferredQuery.trim() && (
            <span className="match-count" data-testid="match-count">
              {found.pending ? 'searching…' : found.error ? found.error : matches.length === 0 ? 'no matches' : `${matchCursor + 1} of ${matches.length}`}
            </span>
          )}
          <button type="button" className="small" disabled={!matches.length} onClick={() => goToMatch(matchCursor - 1)} aria-label="Previous match">
            ↑
          </button>
          <button type="button" className="small" disabled={!matches.length} onClick={() => goToMatch(matchCursor + (matches[matchCursor] === selected ? 1 : 0))} aria-label="Next match">
            ↓
          </button>
        </span>
        <span className="tree-buttons">
          <button type="button" className="small" onClick={() => setCollapsed(collapseAll(tree))}>
            Collapse all
          </button>
          <button type="button" className="small" onClick={() => setCollapsed(collapseOneLevel(tree, collapsed))}>
            Collapse one level
          </button>
          <button type="button" className="small" onClick={() => setCollapsed(expandOneLevel(tree, collapsed))}>
            Expand one level
          </button>
          <button type="button" className="small" onClick={() => setCollapsed(new Set())}>
            Expand all
          </button>
          <label className="check">
            <input type="checkbox" checked={showCriticalPath} onChange={(e) => setShowCriticalPath(e.target.checked)} />
            Critical path
          </label>
        </span>
        <span className="muted row-count">
          {rows.length === tree.spans.length ? `${rows.length} spans` : `${rows.length} of ${tree.spans.length} spans shown`}
        </span>
      </div>
      <div className="trace-body">
        {view === 'flame' && <FlameGraph tree={tree} colors={colors} critical={critical} selected={selected} onSelect={(i) => select(i)} />}
        {view === 'stats' && <StatsTable tree={tree} colors={colors} selected={selected} onSelect={(i) => select(i)} />}
        {view === 'spans' && <SpanList tree={tree} colors={colors} selected={selected} onSelect={(i) => select(i)} />}
        {view === 'timeline' && (
          <Waterfall
            ref={waterfall}
            tree={tree}
            rows={rows}
            collapsed={collapsed}
            colors={colors}
            critical={showCriticalPath ? critical : null}
            matches={matchSet}
            folds={folds}
            unfolded={unfolded}
            onFold={(first, fold) =>
              setUnfolded((u) => {
                if (u.has(first) !== fold) return u;
                const next = new Set(u);
                if (fold) next.delete(first);
                else next.add(first);
                return next;
              })
            }
            currentMatch={deferredQuery.trim() ? (matches[matchCursor] ?? -1) : -1}
            selected={selected}
            onSelect={(i) => select(i)}
            onToggle={toggle}
            onCollapse={(i, value) =>
              setCollapsed((c) => {
                if (c.has(i) === value) return c;
                const next = new Set(c);
                if (value) next.add(i);
                else next.delete(i);
                return next;
              })
            }
          />
        )}
        {selected >= 0 && (
          <SpanDetail
            key={selected}
            tree={tree}
            index={selected}
            color={colors.get(tree.spans[selected]!.service) ?? '#888'}
            onClose={() => {
              select(-1);
              waterfall.current?.focus();
            }}
            onSelect={(i) => select(i, { reveal: true })}
            incoming={incoming}
          />
        )}
      </div>
    </div>
  );
}
