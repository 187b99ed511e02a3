// The history list: virtualised, paged from the store as it scrolls, each line with its
// category, memo and transfer mark, which open the line's editor. An account's history and the
// 家計簿's drill-down both show it.

import { useEffect, useMemo, useRef, useState } from "react";
import type { GapItem, HistoryFilter, TransactionItem } from "../bindings/commands";
import { ErrorPanel, MemberDot, toFailure } from "../components";
import { useLocale } from "../context";
import type { Categories } from "../lib/books";
import { formatCalendarDate, formatYen } from "../lib/format";
import { evict, heldLines, layout, lineAt, nextFetch, noPages, receive, replaceRow } from "../lib/pages";
import { call } from "../lib/transport";
import { range, visibleWindow } from "../lib/virtual";
import { LineDialog } from "./LineDialog";

const ROW_HEIGHT = 36;
/**
 * Pages of 500 rows; a page scrolled back to is asked for with room for 100 rows synced into it
 * since the table opened (see lib/pages.ts).
 */
const LIMITS = { page: 500, slack: 100 };
/** Lines above and below the view that are fetched before they scroll into it. */
const PREFETCH_ROWS = 200;
/**
 * Pages held in memory (3,000 rows). The view and its prefetch margins span at most 2 pages; the
 * rest spares a re-fetch when scrolling back a little. Memory stays flat however far one scrolls.
 */
const HELD_PAGES = 6;

interface Props {
  filter: HistoryFilter;
  gaps: GapItem[];
  /** The table's lines changed under it (a sync, rules applied): it starts again. */
  onChanged: () => void;
  /** The categories, to name each line's; null while they load. */
  categories: Categories | null;
  /** Lines of several accounts: each account's short name, shown instead of the balance. */
  accountLabels?: Map<number, string>;
  /** With accountLabels, in a household of several: the colour of the member each account is of. */
  accountColours?: Map<number, string>;
  /** A line's category, memo or transfer mark was changed here (the month's totals moved). */
  onEdited?: () => void;
  label: string;
  /** The list grows with its lines up to this height (px) instead of filling the page. */
  fitHeight?: number;
}

export function HistoryTable({ filter, gaps, onChanged, categories, accountLabels, accountColours, onEdited, label, fitHeight }: Props) {
  const { t, lang } = useLocale();
  const [pages, setPages] = useState(noPages<TransactionItem>);
  const [error, setError] = useState<unknown>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(480);
  const [editing, setEditing] = useState<TransactionItem | null>(null);
  const loading = useRef(false);
  // Rules were applied from the line's editor: many lines may have changed, so the table starts
  // again once the editor (which says how many) is closed.
  const restartOnClose = useRef(false);
  const viewport = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const el = viewport.current;
    if (!el) return;
    const observer = new ResizeObserver(() => setHeight(el.clientHeight));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  const lay = useMemo(() => layout(pages.metas, gaps), [pages.metas, gaps]);
  const held = useMemo(() => heldLines(pages, gaps), [pages, gaps]);
  const win = visibleWindow(scrollTop, height, ROW_HEIGHT, lay.total);
  // Read when a page arrives: the pages by then (only fetches change them, one at a time) and the
  // view by then, around which pages are kept.
  const current = useRef({ pages, win });
  current.current = { pages, win };
  const want = nextFetch(pages, lay, win.start, win.end, win.start - PREFETCH_ROWS, win.end + PREFETCH_ROWS, LIMITS);

  useEffect(() => {
    if (!want || loading.current || error) return;
    loading.current = true;
    call("transactions", { filter, cursor: want.cursor, limit: want.limit }).then(
      (page) => {
        // Before the state changes: the render it brings asks for the next page.
        loading.current = false;
        const next = receive(current.current.pages, want, page.rows, page.nextCursor);
        // The store's history changed under the table (a sync): it starts again from the top.
        if (next === null) return onChanged();
        const { win } = current.current;
        setPages(evict(next, layout(next.metas, gaps), win.start, win.end, HELD_PAGES));
      },
      (e: unknown) => {
        loading.current = false;
        setError(e);
      },
    );
    // Each fetch changes `pages`, which asks for the next one.
  }, [want?.page, pages, error]);

  const categoryOf = (line: TransactionItem) => {
    if (line.categoryId === null) return null;
    return categories?.path(line.categoryId, lang) ?? t("books.categoryGone");
  };

  if (error) return <ErrorPanel failure={toFailure(error)} />;
  const wide = accountLabels !== undefined;
  return (
    <div className={wide ? "history with-account" : "history"}>
      <p className="small" aria-live="polite" data-testid="row-count">
        {lay.complete ? t("account.rows", { count: lay.rows }) : t("account.rowsMore", { count: lay.rows })}
      </p>
      <div role="table" aria-label={label} aria-rowcount={lay.total + 1}>
        <div role="rowgroup">
          <div className="table-head" role="row" aria-rowindex={1}>
            <span role="columnheader">{t("account.col.date")}</span>
            <span role="columnheader">{t("account.col.remarks")}</span>
            <span role="columnheader">{t("line.col.category")}</span>
            <span role="columnheader" className="num">
              {t("account.col.in")}
            </span>
            <span role="columnheader" className="num">
              {t("account.col.out")}
            </span>
            <span role="columnheader" className={wide ? undefined : "num"}>
              {wide ? t("line.col.account") : t("account.col.balance")}
            </span>
          </div>
        </div>
        <div
          className="viewport"
          ref={viewport}
          tabIndex={0}
          role="rowgroup"
          aria-label={label}
          style={fitHeight === undefined ? undefined : { height: Math.min(fitHeight, Math.max(lay.total, 3) * ROW_HEIGHT + 2), minHeight: 0 }}
          onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
          onKeyDown={(e) => {
            if (e.target !== e.currentTarget) return;
            const el = e.currentTarget;
            if (e.key === "PageDown") el.scrollTop += el.clientHeight;
            else if (e.key === "PageUp") el.scrollTop -= el.clientHeight;
            else if (e.key === "ArrowDown") el.scrollTop += ROW_HEIGHT;
            else if (e.key === "ArrowUp") el.scrollTop -= ROW_HEIGHT;
            else if (e.key === "Home") el.scrollTop = 0;
            else if (e.key === "End") el.scrollTop = el.scrollHeight;
            else return;
            e.preventDefault();
          }}
        >
          <div style={{ height: win.totalHeight, position: "relative" }}>
            <div style={{ transform: `translateY(${win.offsetTop}px)` }}>
              {range(win.start, win.end).map((index) => {
                const line = lineAt(lay, held, index);
                if (line === null) {
                  return (
                    <div className="tx-row" role="row" aria-rowindex={index + 2} aria-busy="true" key={`loading-${index}`} data-testid="loading-row">
                      <span role="cell" className="small">
                        {t("common.loading")}
                      </span>
                    </div>
                  );
                }
                if (line.kind === "gap") {
                  return (
                    <div className="tx-row gap-row" role="row" aria-rowindex={index + 2} key={`gap-${line.gap.dateFrom}`} data-testid="gap-row">
                      <span role="cell">
                        {t("gap.row", { from: formatCalendarDate(line.gap.dateFrom), to: formatCalendarDate(line.gap.dateTo) })}
                      </span>
                    </div>
                  );
                }
                const row = line.row;
                const category = categoryOf(row);
                return (
                  <div className="tx-row" role="row" aria-rowindex={index + 2} key={row.id} data-testid="tx-row" data-id={row.id}>
                    <span role="cell">{formatCalendarDate(row.transactionDate)}</span>
                    <span role="cell" className="remarks">
                      <span className="text">{row.remarks}</span>
                      {row.memo && (
                        <span className="memo" data-testid="line-memo">
                          {row.memo}
                        </span>
                      )}
                    </span>
                    <span role="cell" className="category-cell">
                      <button
                        type="button"
                        className={category === null ? "chip none" : "chip"}
                        onClick={() => setEditing(row)}
                        title={t("line.edit")}
                        data-testid="line-category"
                      >
                        {row.transfer ? <span className="transfer-mark">{t("line.transferMark")}</span> : null}
                        <span className="name">{category ?? t("books.uncategorised")}</span>
                      </button>
                    </span>
                    <span role="cell" className="num in">
                      {row.amount > 0 ? formatYen(row.amount) : ""}
                    </span>
                    <span role="cell" className="num out">
                      {row.amount < 0 ? formatYen(-row.amount) : ""}
                    </span>
                    {wide ? (
                      <span role="cell" className="account-label" title={accountLabels.get(row.accountId)}>
                        {accountColours?.has(row.accountId) && <MemberDot colour={accountColours.get(row.accountId)!} />}
                        {accountLabels.get(row.accountId) ?? ""}
                      </span>
                    ) : (
                      <span role="cell" className="num">
                        {row.balance === null ? "" : formatYen(row.balance)}
                      </span>
                    )}
                  </div>
                );
              })}
            </div>
          </div>
          {lay.complete && lay.rows === 0 && <p className="empty">{t("account.empty")}</p>}
        </div>
      </div>
      {editing && categories && (
        <LineDialog
          line={editing}
          account={accountLabels?.get(editing.accountId)}
          categories={categories}
          onUpdated={(updated) => {
            setPages((p) => replaceRow(p, updated));
            onEdited?.();
          }}
          onRulesApplied={() => {
            restartOnClose.current = true;
            onEdited?.();
          }}
          onClose={() => {
            setEditing(null);
            if (restartOnClose.current) {
              restartOnClose.current = false;
              onChanged();
            }
          }}
        />
      )}
    </div>
  );
}
