// Paint marks for the UI benchmark (ui/e2e/bench.mjs): a harness reads them with
// `performance.getEntriesByName(name)` and `performance.timeOrigin` to know the wall-clock
// moment something a person waits for was on screen. They cost one mark each and nothing else.

import { useLayoutEffect } from "react";

/** Marks `name` once, on the first frame after the current one has been painted. */
export function markPainted(name: string): void {
  if (performance.getEntriesByName(name, "mark").length > 0) return;
  // A callback of the second animation frame runs only after the first frame was painted, so
  // the mark is at most one frame late, never early.
  requestAnimationFrame(() =>
    requestAnimationFrame(() => {
      if (performance.getEntriesByName(name, "mark").length === 0) performance.mark(name);
    }),
  );
}

/**
 * Marks `name` once `ready` is first rendered. A layout effect runs before the browser paints
 * that render, so the mark lands on the frame after it; a passive effect may run only after the
 * paint, which put the mark a frame or two late where frames are slow (the desktop's webview).
 */
export function usePaintMark(name: string, ready: boolean): void {
  useLayoutEffect(() => {
    if (ready) markPainted(name);
  }, [name, ready]);
}
