// The offline trace file's page: the trace view of the app over the embedded data,
// with the explanation tracehub gave when it wrote the file. No request is ever made.
import { useMemo, useState } from 'react';
import { formatTimestamp } from '../lib/format';
import { serviceColors } from '../lib/colors';
import { buildSpanTree } from '../lib/spanTree';
import type { TraceViewId } from '../lib/traceViews';
import { TraceView } from '../trace/TraceView';
import { TraceSourceContext, type TraceSource } from '../trace/traceSource';
import { logsOfSpan, type OfflineData } from './offlineData';

export function OfflineApp({ data }: { data: OfflineData }) {
  const tree = useMemo(() => buildSpanTree(data.trace.spans), [data]);
  const colors = useMemo(() => serviceColors(new Set(tree.spans.map((s) => s.service))), [tree]);
  const [selected, setSelected] = useState('');
  const [view, setView] = useState<TraceViewId>('timeline');
  const source = useMemo<TraceSource>(() => ({ online: false, logs: async (_t, spanId) => logsOfSpan(data.logs, spanId) }), [data]);
  const explain = data.explain;
  return (
    <div className="app offline">
      <header className="topbar">
        <span className="brand">tracehub</span>
        <span className="offline-note" data-testid="offline-note">
          Offline copy of trace {data.trace.summary.traceId}
          {data.exportedAt && `, exported ${formatTimestamp(Date.parse(data.exportedAt))}`}
          {data.source && ` from ${data.source}`}
        </span>
      </header>
      <main className="content">
        {explain && (
          <section className={`offline-explain explain ${explain.status}`} data-testid="offline-explain" aria-label="Explanation">
            <strong>Explanation:</strong> <span className="explain-summary">{explain.summary}</span>
            {explain.chain.length > 0 && (
              <ol className="explain-chain">
                {explain.chain.map((c) => (
                  <li key={c.spanId}>
                    <button type="button" className="small" onClick={() => setSelected(c.spanId)}>
                      {c.service}: {c.name}
                    </button>{' '}
                    <span className="muted">{c.role}</span>
                  </li>
                ))}
              </ol>
            )}
          </section>
        )}
        {tree.spans.length === 0 ? (
          <p className="message">This file holds no spans.</p>
        ) : (
          <TraceSourceContext.Provider value={source}>
            <TraceView trace={data.trace} tree={tree} colors={colors} selectedSpanId={selected} view={view} onSelectSpan={setSelected} onSelectView={setView} />
          </TraceSourceContext.Provider>
        )}
      </main>
    </div>
  );
}
