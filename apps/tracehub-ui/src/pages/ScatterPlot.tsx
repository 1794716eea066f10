import { useEffect, useRef, useState, type MouseEvent as ReactMouseEvent } from 'react';
import { navigate } from '../router';
import { formatMs, formatTimestamp } from '../lib/format';
import { niceStep } from '../lib/timeScale';
import type { TraceSummary } from '../lib/types';

const H = 170;
const PAD = { l: 56, r: 12, t: 10, b: 22 };

/** A time × duration box on the plot, in data units. */
export interface PlotBox {
  startMs: number;
  endMs: number;
  minDurationMs: number;
  maxDurationMs: number;
}

/** Pointer moves shorter than this (px) are a click, not a drag. */
const DRAG_MIN_PX = 4;

/**
 * Trace duration over start time; each dot opens its trace. With
 * `onSelectBox`, dragging draws a box and reports it (a plain click on a dot
 * still opens the trace); `box` is drawn until it is cleared.
 */
export function ScatterPlot({ traces, onSelectBox, box }: { traces: TraceSummary[]; onSelectBox?: (b: PlotBox) => void; box?: PlotBox | null }) {
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
  const svg = useRef<SVGSVGElement>(null);
  const [drag, setDrag] = useState<{ x0: number; y0: number; x1: number; y1: number } | null>(null);
  /** Set when the last press became a drag, so the click that ends it opens nothing. */
  const dragged = useRef(false);
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
  const xToMs = (px: number) => t0 + ((px - PAD.l) / (W - PAD.l - PAD.r)) * span;
  const yToMs = (py: number) => Math.max(0, ((H - PAD.b - py) / (H - PAD.t - PAD.b)) * yMax);
  const clampX = (px: number) => Math.min(Math.max(px, PAD.l), W - PAD.r);
  const clampY = (py: number) => Math.min(Math.max(py, PAD.t), H - PAD.b);

  /** Client coordinates in the SVG's own units (it may be drawn scaled). */
  const toPlot = (e: { clientX: number; clientY: number }) => {
    const r = svg.current!.getBoundingClientRect();
    return { x: clampX(((e.clientX - r.left) * W) / (r.width || W)), y: clampY(((e.clientY - r.top) * H) / (r.height || H)) };
  };
  const onMouseDown = (e: ReactMouseEvent<SVGSVGElement>) => {
    dragged.current = false;
    if (!onSelectBox || e.button !== 0) return;
    e.preventDefault();
    const p0 = toPlot(e);
    let last = { x0: p0.x, y0: p0.y, x1: p0.x, y1: p0.y };
    const move = (ev: MouseEvent) => {
      const p = toPlot(ev);
      last = { ...last, x1: p.x, y1: p.y };
      if (!dragged.current && Math.hypot(p.x - p0.x, p.y - p0.y) < DRAG_MIN_PX) return;
      dragged.current = true;
      setDrag(last);
    };
    const up = () => {
      window.removeEventListener('mousemove', move);
      window.removeEventListener('mouseup', up);
      setDrag(null);
      if (!dragged.current) return;
      onSelectBox({
        startMs: xToMs(Math.min(last.x0, last.x1)),
        endMs: xToMs(Math.max(last.x0, last.x1)),
        minDurationMs: yToMs(Math.max(last.y0, last.y1)),
        maxDurationMs: yToMs(Math.min(last.y0, last.y1)),
      });
    };
    window.addEventListener('mousemove', move);
    window.addEventListener('mouseup', up);
  };
  const shown = drag
    ? { x: Math.min(drag.x0, drag.x1), y: Math.min(drag.y0, drag.y1), w: Math.abs(drag.x1 - drag.x0), h: Math.abs(drag.y1 - drag.y0) }
    : box
      ? (() => {
          const x0 = clampX(x(box.startMs));
          const x1 = clampX(x(box.endMs));
          const y0 = clampY(y(box.maxDurationMs));
          const y1 = clampY(y(box.minDurationMs));
          return { x: x0, y: y0, w: Math.max(x1 - x0, 1), h: Math.max(y1 - y0, 1) };
        })()
      : null;
  return (
    <figure className="scatter" ref={figure}>
      <svg
        ref={svg}
        viewBox={`0 0 ${W} ${H}`}
        width={W}
        height={H}
        role="img"
        aria-label={onSelectBox ? 'Trace duration over time; drag a box to see what is different about those traces' : 'Trace duration over time'}
        className={onSelectBox ? 'selectable' : undefined}
        onMouseDown={onMouseDown}
      >
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
            data-trace-id={t.traceId}
            onClick={() => {
              if (dragged.current) return;
              navigate(`/trace/${t.traceId}`);
            }}
          >
            <title>{`${t.rootService}: ${t.rootName}\n${formatMs(t.durationMs)}, ${t.spanCount} spans${
              t.errorCount ? `, ${t.errorCount} errors` : ''
            }\n${formatTimestamp(t.startMs)}`}</title>
          </circle>
        ))}
        {shown && <rect className={drag ? 'select-box dragging' : 'select-box'} x={shown.x} y={shown.y} width={shown.w} height={shown.h} />}
      </svg>
    </figure>
  );
}
