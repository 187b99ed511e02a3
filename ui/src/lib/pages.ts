// The account history's pages: which pages of the store's keyset-paged history exist, where
// their lines (rows and gap markers) sit, and which few are held in memory. Scrolling far
// through a long history keeps only the pages near the view; a page scrolled back to is fetched
// again from its start cursor. The scrollbar covers every line discovered so far, held or not,
// so evicting a page never moves the view.

import type { GapItem } from "../bindings/commands";
import { gapsInSlice, withGapMarkers, type HistoryLine } from "./gaps";

/** What the history table needs of a row. */
export interface PagedRow {
  id: number;
  transactionDate: string;
}

/** What is kept of a discovered page when its rows are not held. */
export interface PageMeta {
  /** The cursor it is fetched with: the previous page's nextCursor (null for the first page). */
  cursor: string | null;
  /** The cursor of the page after it; null for the last page. */
  nextCursor: string | null;
  rows: number;
  /** Its first and last rows, to recognise the same page when it is fetched again. */
  firstId: number | null;
  lastId: number | null;
  /** The date of its last row (of the page before when it is empty): where gaps at its edges go. */
  lastDate: string | null;
}

export interface Pages<T> {
  /** Every page discovered so far, in order (newest first). */
  metas: PageMeta[];
  /** The rows of the pages held in memory, by page number. */
  loaded: Map<number, T[]>;
}

export const noPages = <T>(): Pages<T> => ({ metas: [], loaded: new Map() });

/** Where each discovered page's lines sit among all lines. */
export interface Layout {
  /** Index of each page's first line. */
  starts: number[];
  /** Lines of each page: its rows and the gap markers placed in it. */
  counts: number[];
  /** Lines discovered so far. */
  total: number;
  /** Rows discovered so far. */
  rows: number;
  /** Whether the last page has been discovered. */
  complete: boolean;
}

const isComplete = (metas: PageMeta[]) => metas.length > 0 && metas[metas.length - 1].nextCursor === null;
const after = (metas: PageMeta[], page: number) => (page === 0 ? null : metas[page - 1].lastDate);
const isLast = (metas: PageMeta[], page: number) => page === metas.length - 1 && metas[page].nextCursor === null;

export function layout(metas: PageMeta[], gaps: GapItem[]): Layout {
  const starts: number[] = [];
  const counts: number[] = [];
  let total = 0;
  let rows = 0;
  metas.forEach((m, k) => {
    const count = m.rows + gapsInSlice(gaps, after(metas, k), m.rows === 0 ? null : m.lastDate, isLast(metas, k)).length;
    starts.push(total);
    counts.push(count);
    total += count;
    rows += m.rows;
  });
  return { starts, counts, total, rows, complete: isComplete(metas) };
}

/** The page holding line `line` (0 ≤ line < total). */
export function pageAt(l: Layout, line: number): number {
  let lo = 0;
  let hi = l.starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (l.starts[mid] <= line) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** The pages whose lines overlap [from, to), clamped to the lines discovered. */
export function pagesOver(l: Layout, from: number, to: number): { first: number; last: number } | null {
  const a = Math.max(0, from);
  const b = Math.min(l.total, to);
  if (a >= b) return null;
  return { first: pageAt(l, a), last: pageAt(l, b - 1) };
}

export interface Fetch {
  page: number;
  cursor: string | null;
  limit: number;
}

/**
 * Rows asked for: `page` for a page not yet seen; for a page fetched again, its rows and up to
 * `slack` rows synced into its range since (the newest page gains every new row), which are cut
 * off again so that the page keeps its place.
 */
export interface Limits {
  page: number;
  slack: number;
}

/**
 * The next page to fetch so that the lines [from, to) can be shown: the missing page nearest to
 * the view [viewFrom, viewTo) first, and once every page over [from, to) is held and `to`
 * reaches past the lines discovered, the next undiscovered page. Null when nothing is missing.
 */
export function nextFetch<T>(
  pages: Pages<T>,
  l: Layout,
  viewFrom: number,
  viewTo: number,
  from: number,
  to: number,
  limits: Limits,
): Fetch | null {
  const over = pagesOver(l, from, to);
  if (over) {
    const view = pagesOver(l, viewFrom, viewTo) ?? over;
    let best: number | null = null;
    let bestDistance = Infinity;
    for (let k = over.first; k <= over.last; k++) {
      if (pages.loaded.has(k)) continue;
      const distance = k < view.first ? view.first - k : k > view.last ? k - view.last : 0;
      if (distance < bestDistance) [best, bestDistance] = [k, distance];
    }
    if (best !== null) {
      const meta = pages.metas[best];
      return { page: best, cursor: meta.cursor, limit: meta.rows + limits.slack };
    }
  }
  if (l.complete || to < l.total) return null;
  const page = pages.metas.length;
  return { page, cursor: page === 0 ? null : pages.metas[page - 1].nextCursor, limit: limits.page };
}

/**
 * `pages` with the rows fetched for `fetched`: a newly discovered page is added; a page fetched
 * again must be the one seen before. It is cut to the rows it had (rows synced since sort before
 * the first page or after the last); null when it no longer matches, i.e. the store's history
 * for this filter changed under the table and it must start again.
 */
export function receive<T extends PagedRow>(
  pages: Pages<T>,
  fetched: Fetch,
  rows: T[],
  nextCursor: string | null,
): Pages<T> | null {
  const { metas } = pages;
  if (fetched.page === metas.length) {
    if (fetched.page > 0 && metas[fetched.page - 1].nextCursor !== fetched.cursor) return pages;
    const last = rows.at(-1);
    const meta: PageMeta = {
      cursor: fetched.cursor,
      nextCursor,
      rows: rows.length,
      firstId: rows[0]?.id ?? null,
      lastId: last?.id ?? null,
      lastDate: last?.transactionDate ?? after(metas, fetched.page),
    };
    return { metas: [...metas, meta], loaded: new Map(pages.loaded).set(fetched.page, rows) };
  }
  const meta = metas[fetched.page];
  if (!meta || meta.cursor !== fetched.cursor) return pages;
  let same: T[] = [];
  if (meta.rows > 0) {
    const first = rows.findIndex((r) => r.id === meta.firstId);
    const last = rows.findIndex((r) => r.id === meta.lastId);
    if (first < 0 || last < 0) return null;
    same = rows.slice(first, last + 1);
  } else if (rows.length > 0) return null;
  if (same.length !== meta.rows) return null;
  return { metas, loaded: new Map(pages.loaded).set(fetched.page, same) };
}

/**
 * `pages` holding at most `max` pages: those farthest from the view [viewFrom, viewTo) go first;
 * the pages over the view itself are always kept.
 */
export function evict<T>(pages: Pages<T>, l: Layout, viewFrom: number, viewTo: number, max: number): Pages<T> {
  if (pages.loaded.size <= max) return pages;
  const view = pagesOver(l, viewFrom, viewTo) ?? { first: 0, last: 0 };
  const distance = (k: number) => (k < view.first ? view.first - k : k > view.last ? k - view.last : 0);
  const keep = [...pages.loaded.keys()]
    .sort((a, b) => distance(a) - distance(b) || a - b)
    .filter((k, i) => i < max || distance(k) === 0);
  const loaded = new Map<number, T[]>();
  for (const k of keep) loaded.set(k, pages.loaded.get(k)!);
  return { metas: pages.metas, loaded };
}

/** The lines of every held page, by page number. */
export function heldLines<T extends PagedRow>(pages: Pages<T>, gaps: GapItem[]): Map<number, HistoryLine<T>[]> {
  const out = new Map<number, HistoryLine<T>[]>();
  for (const [k, rows] of pages.loaded) {
    out.set(k, withGapMarkers(rows, gaps, isLast(pages.metas, k), after(pages.metas, k)));
  }
  return out;
}

/** Line `line` if its page is held; null when it is still (or again) being fetched. */
export function lineAt<T>(l: Layout, held: Map<number, HistoryLine<T>[]>, line: number): HistoryLine<T> | null {
  const k = pageAt(l, line);
  return held.get(k)?.[line - l.starts[k]] ?? null;
}

/**
 * `pages` with `row` in place of the held row of the same id (a line the person just edited),
 * or `pages` itself when that row is not held. The line keeps its place even when it no longer
 * meets the filter: it goes when the table starts again.
 */
export function replaceRow<T extends PagedRow>(pages: Pages<T>, row: T): Pages<T> {
  for (const [k, rows] of pages.loaded) {
    const i = rows.findIndex((r) => r.id === row.id);
    if (i < 0) continue;
    const next = rows.slice();
    next[i] = row;
    return { metas: pages.metas, loaded: new Map(pages.loaded).set(k, next) };
  }
  return pages;
}
