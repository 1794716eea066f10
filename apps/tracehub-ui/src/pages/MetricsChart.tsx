// The search page's answer to a TraceQL metrics query (`{ } | rate() by (...)`):
// one SVG line per series, a legend with each series' labels, and the values
// at the hovered timestamp; exemplar dots open their trace. Span data (labels)
// is rendered as text only.
import { useState } from 'react';
import { getTraceqlMetrics, type TraceqlMetrics } from '../api/traceqlMetrics';
import { EmptyState, ErrorBox, Loading } from '../components/Messages';
import { useAsync } from '../components/useAsync';
import { serviceColors } from '../lib/colors';
import { chartFrame, exemplarPoint, formatValue, linePath, nearestTimestamp, seriesName, valuesAt } from '../lib/metricsChart';
import { navigate } from '../router';
import { xOf } from '../lib/sparkline';
import '../styles/metrics.css';

const W = 900;
const H = 260;

export function MetricsChart({ params }: { params: URLSearchParams }) {
  const key = params.toString();
  const state = useAsync((signal) => getTraceqlMetrics(new URLSearchParams(key), signal), key);
  if (state.status === 'loading') return <Loading what="metrics" />;
  if (state.status === 'error') return <ErrorBox title="Metrics query failed" error={state.error} />;
  if (state.value.series.length === 0) {
    return (
      <EmptyState title="No series.">
        <p>No span matched the query in this time range. Widen the range or loosen the filter.</p>
      </EmptyState>
    );
  }
  return <Chart m={state.value} />;
}

function Chart({ m }: { m: TraceqlMetrics }) {
  const [hover, setHover] = useState<number | null>(null);
  const names = m.series.map(seriesName);
  const colors = serviceColors(names);
  const first = Math.min(...m.series.flatMap((s) => s.samples.map(([t]) => t)));
  const last = Math.max(...m.series.flatMap((s) => s.samples.map(([t]) => t)));
  const f = chartFrame(m.series, W, H, first, last > first ? last : first + m.stepMs);
  const values = hover === null ? null : valuesAt(m.series, hover);
  const onMove = (e: React.MouseEvent<SVGSVGElement>) => {
    const box = e.currentTarget.getBoundingClientRect();
    setHover(nearestTimestamp(m.series, f, ((e.clientX - box.left) / box.width) * W));
  };
  return (
    <div className="metrics-chart" data-testid="metrics-chart" data-series={m.series.length} data-start-ms={f.startMs} data-end-ms={f.endMs}>
      <div className="metrics-scale muted">
        <span>max {formatValue(f.max)}</span>
        <span data-testid="metrics-hover-time">{hover === null ? 'hover the chart for values' : new Date(hover).toLocaleTimeString()}</span>
      </div>
      <svg width="100%" viewBox={`0 0 ${W} ${H}`} preserveAspectRatio="none" role="img" aria-label="TraceQL metrics chart" onMouseMove={onMove} onMouseLeave={() => setHover(null)}>
        {m.series.map((s, i) => (
          <path key={names[i]} className="metrics-line" data-series={names[i]} d={linePath(f, s, m.stepMs)} fill="none" stroke={colors.get(names[i]!)} strokeWidth={2} vectorEffect="non-scaling-stroke" />
        ))}
        {hover !== null && <line className="metrics-cursor" x1={xOf(f, hover)} x2={xOf(f, hover)} y1={0} y2={H} stroke="currentColor" strokeOpacity={0.4} pointerEvents="none" />}
        {m.series.flatMap((s, i) =>
          (s.exemplars ?? []).map((e) => {
            const p = exemplarPoint(f, s, e);
            return p ? (
              <a key={`${names[i]}-${e.spanId}`} href={`/trace/${e.traceId}?span=${e.spanId}`} onClick={(ev) => { ev.preventDefault(); navigate(`/trace/${e.traceId}?span=${e.spanId}`); }}>
                <circle className="metrics-exemplar" data-trace-id={e.traceId} cx={p.x} cy={p.y} r={4} fill={colors.get(names[i]!)} vectorEffect="non-scaling-stroke">
                  <title>{`${names[i]}: trace ${e.traceId} (span started ${new Date(e.timestampMs).toLocaleTimeString()})`}</title>
                </circle>
              </a>
            ) : null;
          }),
        )}
      </svg>
      <div className="metrics-scale muted">
        <span>{new Date(f.startMs).toLocaleTimeString()}</span>
        <span>{`step ${formatValue(m.stepMs / 1000)} s`}</span>
        <span>{new Date(f.endMs).toLocaleTimeString()}</span>
      </div>
      <ul className="metrics-legend">
        {m.series.map((s, i) => (
          <li key={names[i]} data-testid="metrics-legend-item" data-series={names[i]}>
            <span className="swatch" style={{ background: colors.get(names[i]!) }} />
            <span className="series-name">{names[i]}</span>
            {values && <span className="series-value" data-testid="metrics-value">{values[i] === undefined ? '–' : formatValue(values[i]!)}</span>}
          </li>
        ))}
      </ul>
    </div>
  );
}
