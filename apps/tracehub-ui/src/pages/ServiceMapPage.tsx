import { useEffect, useMemo, useState } from 'react';
import { getTrace, searchTraces } from '../api/client';
import { EmptyState, ErrorBox } from '../components/Messages';
import { serviceColors } from '../lib/colors';
import { formatMs } from '../lib/format';
import { RANGES, type RangeKey } from '../lib/searchState';
import { buildServiceMap, layoutServiceMap, type ServiceMap } from '../lib/serviceMap';
import type { SpanData } from '../lib/types';
import { Link, navigate, useLocation } from '../router';

// The map is computed in the browser from whole traces, so cap what it fetches.
const MAX_TRACES = 200;
const CONCURRENCY = 4;

type State =
  | { status: 'loading'; loaded: number; total: number }
  | { status: 'error'; error: Error }
  | { status: 'done'; map: ServiceMap };

export function ServiceMapPage() {
  const { params } = useLocation();
  const raw = params.get('range') ?? '1h';
  const range: RangeKey = raw in RANGES || raw === 'all' ? (raw as RangeKey) : '1h';
  const [state, setState] = useState<State>({ status: 'loading', loaded: 0, total: 0 });
  const [reload, setReload] = useState(0);

  useEffect(() => {
    const ac = new AbortController();
    (async () => {
      setState({ status: 'loading', loaded: 0, total: 0 });
      const q = new URLSearchParams({ limit: String(MAX_TRACES) });
      if (range !== 'all' && range !== 'custom') q.set('start', String(Date.now() - RANGES[range]));
      const summaries = await searchTraces(q, ac.signal);
      const traces: SpanData[][] = [];
      let next = 0;
      const worker = async () => {
        while (next < summaries.length && !ac.signal.aborted) {
          const t = summaries[next++]!;
          traces.push((await getTrace(t.traceId, ac.signal)).spans);
          setState({ status: 'loading', loaded: traces.length, total: summaries.length });
        }
      };
      await Promise.all(Array.from({ length: CONCURRENCY }, worker));
      if (!ac.signal.aborted) setState({ status: 'done', map: buildServiceMap(traces) });
    })().catch((error: Error) => !ac.signal.aborted && setState({ status: 'error', error }));
    return () => ac.abort();
  }, [range, reload]);

  return (
    <div className="map-page">
      <div className="map-controls">
        <label>
          Time range{' '}
          <select value={range} onChange={(e) => navigate(`/map?range=${e.target.value}`)}>
            {Object.keys(RANGES).map((r) => (
              <option key={r} value={r}>
                Last {r}
              </option>
            ))}
            <option value="all">All time</option>
          </select>
        </label>
        <button type="button" onClick={() => setReload((n) => n + 1)}>
          Refresh
        </button>
        <span className="muted">Computed from the latest {MAX_TRACES} traces in the range.</span>
      </div>
      {state.status === 'loading' && (
        <div className="message loading">
          Loading traces{state.total ? ` ${state.loaded} of ${state.total}` : ''}…
        </div>
      )}
      {state.status === 'error' && <ErrorBox title="Could not build the service map" error={state.error} />}
      {state.status === 'done' && state.map.traceCount === 0 && (
        <EmptyState title="No traces in this time range.">
          <p>
            Run <code>npm run scenario -- all</code> to send some, or pick a longer range.
          </p>
        </EmptyState>
      )}
      {state.status === 'done' && state.map.traceCount > 0 && <MapView map={state.map} />}
    </div>
  );
}

const NODE_W = 180;
const NODE_H = 54;
const COL_GAP = 150;
const ROW_GAP = 40;

function MapView({ map }: { map: ServiceMap }) {
  const placed = useMemo(() => layoutServiceMap(map), [map]);
  const colors = useMemo(() => serviceColors(map.nodes.map((n) => n.name)), [map]);
  const pos = new Map(placed.map((p) => [p.name, { x: 20 + p.layer * (NODE_W + COL_GAP), y: 20 + p.row * (NODE_H + ROW_GAP) }]));
  const width = Math.max(...placed.map((p) => p.layer), 0) * (NODE_W + COL_GAP) + NODE_W + 40;
  const height = Math.max(...placed.map((p) => p.row), 0) * (NODE_H + ROW_GAP) + NODE_H + 40;
  const nodes = new Map(map.nodes.map((n) => [n.name, n]));

  return (
    <>
      <p className="muted">
        {map.nodes.length} services, {map.edges.length} connections, from {map.traceCount} traces.
      </p>
      <svg className="service-map" viewBox={`0 0 ${width} ${height}`} width={width} height={height} role="img" aria-label="Service map">
        <defs>
          <marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse">
            <path d="M 0 0 L 10 5 L 0 10 z" className="arrow-head" />
          </marker>
        </defs>
        {map.edges.map((e) => {
          const a = pos.get(e.from)!;
          const b = pos.get(e.to)!;
          const x1 = a.x + NODE_W;
          const y1 = a.y + NODE_H / 2;
          const backwards = b.x <= a.x;
          const x2 = backwards ? b.x + NODE_W / 2 : b.x;
          const y2 = backwards ? b.y : b.y + NODE_H / 2;
          const mx = (x1 + x2) / 2;
          const d = `M ${x1} ${y1} C ${mx} ${y1}, ${mx} ${y2}, ${x2} ${y2}`;
          return (
            <g key={`${e.from}->${e.to}`} className={e.errors > 0 ? 'edge has-errors' : 'edge'}>
              <path d={d} markerEnd="url(#arrow)" />
              <text x={mx} y={(y1 + y2) / 2 - 6} textAnchor="middle">
                {`${e.requests} req · ${(e.errorRate * 100).toFixed(1)}% err · p95 ${formatMs(e.p95Ms)}`}
              </text>
            </g>
          );
        })}
        {placed.map((p) => {
          const { x, y } = pos.get(p.name)!;
          const n = nodes.get(p.name)!;
          return (
            <g key={p.name} className={n.errorCount > 0 ? 'node has-errors' : 'node'}>
              <rect x={x} y={y} width={NODE_W} height={NODE_H} rx={8} style={{ stroke: colors.get(p.name) }} />
              <text x={x + NODE_W / 2} y={y + 22} textAnchor="middle" className="node-name">
                {p.name}
              </text>
              <text x={x + NODE_W / 2} y={y + 40} textAnchor="middle" className="node-stats">
                {`${n.spanCount} spans${n.errorCount ? ` · ${n.errorCount} errors` : ''}`}
              </text>
            </g>
          );
        })}
      </svg>
      <table className="edges-table">
        <thead>
          <tr>
            <th>Caller</th>
            <th>Callee</th>
            <th>Requests</th>
            <th>Error rate</th>
            <th>p95 latency</th>
          </tr>
        </thead>
        <tbody>
          {map.edges.map((e) => (
            <tr key={`${e.from}->${e.to}`}>
              <td>
                <Link to={`/?service=${encodeURIComponent(e.from)}`}>{e.from}</Link>
              </td>
              <td>
                <Link to={`/?service=${encodeURIComponent(e.to)}`}>{e.to}</Link>
              </td>
              <td>{e.requests}</td>
              <td className={e.errors ? 'status-error' : ''}>{(e.errorRate * 100).toFixed(1)}%</td>
              <td>{formatMs(e.p95Ms)}</td>
            </tr>
          ))}
          {map.edges.length === 0 && (
            <tr>
              <td colSpan={5} className="muted">
                No calls between services in these traces.
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </>
  );
}
