import { useEffect, useMemo, useState } from 'react';
import { getTrace } from '../api/client';
import { compactParentIndex } from '../api/convertCompact';
import { ErrorBox, Loading } from '../components/Messages';
import { serviceColors } from '../lib/colors';
import { buildSpanTree } from '../lib/spanTree';
import { parseTraceView, traceHref } from '../lib/traceViews';
import { Link, useLocation } from '../router';
import { TraceView } from '../trace/TraceView';
import { ApiError } from '../api/client';

type Loaded = Awaited<ReturnType<typeof getTrace>>;
type State = { status: 'loading' } | { status: 'error'; error: Error } | { status: 'done'; trace: Loaded };

export function TracePage({ traceId }: { traceId: string }) {
  const { params } = useLocation();
  const [state, setState] = useState<State>({ status: 'loading' });
  // ?root=<spanId>: only that span's subtree, as the hub sends it.
  const root = params.get('root') ?? '';
  // ?wire=json on arrival: the JSON detail instead of the compact one (bench:ui compares the two);
  // read once, since the page's own links (views, selection) do not carry it.
  const [wire] = useState<'json' | 'compact'>(() => (params.get('wire') === 'json' ? 'json' : 'compact'));

  useEffect(() => {
    const ac = new AbortController();
    setState({ status: 'loading' });
    getTrace(traceId, ac.signal, root || undefined, wire).then(
      (trace) => {
        // Benchmarks measure from here (data arrived and converted) to an interactive waterfall.
        performance.mark('trace-converted');
        setState({ status: 'done', trace });
      },
      (error: Error) => !ac.signal.aborted && setState({ status: 'error', error }),
    );
    return () => ac.abort();
  }, [traceId, root, wire]);

  const tree = useMemo(() => (state.status === 'done' ? buildSpanTree(state.trace.spans, compactParentIndex(state.trace.spans)) : null), [state]);
  const colors = useMemo(() => {
    if (!tree) return new Map<string, string>();
    const names = new Set<string>();
    for (const s of tree.spans) names.add(s.service);
    return serviceColors(names);
  }, [tree]);

  if (state.status === 'loading') return <Loading what={`trace ${traceId}`} />;
  if (state.status === 'error') {
    const notFound = state.error instanceof ApiError && state.error.status === 404;
    return (
      <div>
        <ErrorBox title={notFound ? 'Trace not found' : 'Could not load the trace'} error={state.error} />
        <p className="message">
          {notFound
            ? 'Spans may still be on their way (exporters batch for a few seconds), or the trace is older than the retention. '
            : ''}
          <Link to="/">Back to search</Link>
        </p>
      </div>
    );
  }
  if (!tree || tree.spans.length === 0) {
    return <ErrorBox title="Empty trace" error={new Error('This trace has no spans yet. Reload in a few seconds.')} />;
  }
  const sub = state.trace.subtree;
  return (
    <>
      {sub && (
        <p className="message subtree-note" data-testid="subtree-note">
          Showing the subtree of span <code>{sub.rootSpanId}</code>: {tree.spans.length.toLocaleString('en')} of{' '}
          {sub.traceSpanCount.toLocaleString('en')} spans. <Link to={traceHref(traceId)}>Show the whole trace</Link>
        </p>
      )}
      <TraceView
        key={`${traceId}/${root}`}
        trace={state.trace}
        tree={tree}
        colors={colors}
        selectedSpanId={params.get('span') ?? ''}
        view={parseTraceView(params.get('view'))}
        root={root || undefined}
      />
    </>
  );
}
