// Paint marks for the UI benchmark (ui/e2e/bench.mjs): a harness reads them with
// `performance.getEntriesByName(name)` and `performance.timeOrigin` to know the wall-clock
// moment something a person waits for was on screen. They cost one mark each and nothing else.

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
