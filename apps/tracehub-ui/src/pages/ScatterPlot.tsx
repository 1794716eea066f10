import { useEffect, useRef, useState } from 'react';
import { navigate } from '../router';
import { formatMs, formatTimestamp } from '../lib/format';
import { niceStep } from '../lib/timeScale';
import type { TraceSummary } from '../lib/types';

const H = 170;
const PAD = { l: 56, r: 12, t: 10, b: 22 };

/** Trace duration over start time; each dot opens its trace. */
export function ScatterPlot({ traces }: { traces: TraceSummary[] }) {
  // Draw in CSS pixels at the figure's width so dots stay round and text stays one size.
  const figure = useRef<HTMLElement>(null);
  const [W, setW] = useState(900);
  useEffect(() => {
    const el = figure.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setW(Math.max(300, el.clientWidth - 10)));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  if (traces.length === 0) return null;
  const t0 = Math.min(...traces.map((t) => t.startMs));
  const t1 = Math.max(...traces.map((t) => t.startMs));
  const span = Math.max(t1 - t0, 1000);
  const maxD = Math.max(...traces.map((t) => t.durationMs), 0.001);
  const step = niceStep(maxD / 3);
  const yTicks: number[] = [];
  for (let v = 0; v <= maxD + step * 0.001; v += step) yTicks.push(v);
  const yMax = Math.max(maxD, yTicks[yTicks.length - 1] ?? maxD);
  const x = (ms: number) => PAD.l + ((ms - t0) / span) * (W - PAD.l - PAD.r);
  const y = (d: number) => H - PAD.b - (d / yMax) * (H - PAD.t - PAD.b);
  return (
    <figure className="scatter" ref={figure}>
      <svg viewBox={`0 0 ${W} ${H}`} width={W} height={H} role="img" aria-label="Trace duration over time">
        {yTicks.map((v) => (
          <g key={v}>
            <line className="grid" x1={PAD.l} x2={W - PAD.r} y1={y(v)} y2={y(v)} />
            <text className="axis" x={PAD.l - 6} y={y(v) + 4} textAnchor="end">
              {formatMs(v)}
            </text>
          </g>
        ))}
        <text className="axis" x={PAD.l} y={H - 4}>
          {formatTimestamp(t0)}
        </text>
        <text className="axis" x={W - PAD.r} y={H - 4} textAnchor="end">
          {formatTimestamp(t0 + span)}
        </text>
        {traces.map((t) => (
          <circle
            key={t.traceId}
            className={t.errorCount > 0 ? 'dot error' : 'dot'}
            cx={x(t.startMs)}
            cy={y(t.durationMs)}
            r={4}
            onClick={() => navigate(`/trace/${t.traceId}`)}
          >
            <title>{`${t.rootService}: ${t.rootName}\n${formatMs(t.durationMs)}, ${t.spanCount} spans${
              t.errorCount ? `, ${t.errorCount} errors` : ''
            }\n${formatTimestamp(t.startMs)}`}</title>
          </circle>
        ))}
      </svg>
    </figure>
  );
}
