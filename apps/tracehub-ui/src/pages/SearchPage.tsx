import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { searchTraces, subscribeLive } from '../api/client';
import { EmptyState, ErrorBox, Loading } from '../components/Messages';
import { serviceColors } from '../lib/colors';
import {
  DEFAULT_SEARCH,
  liveMatch,
  parseSearch,
  searchToApiParams,
  searchToParams,
  timeWindow,
  upsertSummary,
  type SearchState,
} from '../lib/searchState';
import type { TraceSummary } from '../lib/types';
import { navigate, useLocation } from '../router';
import { ScatterPlot, type PlotBox } from './ScatterPlot';
import { AttributePanel } from './AttributePanel';
import { analysisWindow, boxSelection, filterForValue } from '../lib/attributeFilter';
import type { AnalysisRequest, AnalysisScope } from '../lib/types';
import { SearchForm } from './SearchForm';
import { ImportButton } from './ImportButton';
import { TraceList } from './TraceList';
import { isMetricsQuery, metricsApiParams } from '../lib/metricsChart';
import { MetricsChart } from './MetricsChart';

type Results = { status: 'loading' } | { status: 'error'; error: Error } | { status: 'done'; traces: TraceSummary[] };

export function SearchPage() {
  const { params } = useLocation();
  const queryString = params.toString();
  const search = useMemo(() => parseSearch(new URLSearchParams(queryString)), [queryString]);
  const [results, setResults] = useState<Results>({ status: 'loading' });
  const [reload, setReload] = useState(0);
  const [now, setNow] = useState(() => Date.now());

  const metrics = isMetricsQuery(search.q);
  useEffect(() => {
    if (metrics) return;
    const ac = new AbortController();
    setResults((r) => (r.status === 'done' ? r : { status: 'loading' }));
    const t = Date.now();
    searchTraces(searchToApiParams(search, t), ac.signal).then(
      (traces) => {
        setNow(t);
        setResults({ status: 'done', traces });
      },
      (error: Error) => !ac.signal.aborted && setResults({ status: 'error', error }),
    );
    return () => ac.abort();
  }, [search, reload, metrics]);

  const live = useLive(search, setResults, () => setReload((n) => n + 1));
  const [analysis, setAnalysis] = useState<{ title: string; request: AnalysisRequest; box: PlotBox | null } | null>(null);
  // A new search starts without a comparison.
  useEffect(() => setAnalysis(null), [queryString]);

  const onSearch = (s: SearchState) => {
    const qs = searchToParams(s).toString();
    // Searching again with the same filters still refreshes the results.
    if (qs === queryString) setReload((n) => n + 1);
    else navigate(qs ? `/?${qs}` : '/');
  };

  const traces = results.status === 'done' ? results.traces : [];
  const colors = useMemo(() => serviceColors(traces.flatMap((t) => t.services.map((s) => s.name))), [traces]);
  const filtered = queryString !== '' && queryString !== searchToParams(DEFAULT_SEARCH).toString();
  const windowFor = () => analysisWindow(search, Date.now(), Math.min(...traces.map((t) => t.startMs)));
  const compareBox = (box: PlotBox) =>
    setAnalysis({ title: 'the traces in the box', box, request: { selection: boxSelection(box), ...windowFor() } });
  const compareErrors = () => setAnalysis({ title: 'errors', box: null, request: { selection: { status: 'error' }, ...windowFor() } });
  const pick = (scope: AnalysisScope, key: string, value: string) => {
    const next = filterForValue(search, scope, key, value);
    if (next) onSearch(next);
  };

  // The metrics chart's window ends when its search was made (or made again).
  const metricsNow = useMemo(() => Date.now(), [queryString, reload]);
  if (metrics) {
    // A metrics query (`{ } | rate() ...`) answers with series, drawn instead of the trace list.
    return (
      <div className="search-page">
        <SearchForm value={search} onSearch={onSearch} />
        <MetricsChart key={reload} params={metricsApiParams(search.q, timeWindow(search, metricsNow), metricsNow)} />
      </div>
    );
  }

  return (
    <div className="search-page">
      <SearchForm value={search} onSearch={onSearch} />
      <div className="results-bar">
        <span className="results-count" data-testid="results-count">
          {results.status === 'done' ? `${traces.length} traces` : ''}
        </span>
        <LiveControls live={live} />
        {results.status === 'done' && traces.length > 0 && (
          <a
            href={`/api/v1/export?${searchToApiParams(search, now)}`}
            download
            className="export-link"
            title="These traces as OTLP/JSON lines, one trace per line (import them into any tracehub)"
          >
            Export results
          </a>
        )}
        <ImportButton onImported={() => setReload((n) => n + 1)} />
      </div>
      {results.status === 'error' && <ErrorBox title="Search failed" error={results.error} />}
      {results.status === 'loading' && <Loading what="traces" />}
      {results.status === 'done' && traces.length === 0 && !live.on && (
        filtered ? (
          <EmptyState title="No traces match this search.">
            <p>Widen the time range, remove a filter, or turn on Live to wait for new traces.</p>
          </EmptyState>
        ) : (
          <EmptyState title="No traces yet.">
            <p>
              Send some: run <code>npm run scenario -- all</code>, or point an OpenTelemetry SDK at the OTLP endpoint
              (<code>http://127.0.0.1:4318</code>), then search again or turn on Live.
            </p>
          </EmptyState>
        )
      )}
      {results.status === 'done' && traces.length === 0 && live.on && (
        <EmptyState title="Waiting for traces…">
          <p>
            New traces appear here as they arrive. Run <code>npm run scenario -- all</code> to send some.
          </p>
        </EmptyState>
      )}
      {traces.length > 0 && (
        <>
          <ScatterPlot traces={traces} onSelectBox={compareBox} box={analysis?.box ?? null} />
          <div className="scatter-hint muted">
            <span>Drag a box on the plot to see what is different about those traces.</span>
            {traces.some((t) => t.errorCount > 0) && (
              <button type="button" className="small" onClick={compareErrors}>
                What is different about errors?
              </button>
            )}
          </div>
          {analysis && (
            <AttributePanel
              title={analysis.title}
              request={analysis.request}
              onPick={pick}
              canPick={(scope, key, value) => filterForValue(search, scope, key, value) !== null}
              onClose={() => setAnalysis(null)}
            />
          )}
          <TraceList traces={traces} colors={colors} now={Math.max(now, live.lastEventAt)} fresh={live.fresh} />
        </>
      )}
    </div>
  );
}

interface Live {
  on: boolean;
  paused: boolean;
  pending: number;
  connection: 'open' | 'reconnecting' | 'connecting';
  fresh: ReadonlySet<string>;
  lastEventAt: number;
  toggle: () => void;
  togglePause: () => void;
}

function useLive(search: SearchState, setResults: (f: (r: Results) => Results) => void, refetch: () => void): Live {
  const [on, setOn] = useState(false);
  const [paused, setPaused] = useState(false);
  const [connection, setConnection] = useState<Live['connection']>('connecting');
  const [fresh, setFresh] = useState<ReadonlySet<string>>(new Set());
  const [lastEventAt, setLastEventAt] = useState(0);
  const buffer = useRef<TraceSummary[]>([]);
  const [pending, setPending] = useState(0);
  const refetchTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  const apply = useCallback(
    (batch: TraceSummary[]) => {
      const t = Date.now();
      let needsServer = false;
      const accepted: TraceSummary[] = [];
      for (const s of batch) {
        const m = liveMatch(search, s, t);
        if (m === true) accepted.push(s);
        else if (m === undefined) needsServer = true;
      }
      if (accepted.length > 0) {
        setResults((r) => {
          const base = r.status === 'done' ? r.traces : [];
          return { status: 'done', traces: accepted.reduce((list, s) => upsertSummary(list, s, search.limit), base) };
        });
        setFresh(new Set(accepted.map((s) => s.traceId)));
        setLastEventAt(t);
      }
      if (needsServer) {
        // Filters a summary cannot answer: let the server decide, at most once a second.
        clearTimeout(refetchTimer.current);
        refetchTimer.current = setTimeout(refetch, 1000);
      }
    },
    [search, setResults, refetch],
  );

  const pausedRef = useRef(paused);
  pausedRef.current = paused;
  const applyRef = useRef(apply);
  applyRef.current = apply;

  useEffect(() => {
    if (!on) return;
    setConnection('connecting');
    const close = subscribeLive(
      (s) => {
        if (pausedRef.current) {
          buffer.current = [...buffer.current.filter((x) => x.traceId !== s.traceId), s];
          setPending(buffer.current.length);
        } else {
          applyRef.current([s]);
        }
      },
      setConnection,
    );
    return () => {
      close();
      clearTimeout(refetchTimer.current);
    };
  }, [on]);

  return {
    on,
    paused,
    pending,
    connection,
    fresh,
    lastEventAt,
    toggle: () => {
      setOn((v) => !v);
      setPaused(false);
      buffer.current = [];
      setPending(0);
    },
    togglePause: () => {
      if (paused) {
        applyRef.current(buffer.current);
        buffer.current = [];
        setPending(0);
      }
      setPaused(!paused);
    },
  };
}

function LiveControls({ live }: { live: Live }) {
  return (
    <span className="live-controls">
      <button type="button" className={live.on ? 'live-on' : ''} aria-pressed={live.on} onClick={live.toggle}>
        {live.on ? '● Live' : 'Live'}
      </button>
      {live.on && (
        <>
          <button type="button" onClick={live.togglePause} aria-pressed={live.paused}>
            {live.paused ? `Resume${live.pending ? ` (${live.pending} new)` : ''}` : 'Pause'}
          </button>
          <span className="muted live-state" data-live-state={live.connection}>
            {live.connection === 'open'
              ? live.paused
                ? 'paused'
                : 'listening for new traces'
              : live.connection === 'connecting'
                ? 'connecting…'
                : 'connection lost, retrying…'}
          </span>
        </>
      )}
    </span>
  );
}
