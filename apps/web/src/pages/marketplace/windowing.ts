// A small window over a long list of fixed-height rows scrolled with the page: only the rows in
// view (plus a few either side) are in the DOM, the rest is a spacer of the same height, so a
// thousand offerings cost what twenty do. Fixed heights keep it exact without measuring rows.
import { useCallback, useEffect, useLayoutEffect, useRef, useState, type RefObject } from "react";

export interface RowWindow {
  /** First rendered row. */
  start: number;
  /** One past the last rendered row. */
  end: number;
}

/** Rows [start, end) of `count` rows of `rowHeight` px that a viewport of `viewport` px shows when the list's top is at `top` px (negative once scrolled past). */
export function visibleRows(count: number, rowHeight: number, top: number, viewport: number, overscan: number): RowWindow {
  const first = Math.floor(Math.max(0, -top) / rowHeight);
  const last = Math.ceil(Math.max(0, viewport - top) / rowHeight);
  return { start: Math.max(0, Math.min(count, first - overscan)), end: Math.max(0, Math.min(count, last + overscan)) };
}

const sameWindow = (a: RowWindow, b: RowWindow) => a.start === b.start && a.end === b.end;

/** The window of the list under `ref`, kept current as the page scrolls or resizes. */
export function useRowWindow(ref: RefObject<HTMLElement | null>, count: number, rowHeight: number, overscan = 6): RowWindow {
  const measure = useCallback((): RowWindow => {
    const top = ref.current?.getBoundingClientRect().top ?? 0;
    return visibleRows(count, rowHeight, top, window.innerHeight, overscan);
  }, [ref, count, rowHeight, overscan]);
  const [range, setRange] = useState<RowWindow>(() => visibleRows(count, rowHeight, 0, typeof window === "undefined" ? 800 : window.innerHeight, overscan));
  const frame = useRef(0);
  useLayoutEffect(() => {
    const next = measure();
    setRange((prev) => (sameWindow(prev, next) ? prev : next));
  }, [measure]);
  useEffect(() => {
    const update = () => {
      if (frame.current) return;
      frame.current = requestAnimationFrame(() => {
        frame.current = 0;
        const next = measure();
        setRange((prev) => (sameWindow(prev, next) ? prev : next));
      });
    };
    window.addEventListener("scroll", update, { passive: true });
    window.addEventListener("resize", update);
    return () => {
      window.removeEventListener("scroll", update);
      window.removeEventListener("resize", update);
      if (frame.current) cancelAnimationFrame(frame.current);
      frame.current = 0;
    };
  }, [measure]);
  return range;
}

/** Whether a CSS media query matches, following changes (false where matchMedia is missing). */
export function useMedia(query: string): boolean {
  const get = () => typeof window !== "undefined" && typeof window.matchMedia === "function" && window.matchMedia(query).matches;
  const [matches, setMatches] = useState(get);
  useEffect(() => {
    if (typeof window.matchMedia !== "function") return;
    const list = window.matchMedia(query);
    const change = () => setMatches(list.matches);
    change();
    list.addEventListener("change", change);
    return () => list.removeEventListener("change", change);
  }, [query]);
  return matches;
}
