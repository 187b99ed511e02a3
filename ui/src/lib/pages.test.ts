import { describe, expect, it } from "vitest";
import type { GapItem } from "../bindings/commands";
import { withGapMarkers } from "./gaps";
import {
  evict,
  heldLines,
  layout,
  lineAt,
  nextFetch,
  noPages,
  pageAt,
  receive,
  type Fetch,
  type Pages,
  type PagedRow,
} from "./pages";
import { visibleWindow } from "./virtual";

const gap = (dateFrom: string, dateTo: string): GapItem => ({ dateFrom, dateTo, detectedAt: "2026-11-24T00:00:00Z" });
const LIMITS = { page: 4, slack: 2 };

/**
 * A store's history for one filter, newest first, paged by keyset cursors ("date.id" of the
 * last row, as the core's Cursor), as the `transactions` command serves it.
 */
class Store {
  constructor(public rows: PagedRow[]) {}
  page(cursor: string | null, limit: number): { rows: PagedRow[]; nextCursor: string | null } {
    const key = (r: PagedRow) => `${r.transactionDate}.${String(r.id).padStart(9, "0")}`;
    const from = cursor === null ? 0 : this.rows.findIndex((r) => key(r) < cursorKey(cursor));
    const start = from < 0 ? this.rows.length : from;
    const rows = this.rows.slice(start, start + limit);
    const more = start + limit < this.rows.length;
    return { rows, nextCursor: more ? `${rows.at(-1)!.transactionDate}.${rows.at(-1)!.id}` : null };
  }
}
const cursorKey = (c: string) => {
  const [date, id] = c.split(".");
  return `${date}.${id.padStart(9, "0")}`;
};

/** `n` rows, newest first, one a day back from 2026-11-30, ids n..1. */
function history(n: number): PagedRow[] {
  const day = Date.parse("2026-11-30T00:00:00Z");
  return Array.from({ length: n }, (_, i) => ({
    id: n - i,
    transactionDate: new Date(day - i * 86_400_000).toISOString().slice(0, 10),
  }));
}

/** Fetches what `nextFetch` asks for over [from, to) until nothing is missing, holding at most `max` pages. */
function settle(store: Store, pages: Pages<PagedRow>, gaps: GapItem[], from: number, to: number, max = 6) {
  const fetched: Fetch[] = [];
  for (;;) {
    const l = layout(pages.metas, gaps);
    const want = nextFetch(pages, l, from, to, from, to, LIMITS);
    if (!want) return { pages, fetched };
    fetched.push(want);
    const got = store.page(want.cursor, want.limit);
    const next = receive(pages, want, got.rows, got.nextCursor);
    if (next === null) throw new Error("the history changed");
    pages = evict(next, layout(next.metas, gaps), from, to, max);
  }
}

/** Scrolls a view of `view` lines from the top to the end of the history, a line at a time. */
function walk(store: Store, gaps: GapItem[], max: number, view = 4) {
  let pages = noPages<PagedRow>();
  for (let line = 0; ; line++) {
    ({ pages } = settle(store, pages, gaps, line, line + view, max));
    const l = layout(pages.metas, gaps);
    if (l.complete && line + view >= l.total) return pages;
  }
}

/** The lines as the table shows them: rows by id, gaps by their first day, "…" while loading. */
function shown(pages: Pages<PagedRow>, gaps: GapItem[], from: number, to: number): string[] {
  const l = layout(pages.metas, gaps);
  const held = heldLines(pages, gaps);
  const out: string[] = [];
  for (let i = Math.max(0, from); i < Math.min(to, l.total); i++) {
    const line = lineAt(l, held, i);
    out.push(line === null ? "…" : line.kind === "gap" ? `gap ${line.gap.dateFrom}` : String(line.row.id));
  }
  return out;
}

const label = (lines: ReturnType<typeof withGapMarkers<PagedRow>>) =>
  lines.map((l) => (l.kind === "gap" ? `gap ${l.gap.dateFrom}` : String(l.row.id)));

describe("history pages", () => {
  it("discover pages one after another from the newest, as the view nears the end of what is known", () => {
    const store = new Store(history(10));
    let { pages, fetched } = settle(store, noPages(), [], 0, 3);
    expect(fetched).toEqual([{ page: 0, cursor: null, limit: 4 }]);
    expect(layout(pages.metas, [])).toMatchObject({ total: 4, rows: 4, complete: false, starts: [0], counts: [4] });
    ({ pages, fetched } = settle(store, pages, [], 0, 10));
    expect(fetched.map((f) => [f.page, f.cursor])).toEqual([
      [1, "2026-11-27.7"],
      [2, "2026-11-23.3"],
    ]);
    expect(layout(pages.metas, [])).toMatchObject({ total: 10, rows: 10, complete: true, starts: [0, 4, 8], counts: [4, 4, 2] });
    expect(shown(pages, [], 0, 10)).toEqual(["10", "9", "8", "7", "6", "5", "4", "3", "2", "1"]);
    // Nothing more to fetch once the last page is known.
    expect(nextFetch(pages, layout(pages.metas, []), 0, 10, 0, 20, LIMITS)).toBeNull();
  });

  it("an empty history is one empty, complete page", () => {
    const { pages } = settle(new Store([]), noPages(), [gap("2026-01-01", "2026-01-31")], 0, 10);
    expect(layout(pages.metas, [gap("2026-01-01", "2026-01-31")])).toMatchObject({ total: 0, rows: 0, complete: true });
  });

  it("hold only the pages near the view, however far it scrolls", () => {
    const store = new Store(history(400));
    let pages = noPages<PagedRow>();
    for (let line = 0; line < 400; line += 7) {
      ({ pages } = settle(store, pages, [], line - 3, line + 3, 3));
      expect(pages.loaded.size).toBeLessThanOrEqual(3);
    }
    expect(pages.metas).toHaveLength(100);
    const l = layout(pages.metas, []);
    // The scrollbar covers every line discovered, held or not.
    expect(l.total).toBe(400);
    expect([...pages.loaded.keys()].sort((a, b) => a - b)).toEqual([97, 98, 99]);
    expect(shown(pages, [], 0, 4)).toEqual(["…", "…", "…", "…"]);
  });

  it("fetch a page scrolled back to again from its start cursor, nearest the view first", () => {
    const store = new Store(history(40));
    let pages = walk(store, [], 2);
    expect([...pages.loaded.keys()].sort()).toEqual([8, 9]);
    const l = layout(pages.metas, []);
    // The view on lines 14–17 (pages 3 and 4) with margins reaching into pages 1 and 5.
    expect(nextFetch(pages, l, 14, 18, 6, 22, LIMITS)).toEqual({ page: 3, cursor: pages.metas[2].nextCursor, limit: 4 + 2 });
    const fetched: Fetch[] = [];
    while (true) {
      const want = nextFetch(pages, l, 14, 18, 6, 22, LIMITS);
      if (!want) break;
      fetched.push(want);
      const got = store.page(want.cursor, want.limit);
      pages = receive(pages, want, got.rows, got.nextCursor)!;
    }
    expect(fetched.map((f) => f.page)).toEqual([3, 4, 2, 5, 1]);
    // Cut to the rows it had, although more were asked for.
    expect(pages.loaded.get(3)!.map((r) => r.id)).toEqual([28, 27, 26, 25]);
    expect(shown(pages, [], 4, 24)).toEqual(history(40).slice(4, 24).map((r) => String(r.id)));
    // The layout did not move: fetching again never changes a page's lines.
    expect(layout(pages.metas, [])).toEqual(l);
  });

  it("evict the pages farthest from the view, never those in it", () => {
    const store = new Store(history(40));
    const { pages } = settle(store, noPages(), [], 0, 40, 10);
    const l = layout(pages.metas, []);
    expect([...evict(pages, l, 17, 19, 3).loaded.keys()].sort()).toEqual([3, 4, 5]);
    // A view wider than `max` pages keeps all of its pages.
    expect([...evict(pages, l, 0, 40, 3).loaded.keys()]).toHaveLength(10);
    expect(evict(pages, l, 0, 4, 20)).toBe(pages);
  });

  it("place gap markers across page boundaries exactly as over the whole history", () => {
    const rows = history(30); // 2026-11-30 back to 2026-11-01, a row a day
    const gaps = [
      gap("2026-11-28", "2026-11-28"), // inside page 0 (rows 11-30 … 11-27)
      gap("2026-11-27", "2026-11-27"), // between page 0's last row (11-27) and page 1's first (11-26)
      gap("2026-11-20", "2026-11-21"),
      gap("2026-10-01", "2026-10-31"), // older than every row: after the last one, once it is known
    ];
    const whole = label(withGapMarkers(rows, gaps, true));
    const store = new Store(rows);
    let { pages } = settle(store, noPages(), gaps, 0, 3);
    // Not complete: the oldest gap is not placed yet.
    expect(shown(pages, gaps, 0, 10)).toEqual(whole.slice(0, 5));
    ({ pages } = settle(store, pages, gaps, 0, 40, 20));
    const l = layout(pages.metas, gaps);
    expect(l.total).toBe(whole.length);
    expect(shown(pages, gaps, 0, l.total)).toEqual(whole);
    expect(shown(pages, gaps, l.total - 2, l.total)).toEqual(["1", "gap 2026-10-01"]);
    // The boundary gap belongs to page 1, before its first row.
    expect(l.counts.slice(0, 2)).toEqual([5, 5]);
    expect(shown(pages, gaps, 5, 6)).toEqual(["gap 2026-11-27"]);
    // Evicted and fetched again, each page's lines (and so the index mapping) stay the same.
    const far = settle(store, evict(pages, l, 30, 34, 1), gaps, 0, 4, 1).pages;
    expect(far.loaded.has(0)).toBe(true);
    expect(layout(far.metas, gaps)).toEqual(l);
    expect(shown(far, gaps, 0, 5)).toEqual(whole.slice(0, 5));
  });

  it("count lines of evicted pages when the gaps arrive after their rows", () => {
    const rows = history(12);
    const store = new Store(rows);
    const pages = walk(store, [], 1);
    const gaps = [gap("2026-11-23", "2026-11-23"), gap("2026-11-10", "2026-11-12")];
    const l = layout(pages.metas, gaps);
    expect(l.total).toBe(withGapMarkers(rows, gaps, true).length);
    const all = settle(store, pages, gaps, 0, l.total, 10).pages;
    expect(shown(all, gaps, 0, l.total)).toEqual(label(withGapMarkers(rows, gaps, true)));
  });

  it("an empty last page (the rows filled the pages before exactly) carries the oldest gaps", () => {
    const rows = history(8);
    const old = gap("2026-01-01", "2026-01-31");
    // A store whose last full page still has a next cursor.
    const store = new Store(rows);
    store.page = (cursor, limit) => {
      const i = cursor === null ? 0 : rows.findIndex((r) => `${r.transactionDate}.${r.id}` === cursor) + 1;
      const got = rows.slice(i, i + limit);
      return { rows: got, nextCursor: got.length === limit ? `${got.at(-1)!.transactionDate}.${got.at(-1)!.id}` : null };
    };
    const { pages } = settle(store, noPages(), [old], 0, 20, 10);
    expect(pages.metas.map((m) => m.rows)).toEqual([4, 4, 0]);
    const l = layout(pages.metas, [old]);
    expect(l.counts).toEqual([4, 4, 1]);
    expect(shown(pages, [old], 7, 9)).toEqual(["1", "gap 2026-01-01"]);
  });

  it("map every line index to its page, and End to the last lines", () => {
    const rows = history(23);
    const gaps = [gap("2026-11-26", "2026-11-26"), gap("2026-11-15", "2026-11-15")];
    const store = new Store(rows);
    const { pages } = settle(store, noPages(), gaps, 0, 100, 10);
    const l = layout(pages.metas, gaps);
    for (let i = 0; i < l.total; i++) {
      const k = pageAt(l, i);
      expect(l.starts[k]).toBeLessThanOrEqual(i);
      expect(i).toBeLessThan(l.starts[k] + l.counts[k]);
    }
    // End scrolls to the bottom of what is known: the window holds the last lines and the last page.
    const win = visibleWindow(1e9, 4 * 36, 36, l.total, 1);
    expect(win.end).toBe(l.total);
    expect(pageAt(l, win.end - 1)).toBe(pages.metas.length - 1);
    const end = settle(store, evict(pages, l, 0, 4, 1), gaps, win.start, win.end, 2).pages;
    expect(shown(end, gaps, win.start, win.end)).toEqual(label(withGapMarkers(rows, gaps, true)).slice(win.start));
  });

  it("keep a page's place when rows are synced in after it was first fetched", () => {
    const rows = history(12);
    const store = new Store(rows);
    const pages = walk(store, [], 1);
    // Two new rows, newer than every row: they sort into the first page's range.
    store.rows = [
      { id: 14, transactionDate: "2026-12-02" },
      { id: 13, transactionDate: "2026-12-01" },
      ...rows,
    ];
    const want = nextFetch(pages, layout(pages.metas, []), 0, 4, 0, 4, LIMITS)!;
    expect(want).toEqual({ page: 0, cursor: null, limit: 6 });
    const got = store.page(want.cursor, want.limit);
    const again = receive(pages, want, got.rows, got.nextCursor)!;
    expect(again.loaded.get(0)!.map((r) => r.id)).toEqual([12, 11, 10, 9]);
    expect(layout(again.metas, [])).toEqual(layout(pages.metas, []));
  });

  it("say so when the history changed beyond what a page can absorb", () => {
    const rows = history(12);
    const store = new Store(rows);
    const pages = walk(store, [], 1);
    const page1: Fetch = { page: 1, cursor: pages.metas[1].cursor, limit: 6 };
    // A row inserted in the middle of page 1.
    store.rows = [...rows.slice(0, 5), { id: 99, transactionDate: rows[5].transactionDate }, ...rows.slice(5)];
    const got = store.page(page1.cursor, page1.limit);
    expect(receive(pages, page1, got.rows, got.nextCursor)).toBeNull();
    // More new rows than the slack: the page's last row is not among those fetched.
    store.rows = [...history(3).map((r) => ({ id: r.id + 100, transactionDate: `2027-01-0${r.id}` })), ...rows];
    const page0: Fetch = { page: 0, cursor: null, limit: 6 };
    const top = store.page(null, 6);
    expect(receive(pages, page0, top.rows, top.nextCursor)).toBeNull();
    // A row deleted.
    store.rows = rows.filter((r) => r.id !== 10);
    const gone = store.page(null, 6);
    expect(receive(pages, page0, gone.rows, gone.nextCursor)).toBeNull();
  });
});
