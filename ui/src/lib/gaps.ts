// History gaps: where they sit in an account's timeline, and how long a gap can still be avoided.

import type { GapItem } from "../bindings/commands";

/** Days the bank serves, today included (the sync engine's window). */
export const BANK_WINDOW_DAYS = 90;

const dayNumber = (date: string) => Date.parse(`${date}T00:00:00Z`) / 86_400_000;
const fromDayNumber = (n: number) => new Date(n * 86_400_000).toISOString().slice(0, 10);

/**
 * When history synced through `syncedThrough` starts to be lost: the first day at risk, the
 * last day a sync still fetches every day from it (the bank's window is [today-89, today]),
 * and the days left until then from `today` (0: today is the last day; negative: a gap is
 * already unavoidable).
 */
export function gapDeadline(
  syncedThrough: string,
  today: string,
): { firstAtRisk: string; lastDay: string; daysLeft: number } {
  const through = dayNumber(syncedThrough);
  const last = through + BANK_WINDOW_DAYS;
  return { firstAtRisk: fromDayNumber(through + 1), lastDay: fromDayNumber(last), daysLeft: last - dayNumber(today) };
}

export type HistoryLine<T> = { kind: "tx"; row: T } | { kind: "gap"; gap: GapItem };

/**
 * The gaps that sit in one slice of the history (newest first), newest first: older than the
 * slice before it (whose last row is dated `after`; null for the first slice) and newer than the
 * slice's last row (dated `lastDate`; null when the slice is empty). Gaps older than every row
 * belong to the slice only once the list is `complete`, since older rows may still load.
 */
export function gapsInSlice(gaps: GapItem[], after: string | null, lastDate: string | null, complete: boolean): GapItem[] {
  // No rows at all: nothing to mark a gap between.
  if (after === null && lastDate === null) return [];
  return gaps
    .filter((g) => (after === null || g.dateFrom <= after) && (complete || (lastDate !== null && g.dateFrom > lastDate)))
    .sort((a, b) => b.dateFrom.localeCompare(a.dateFrom));
}

/**
 * The rows of a slice of the history (newest first; the whole of it by default) with a marker
 * where a gap lies between two of them — or at the slice's boundary, always in the slice below
 * the gap (see gapsInSlice).
 */
export function withGapMarkers<T extends { transactionDate: string }>(
  rows: T[],
  gaps: GapItem[],
  complete: boolean,
  after: string | null = null,
): HistoryLine<T>[] {
  const pending = gapsInSlice(gaps, after, rows.at(-1)?.transactionDate ?? null, complete);
  const lines: HistoryLine<T>[] = [];
  let next = 0;
  for (const row of rows) {
    while (next < pending.length && pending[next].dateFrom > row.transactionDate) {
      lines.push({ kind: "gap", gap: pending[next++] });
    }
    lines.push({ kind: "tx", row });
  }
  while (next < pending.length) lines.push({ kind: "gap", gap: pending[next++] });
  return lines;
}

/** The gaps that overlap the date range [from, to] (either end open). */
export function gapsInRange(gaps: GapItem[], from: string | null, to: string | null): GapItem[] {
  return gaps.filter((g) => (from === null || g.dateTo >= from) && (to === null || g.dateFrom <= to));
}
