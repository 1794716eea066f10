import { useEffect, useRef, useState, type PointerEvent } from 'react';
import type { SpanTree } from '../lib/spanTree';

const HEIGHT = 56;
const ERROR = '#d62728';

/**
 * The whole trace in a strip: every visible row drawn into a canvas (so
 * 100,000 spans cost one bitmap, not 100,000 elements), with a frame
 * showing the part on screen. Click or drag to move there.
 */
export function Minimap(props: {
  tree: SpanTree;
  rows: Int32Array;
  colors: Map<string, string>;
  scrollTop: number;
  viewport: number;
  rowHeight: number;
  onNavigate(row: number): void;
}) {
  const { tree, rows, colors } = props;
  const canvas = useRef<HTMLCanvasElement>(null);
  const [width, setWidth] = useState(0);

  useEffect(() => {
    const el = canvas.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setWidth(el.clientWidth));
    ro.observe(el);
    setWidth(el.clientWidth);
    return () => ro.disconnect();
  }, []);

  useEffect(() => {
    const el = canvas.current;
    if (!el || width === 0) return;
    const dpr = window.devicePixelRatio || 1;
    el.width = Math.round(width * dpr);
    el.height = Math.round(HEIGHT * dpr);
    const ctx = el.getContext('2d');
    if (!ctx) return;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, width, HEIGHT);
    const total = tree.durationUs || 1;
    const n = rows.length;
    const x = (us: number) => (us / total) * width;
    const pixelRows = Math.round(HEIGHT * dpr);
    if (n <= pixelRows * 2) {
      // Few rows: draw every span.
      const rowH = HEIGHT / Math.max(n, 1);
      for (let k = 0; k < n; k++) {
        const s = tree.spans[rows[k]!]!;
        ctx.fillStyle = s.status.code === 'error' ? ERROR : (colors.get(s.service) ?? '#888');
        ctx.fillRect(x(s.startUs), k * rowH, Math.max(x(s.durationUs), 1), Math.max(rowH, 0.5));
      }
      return;
    }
    // Many rows: one rect per device-pixel row, spanning the rows it covers,
    // in the colour of its first span; error spans drawn on top so they still show.
    const rowH = HEIGHT / pixelRows;
    const errors: number[] = [];
    for (let p = 0; p < pixelRows; p++) {
      const from = Math.floor((p * n) / pixelRows);
      const to = Math.floor(((p + 1) * n) / pixelRows);
      let lo = Infinity;
      let hi = -Infinity;
      for (let k = from; k < to; k++) {
        const s = tree.spans[rows[k]!]!;
        if (s.startUs < lo) lo = s.startUs;
        if (s.startUs + s.durationUs > hi) hi = s.startUs + s.durationUs;
        if (s.status.code === 'error') errors.push(k);
      }
      if (to <= from) continue;
      ctx.fillStyle = colors.get(tree.spans[rows[from]!]!.service) ?? '#888';
      ctx.fillRect(x(lo), p * rowH, Math.max(x(hi - lo), 1), rowH);
    }
    ctx.fillStyle = ERROR;
    for (const k of errors) {
      const s = tree.spans[rows[k]!]!;
      ctx.fillRect(x(s.startUs), (k / n) * HEIGHT, Math.max(x(s.durationUs), 1), rowH);
    }
  }, [tree, rows, colors, width]);

  const total = rows.length * props.rowHeight || 1;
  const top = (props.scrollTop / total) * HEIGHT;
  const height = Math.max((props.viewport / total) * HEIGHT, 3);

  const navigate = (e: PointerEvent<HTMLDivElement>) => {
    const rect = e.currentTarget.getBoundingClientRect();
    const f = Math.min(1, Math.max(0, (e.clientY - rect.top) / rect.height));
    props.onNavigate(Math.floor(f * rows.length));
  };

  return (
    <div
      className="minimap"
      title="Minimap: click or drag to move through the trace"
      onPointerDown={(e) => {
        e.currentTarget.setPointerCapture(e.pointerId);
        navigate(e);
      }}
      onPointerMove={(e) => {
        if (e.buttons === 1) navigate(e);
      }}
    >
      <canvas ref={canvas} style={{ height: HEIGHT }} />
      <div className="minimap-window" style={{ top, height: Math.min(height, HEIGHT - top) }} />
    </div>
  );
}
