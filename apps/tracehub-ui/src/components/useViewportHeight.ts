import { type RefObject, useLayoutEffect, useState } from 'react';

/** The element's client height, kept current as it resizes (for windowed lists). */
export function useViewportHeight(ref: RefObject<HTMLElement | null>, initial = 600): number {
  const [height, setHeight] = useState(initial);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setHeight(el.clientHeight));
    ro.observe(el);
    setHeight(el.clientHeight);
    return () => ro.disconnect();
  }, [ref]);
  return height;
}
