import { useEffect, useMemo, useState, type KeyboardEvent } from 'react';
import { getEdgeTraces, getServiceMap } from '../api/client';
import { EmptyState, ErrorBox, Loading } from '../components/Messages';
import { WINDOWS_MS, WindowControls, windowFrom, type WindowKey } from '../components/WindowControls';
import { serviceColors } from '../lib/colors';
import { formatMs, formatTimestamp } from '../lib/format';
import {
  edgeLabel,
  formatErrorRate,
  formatRate,
  layoutServiceMap,
  nodeStats,
  type MapEdge,
  type MapNode,
  type ServiceMap,
} from '../lib/serviceMap';
import type { TraceSummary } from '../lib/types';
import { Link, navigate, useLocation } from '../router';

/** The windows the map offers. */
const OFFERED = ['15m', '1h', '6h', '24h'] as const;

type State =
  | { status: 'loading' }
  | { status: 'error'; error: Error }
  | { status: 'done'; map: ServiceMap; startMs: number; endMs: number };

interface EdgeRef {
  source: string;
  target: string;
}

function mapUrl(range: WindowKey, edge?: EdgeRef): string {
  const q = new URLSearchParams({ range });
  if (edge) {
    q.set('source', edge.source);
    q.set('target', edge.target);
  }
  return `/map?${q}`;
}

export function ServiceMapPage() {
  const { params } = useLocation();
  const range = windowFrom(params.get('range'), OFFERED);
  const source = params.get('source');
  const target = params.get('target');
  const selected = source && target ? { source, target } : undefined;
  const [state, setState] = useState<State>({ status: 'loading' });
  const [reload, setReload] = useState(0);

  useEffect(() => {
    const ac = new AbortController();
    setState({ status: 'loading' });
    const endMs = Date.now();
    const startMs = endMs - WINDOWS_MS[range];
    getServiceMap(startMs, endMs, ac.signal)
      .then((map) => !ac.signal.aborted && setState({ status: 'done', map, startMs, endMs }))
      .catch((error: Error) => !ac.signal.aborted && setState({ status: 'error', error }));
    return () => ac.abort();
  }, [range, reload]);

  const select = (edge: EdgeRef | undefined) => navigate(mapUrl(range, edge), { replace: true });

  return (
    <div className="map-page">
      <WindowControls
        className="map-controls"
        value={range}
        offered={OFFERED}
        onChange={(w) => navigate(mapUrl(w))}
        onRefresh={() => setReload((n) => n + 1)}
        note="Computed by tracehub from every span in the window. Click a connection for its traces, a service to search it."
      />
      {state.status === 'loading' && <Loading what="the service map" />}
      {state.status === 'error' && <ErrorBox title="Could not load the service map" error={state.error} />}
      {state.status === 'done' && state.map.nodes.length === 0 && (
        <EmptyState title="No traces in this time range.">
          <p>
            Run <code>npm run scenario -- all</code> to send some, or pick a longer window.
          </p>
        </EmptyState>
      )}
      {state.status === 'done' && state.map.nodes.length > 0 && (
        <>
          <MapView map={state.map} selected={selected} onSelect={select} />
          {selected && <EdgeTraces edge={selected} map={state.map} startMs={state.startMs} endMs={state.endMs} onClose={() => select(undefined)} />}
          <EdgeTable map={state.map} selected={selected} onSelect={select} />
        </>
      )}
    </div>
  );
}

const NODE_W = 190;
const NODE_H = 58;
const COL_GAP = 250;
const ROW_GAP = 44;

const plural = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;
const sameEdge = (a: EdgeRef | undefined, b: EdgeRef) => a?.source === b.source && a?.target === b.target;
const activate = (fn: () => void) => (e: KeyboardEvent) => {
  if (e.key === 'Enter' || e.key === ' ') {
    e.preventDefault();
    fn();
  }
};

function NodeShape({ node, x, y, color }: { node: MapNode; x: number; y: number; color: string | undefined }) {
  if (node.kind === 'database') {
    // A cylinder: the top ellipse, the body, and the bottom rim.
    const rx = NODE_W / 2;
    const ry = 8;
    const cx = x + rx;
    return (
      <>
        <path
          className="shape"
          d={`M ${x} ${y + ry} A ${rx} ${ry} 0 0 1 ${x + NODE_W} ${y + ry} V ${y + NODE_H - ry} A ${rx} ${ry} 0 0 1 ${x} ${y + NODE_H - ry} Z`}
        />
        <ellipse className="shape-rim" cx={cx} cy={y + ry} rx={rx} ry={ry} />
      </>
    );
  }
  if (node.kind === 'browser') {
    // A browser window: a title bar with three dots.
    return (
      <>
        <rect className="shape" x={x} y={y} width={NODE_W} height={NODE_H} rx={4} style={{ stroke: color }} />
        <line className="shape-rim" x1={x} y1={y + 10} x2={x + NODE_W} y2={y + 10} />
        {[0, 1, 2].map((i) => (
          <circle key={i} className="browser-dot" cx={x + 8 + i * 7} cy={y + 5} r={2} />
        ))}
      </>
    );
  }
  return <rect className="shape" x={x} y={y} width={NODE_W} height={NODE_H} rx={node.kind === 'peer' ? 2 : 8} style={node.kind === 'service' ? { stroke: color } : undefined} />;
}

function MapView({ map, selected, onSelect }: { map: ServiceMap; selected: EdgeRef | undefined; onSelect: (e: EdgeRef) => void }) {
  const placed = useMemo(() => layoutServiceMap(map), [map]);
  const colors = useMemo(() => serviceColors(map.nodes.filter((n) => n.kind === 'service' || n.kind === 'browser').map((n) => n.name)), [map]);
  const pos = new Map(placed.map((p) => [p.id, { x: 20 + p.layer * (NODE_W + COL_GAP), y: 24 + p.row * (NODE_H + ROW_GAP) }]));
  const width = Math.max(...placed.map((p) => p.layer), 0) * (NODE_W + COL_GAP) + NODE_W + 40;
  const height = Math.max(...placed.map((p) => p.row), 0) * (NODE_H + ROW_GAP) + NODE_H + 48;
  const nodes = new Map(map.nodes.map((n) => [n.id, n]));
  const counts = { services: 0, databases: 0, peers: 0, browsers: 0 };
  for (const n of map.nodes) counts[n.kind === 'service' ? 'services' : n.kind === 'database' ? 'databases' : n.kind === 'peer' ? 'peers' : 'browsers']++;

  return (
    <>
      <p className="muted">
        {[
          plural(counts.services, 'service'),
          plural(counts.browsers, 'browser app'),
          plural(counts.databases, 'database'),
          plural(counts.peers, 'other peer'),
        ].join(', ')}
        ; {plural(map.edges.length, 'connection')}.
      </p>
      <svg className="service-map" viewBox={`0 0 ${width} ${height}`} width={width} height={height} role="img" aria-label="Service map">
        <defs>
          <marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse">
            <path d="M 0 0 L 10 5 L 0 10 z" className="arrow-head" />
          </marker>
          <marker id="arrow-error" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse">
            <path d="M 0 0 L 10 5 L 0 10 z" className="arrow-head error" />
          </marker>
        </defs>
        {map.edges.map((e) => {
          const a = pos.get(e.source);
          const b = pos.get(e.target);
          if (!a || !b) return null;
          const x1 = a.x + NODE_W;
          const y1 = a.y + NODE_H / 2;
          const backwards = b.x <= a.x;
          const x2 = backwards ? b.x + NODE_W / 2 : b.x;
          const y2 = backwards ? b.y : b.y + NODE_H / 2;
          const mx = (x1 + x2) / 2;
          const d = `M ${x1} ${y1} C ${mx} ${y1}, ${mx} ${y2}, ${x2} ${y2}`;
          const cls = ['edge', `edge-${e.kind}`, e.errors > 0 ? 'has-errors' : '', sameEdge(selected, e) ? 'selected' : ''].filter(Boolean).join(' ');
          const name = `${nodes.get(e.source)?.name ?? e.source} to ${nodes.get(e.target)?.name ?? e.target}`;
          return (
            <g
              key={`${e.source}->${e.target}`}
              className={cls}
              data-source={e.source}
              data-target={e.target}
              role="button"
              tabIndex={0}
              aria-label={`Traces of calls from ${name}`}
              onClick={() => onSelect(e)}
              onKeyDown={activate(() => onSelect(e))}
            >
              <path d={d} className="edge-hit" />
              <path d={d} className="edge-line" markerEnd={e.errors > 0 ? 'url(#arrow-error)' : 'url(#arrow)'} />
              <text x={mx} y={(y1 + y2) / 2 - 7} textAnchor="middle" className="edge-label">
                {edgeLabel(e)}
              </text>
            </g>
          );
        })}
        {placed.map((p) => {
          const { x, y } = pos.get(p.id)!;
          const n = nodes.get(p.id)!;
          const searchable = n.kind === 'service' || n.kind === 'browser';
          const open = () => navigate(`/?service=${encodeURIComponent(n.name)}`);
          return (
            <g
              key={p.id}
              className={`node node-${n.kind}${n.errors > 0 ? ' has-errors' : ''}`}
              data-node-id={n.id}
              data-kind={n.kind}
              {...(searchable
                ? { role: 'button', tabIndex: 0, 'aria-label': `Search traces of ${n.name}`, onClick: open, onKeyDown: activate(open) }
                : {})}
            >
              <title>{n.kind === 'service' ? n.name : `${n.name} (${n.kind})`}</title>
              <NodeShape node={n} x={x} y={y} color={colors.get(n.name)} />
              <text x={x + NODE_W / 2} y={y + (n.kind === 'database' ? 30 : 27)} textAnchor="middle" className="node-name">
                {n.name.length > 26 ? `${n.name.slice(0, 25)}…` : n.name}
              </text>
              <text x={x + NODE_W / 2} y={y + (n.kind === 'database' ? 46 : 44)} textAnchor="middle" className="node-stats">
                {nodeStats(n)}
              </text>
            </g>
          );
        })}
      </svg>
    </>
  );
}

function EdgeTraces({ edge, map, startMs, endMs, onClose }: { edge: EdgeRef; map: ServiceMap; startMs: number; endMs: number; onClose: () => void }) {
  const [state, setState] = useState<{ status: 'loading' } | { status: 'error'; error: Error } | { status: 'done'; traces: TraceSummary[] }>({ status: 'loading' });
  useEffect(() => {
    const ac = new AbortController();
    setState({ status: 'loading' });
    getEdgeTraces(edge, startMs, endMs, ac.signal)
      .then((traces) => !ac.signal.aborted && setState({ status: 'done', traces }))
      .catch((error: Error) => !ac.signal.aborted && setState({ status: 'error', error }));
    return () => ac.abort();
  }, [edge.source, edge.target, startMs, endMs]);
  const name = (id: string) => map.nodes.find((n) => n.id === id)?.name ?? id;
  const e = map.edges.find((x) => sameEdge(edge, x));
  return (
    <section className="edge-traces" data-testid="edge-traces" aria-label="Traces of the selected connection">
      <header>
        <h2>
          {name(edge.source)} → {name(edge.target)}
        </h2>
        {e && (
          <span className="muted">
            {`${e.calls} calls · ${formatRate(e.callsPerSec)} · ${formatErrorRate(e.errorRate)} errors · p95 ${formatMs(e.p95Ms)}`}
          </span>
        )}
        <button type="button" onClick={onClose}>
          Close
        </button>
      </header>
      {state.status === 'loading' && <Loading what="traces" />}
      {state.status === 'error' && <ErrorBox title="Could not load the traces" error={state.error} />}
      {state.status === 'done' && state.traces.length === 0 && <p className="muted">No traces with this call in the window.</p>}
      {state.status === 'done' && state.traces.length > 0 && (
        <ol className="edge-trace-list">
          {state.traces.map((t) => (
            <li key={t.traceId} data-trace-id={t.traceId} className={t.errorCount > 0 ? 'has-error' : ''}>
              <Link to={`/trace/${t.traceId}`} className="trace-link">
                {`${t.rootService} ${t.rootName}`}
              </Link>
              <span className="muted">{formatTimestamp(t.startMs)}</span>
              <span>{formatMs(t.durationMs)}</span>
              {t.errorCount > 0 && <span className="badge error">{t.errorCount === 1 ? '1 error' : `${t.errorCount} errors`}</span>}
              <span className="trace-id mono">{t.traceId.slice(0, 16)}</span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

function EdgeTable({ map, selected, onSelect }: { map: ServiceMap; selected: EdgeRef | undefined; onSelect: (e: EdgeRef) => void }) {
  const nodes = new Map(map.nodes.map((n) => [n.id, n]));
  const cell = (id: string) => {
    const n = nodes.get(id);
    if (!n || (n.kind !== 'service' && n.kind !== 'browser')) return <span>{n?.name ?? id}</span>;
    return <Link to={`/?service=${encodeURIComponent(n.name)}`}>{n.name}</Link>;
  };
  return (
    <table className="edges-table">
      <thead>
        <tr>
          <th>Caller</th>
          <th>Callee</th>
          <th>Kind</th>
          <th>Calls</th>
          <th>Rate</th>
          <th>Error rate</th>
          <th>p50</th>
          <th>p95</th>
          <th />
        </tr>
      </thead>
      <tbody>
        {map.edges.map((e: MapEdge) => (
          <tr key={`${e.source}->${e.target}`} className={sameEdge(selected, e) ? 'selected' : ''} data-source={e.source} data-target={e.target}>
            <td>{cell(e.source)}</td>
            <td>{cell(e.target)}</td>
            <td>{e.kind}</td>
            <td>{e.calls}</td>
            <td>{formatRate(e.callsPerSec)}</td>
            <td className={e.errors ? 'status-error' : ''}>{formatErrorRate(e.errorRate)}</td>
            <td>{e.p50Ms === undefined ? '' : formatMs(e.p50Ms)}</td>
            <td>{formatMs(e.p95Ms)}</td>
            <td>
              <button type="button" onClick={() => onSelect(e)}>
                Traces
              </button>
            </td>
          </tr>
        ))}
        {map.edges.length === 0 && (
          <tr>
            <td colSpan={9} className="muted">
              No calls between services in this window.
            </td>
          </tr>
        )}
      </tbody>
    </table>
  );
}
