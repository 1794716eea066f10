/** Tick positions for a time axis from 0 to `spanUs` microseconds. */
export interface Tick {
  us: number;
  /** Position in [0, 1] across the axis. */
  fraction: number;
}

/**
 * "Nice" ticks (1, 2 or 5 × 10^k) over the window [startUs, endUs], at most
 * about `maxTicks` of them, always including the window start.
 */
export function timeTicks(startUs: number, endUs: number, maxTicks: number): Tick[] {
  const span = endUs - startUs;
  if (!(span > 0) || maxTicks < 1) return [{ us: startUs, fraction: 0 }];
  const step = niceStep(span / maxTicks);
  const ticks: Tick[] = [];
  const first = Math.ceil(startUs / step - 1e-9) * step + 0; // + 0 turns -0 into 0
  if (first - startUs > 1e-9) ticks.push({ us: startUs, fraction: 0 });
  for (let t = first; t <= endUs + 1e-9 * step; t += step) {
    ticks.push({ us: t, fraction: (t - startUs) / span });
  }
  return ticks;
}

export function niceStep(raw: number): number {
  const exp = Math.floor(Math.log10(raw));
  const base = 10 ** exp;
  const m = raw / base;
  const nice = m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10;
  return nice * base;
}

/** Map a time to a fraction of a view window, for positioning bars. */
export function toFraction(us: number, viewStartUs: number, viewEndUs: number): number {
  const w = viewEndUs - viewStartUs;
  return w > 0 ? (us - viewStartUs) / w : 0;
}
