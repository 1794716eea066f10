// Geometry for the Services page's sparklines (pure): points and fault bands
// in SVG coordinates, and the search link behind a bucket.
import { DEFAULT_SEARCH, searchToParams } from './searchState';

export interface Frame {
  width: number;
  height: number;
  startMs: number;
  endMs: number;
  /** Largest value (the top of the chart); at least something above 0. */
  max: number;
}

export function xOf(f: Frame, ms: number): number {
  const span = f.endMs - f.startMs;
  return span > 0 ? ((ms - f.startMs) / span) * f.width : 0;
}

export function yOf(f: Frame, v: number): number {
  const pad = 2;
  return f.height - pad - (f.max > 0 ? (v / f.max) * (f.height - 2 * pad) : 0);
}

/** The polyline through the values (null: a gap), each drawn at its bucket's middle. */
export function sparkPath(f: Frame, values: (number | null)[], stepMs: number): string {
  let d = '';
  let pen = false;
  values.forEach((v, i) => {
    if (v === null) {
      pen = false;
      return;
    }
    const x = xOf(f, f.startMs + (i + 0.5) * stepMs);
    d += `${pen ? 'L' : 'M'}${x.toFixed(1)},${yOf(f, v).toFixed(1)}`;
    pen = true;
  });
  return d;
}

/** A fault interval as an x range clipped to the chart. */
export function band(f: Frame, startMs: number, endMs: number): { x: number; width: number } {
  const x0 = Math.max(0, xOf(f, startMs));
  const x1 = Math.min(f.width, xOf(f, endMs));
  return { x: x0, width: Math.max(1, x1 - x0) };
}

/** A `datetime-local` value (local time, seconds) for the search form's custom range. */
export function localInput(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/** The search page filtered to a service (and operation) and one bucket, whole seconds around it. */
export function searchHref(service: string, operation: string | undefined, startMs: number, endMs: number): string {
  const p = searchToParams({
    ...DEFAULT_SEARCH,
    service,
    operation: operation ?? '',
    range: 'custom',
    start: localInput(Math.floor(startMs / 1000) * 1000),
    end: localInput(Math.ceil(endMs / 1000) * 1000),
  });
  return `/search?${p}`;
}
