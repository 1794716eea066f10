import { useCallback, useLayoutEffect, useMemo, useRef, useState, type MouseEvent } from 'react';
import type { SpanSections } from '../lib/criticalPath';
import { flameLayout, flameNeighbour, flameView } from '../lib/flameLayout';
import { formatDuration } from '../lib/format';
import type { SpanTree } from '../lib/spanTree';

const ROW = 20;
/** Boxes narrower than this many pixels are left out (they would be invisible); the selection is drawn regardless. */
const MIN_PX = 0.3;
const CHAR_PX = 6.6;

export interface FlameGraphProps {
  tree: SpanTree;
  colors: Map<string, string>;
  critical: SpanSections;
  selected: number;
  onSelect(index: number): void;
}

/**
 * The trace as a flame graph: time on x, lanes (depth, or the next free lane
 * for parallel children) on y. The solid part of a box is the span's self
 * time; the pale part is covered by its children. Click selects, double-click
 * zooms into the span's subtree.
 */
export function FlameGraph({ tree, colors, critical, selected, onSelect }: FlameGraphProps) {
  const layout = useMemo(() => flameLayout(tree), [tree]);
  const [zoomStack, setZoomStack] = useState<number[]>([]);
  const zoom = zoomStack.at(-1) ?? -1;
  const view = useMemo(() => flameView(tree, layout, zoom), [tree, layout, zoom]);
  const scroller = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(800);

  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setWidth(el.clientWidth));
    ro.observe(el);
    setWidth(el.clientWidth);
    return () => ro.disconnect();
  }, []);

  // A selection outside the zoomed subtree (from the span panel or another view) leaves the zoom.
  const outside = selected >= 0 && (selected < view.first || selected >= view.end);
  useLayoutEffect(() => {
    if (outside) setZoomStack([]);
  }, [outside]);

  // Bring the selected box into view (on arrival from another view, and on every selection).
  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el || selected < 0 || outside) return;
    const top = (layout.boxes[selected]!.row - view.topRow) * ROW;
    if (top < el.scrollTop || top + ROW > el.scrollTop + el.clientHeight) el.scrollTop = Math.max(0, top - el.clientHeight / 2);
  }, [selected, layout, view.topRow, outside]);

  const span = view.endUs - view.startUs || 1;
  const x = useCallback((us: number) => ((us - view.startUs) / span) * width, [view.startUs, span, width]);

  // The boxes do not depend on the selection (drawn on top of them), so selecting re-renders one rect, not 10,000 boxes.
  const boxes = useMemo(() => {
    const out = [];
    for (let i = view.first; i < view.end; i++) {
      const b = layout.boxes[i]!;
      const x0 = x(b.startUs);
      const w = x(b.endUs) - x0;
      if (w < MIN_PX) continue;
      const s = tree.spans[i]!;
      // A pixel of gap between boxes that touch, once there is room for it.
      const bw = w > 4 ? w - 1 : Math.max(w, 1);
      const cp = critical.get(i);
      const isError = s.status.code === 'error';
      const color = colors.get(s.service) ?? '#888';
      const label = `${s.name} ${formatDuration(s.durationUs)}`;
      const chars = Math.floor((bw - 6) / CHAR_PX);
      out.push(
        <g
          key={i}
          className={`flame-box${cp ? ' critical' : ''}${isError ? ' error' : ''}`}
          data-index={i}
          data-span-id={s.spanId}
          transform={`translate(${x0},${(b.row - view.topRow) * ROW})`}
        >
          <title>
            {`${s.service}: ${s.name}\nduration ${formatDuration(s.durationUs)}, self ${formatDuration(b.selfUs)}${cp ? '\non the critical path' : ''}${isError ? '\nstatus ERROR' : ''}`}
          </title>
          <rect className="cover" width={bw} height={ROW - 2} fill={color} />
          {b.self.map(([a, e], k) => (
            <rect key={k} className="self" x={x(a) - x0} width={Math.min(Math.max(x(e) - x(a), 0.5), bw)} height={ROW - 2} fill={color} />
          ))}
          {cp?.map((c, k) => (
            <rect key={`cp${k}`} className="cp" x={x(c.startUs) - x0} y={ROW - 5} width={Math.min(Math.max(x(c.endUs) - x(c.startUs), 1), bw)} height={3} />
          ))}
          {chars >= 3 && (
            <text x={3} y={ROW - 7}>
              {label.length > chars ? `${label.slice(0, chars - 1)}…` : label}
            </text>
          )}
        </g>,
      );
    }
    return out;
  }, [tree, layout, view, x, critical, colors]);

  const sel = selected >= 0 && !outside ? layout.boxes[selected]! : null;
  const selection = sel && (
    <rect
      className="flame-selection"
      data-span-id={tree.spans[selected]!.spanId}
      x={x(sel.startUs) - 1}
      y={(sel.row - view.topRow) * ROW - 1}
      width={Math.max(x(sel.endUs) - x(sel.startUs), 1) + 2}
      height={ROW}
    />
  );

  const indexAt = (e: MouseEvent) => {
    const g = (e.target as Element).closest('[data-index]');
    return g ? Number(g.getAttribute('data-index')) : -1;
  };
  const zoomed = zoom >= 0 ? tree.spans[zoom]! : null;

  return (
    <div className="flame" data-testid="flame-graph" data-boxes={boxes.length}>
      <div className="flame-bar">
        {zoomed ? (
          <>
            <span className="muted">Zoomed into</span> <span className="svc">{zoomed.service}</span> <span className="op">{zoomed.name}</span>
            <button type="button" className="small" onClick={() => setZoomStack((z) => z.slice(0, -1))}>
              Back
            </button>
            <button type="button" className="small" onClick={() => setZoomStack([])}>
              Whole trace
            </button>
          </>
        ) : (
          <span className="muted">
            Double-click a span (or Enter) to zoom into it. The solid part of a box is the span’s own time; a dark line marks the critical path.
          </span>
        )}
        <span className="muted flame-range">
          {formatDuration(view.startUs)} – {formatDuration(view.endUs)}
        </span>
      </div>
      <div
        ref={scroller}
        className="flame-scroller"
        tabIndex={0}
        aria-label="Flame graph. Arrow keys move between spans, Enter zooms in, Escape zooms out"
        onKeyDown={(e) => {
          const moves: Record<string, Parameters<typeof flameNeighbour>[2]> = { ArrowUp: 'parent', ArrowDown: 'child', ArrowLeft: 'prev', ArrowRight: 'next' };
          const move = moves[e.key];
          if (move) {
            e.preventDefault();
            const to = selected < 0 ? view.first : flameNeighbour(tree, selected, move);
            if (to >= 0 && (zoom < 0 || (to >= view.first && to < view.end))) onSelect(to);
          } else if (e.key === 'Enter' && selected >= 0 && selected !== zoom && tree.subtreeEnd[selected]! - selected > 1) {
            setZoomStack((z) => [...z, selected]);
          } else if (e.key === 'Escape' && zoomStack.length > 0) {
            setZoomStack((z) => z.slice(0, -1));
          }
        }}
      >
        <svg
          width={width}
          height={Math.max(view.rows, 1) * ROW}
          aria-label="Flame graph: click a span to select it, double-click to zoom into it"
          onClick={(e) => {
            const i = indexAt(e);
            if (i >= 0) onSelect(i);
          }}
          onDoubleClick={(e) => {
            const i = indexAt(e);
            if (i >= 0 && i !== zoom && tree.subtreeEnd[i]! - i > 1) setZoomStack((z) => [...z, i]);
          }}
        >
          {boxes}
          {selection}
        </svg>
      </div>
    </div>
  );
}
