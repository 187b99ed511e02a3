// One account: its history (virtualised, paged from the store as you scroll) with search and
// filters, and its charts.

import { useEffect, useId, useMemo, useRef, useState } from "react";
import type { AccountCard, Flow, GapItem, HistoryFilter, TransactionItem } from "../bindings/commands";
import type { Route } from "../App";
import { ErrorPanel, GapDeadline, toFailure } from "../components";
import { useLocale } from "../context";
import { formatCalendarDate, formatDateTimeJst, formatYen, parseDateInput } from "../lib/format";
import { gapsInRange } from "../lib/gaps";
import { evict, heldLines, layout, lineAt, nextFetch, noPages, receive } from "../lib/pages";
import { call } from "../lib/transport";
import { range, visibleWindow } from "../lib/virtual";
import { Charts } from "./Charts";
import { ExportDialog } from "./ExportDialog";

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

interface Filters {
  search: string;
  from: string;
  to: string;
  flow: "" | Flow;
  min: string;
  max: string;
}

const EMPTY: Filters = { search: "", from: "", to: "", flow: "", min: "", max: "" };

function toFilter(accountId: number, f: Filters): HistoryFilter {
  const amount = (s: string) => (s.trim() === "" || Number.isNaN(Number(s)) ? null : Math.trunc(Number(s)));
  // A date still being typed (or mistyped) does not filter; the field says why.
  const date = (s: string) => parseDateInput(s) ?? null;
  return {
    accounts: [accountId],
    from: date(f.from),
    to: date(f.to),
    flow: f.flow || null,
    minAmount: amount(f.min),
    maxAmount: amount(f.max),
    search: f.search.trim() || null,
  };
}

export function Account({ accountId, navigate }: { accountId: number; navigate: (r: Route) => void }) {
  const { t } = useLocale();
  const [card, setCard] = useState<AccountCard | null>(null);
  const [tab, setTab] = useState<"history" | "charts">("history");
  const [filters, setFilters] = useState<Filters>(EMPTY);
  const [applied, setApplied] = useState<Filters>(EMPTY);
  const [exporting, setExporting] = useState(false);
  // Bumped when the history changed under the table, which then starts again.
  const [generation, setGeneration] = useState(0);

  useEffect(() => {
    call("overview", {}).then((o) => setCard(o.accounts.find((a) => a.id === accountId) ?? null));
  }, [accountId]);

  // Typing settles before the query runs.
  useEffect(() => {
    const timer = window.setTimeout(() => setApplied(filters), 200);
    return () => window.clearTimeout(timer);
  }, [filters]);

  const filter = toFilter(accountId, applied);
  const gaps = useMemo(() => gapsInRange(card?.gaps ?? [], filter.from, filter.to), [card, filter.from, filter.to]);
  const set = (k: keyof Filters) => (e: { target: { value: string } }) => setFilters({ ...filters, [k]: e.target.value });

  return (
    <div className="account">
      <button type="button" className="link-button" onClick={() => navigate({ name: "home" })}>
        ← {t("account.back")}
      </button>
      {card && (
        <header className="account-head">
          <div>
            <h1>
              {card.bankName} {card.branchName}
            </h1>
            <p className="small">
              {card.accountTypeName} {card.accountNumber} · {card.accountNameKana}
            </p>
          </div>
          <div className="right">
            <div className="amount big">{card.balance === null ? "—" : formatYen(card.balance)}</div>
            {card.asOf && <div className="small">{t("dashboard.asOf", { date: formatDateTimeJst(card.asOf) })}</div>}
            <button type="button" className="secondary" onClick={() => setExporting(true)}>
              {t("export.open")}
            </button>
          </div>
        </header>
      )}
      {card && <GapDeadline account={card} />}
      {exporting && <ExportDialog accountIds={[accountId]} onClose={() => setExporting(false)} />}
      <div className="tabs" role="tablist" aria-label={t("account.views")} onKeyDown={switchTabWithArrows}>
        {TABS.map((name) => (
          <button
            key={name}
            type="button"
            role="tab"
            id={`tab-${name}`}
            aria-selected={tab === name}
            aria-controls={`panel-${name}`}
            tabIndex={tab === name ? 0 : -1}
            onClick={() => setTab(name)}
          >
            {t(name === "history" ? "account.history" : "account.charts")}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`}>
        {tab === "charts" ? (
          <Charts accountId={accountId} gaps={card?.gaps ?? []} />
        ) : (
          <>
            <form className="filters" onSubmit={(e) => e.preventDefault()}>
              <label className="grow">
                <span>{t("account.search")}</span>
                <input type="search" value={filters.search} onChange={set("search")} data-testid="search" />
              </label>
              <DateField label={t("account.from")} value={filters.from} onChange={set("from")} />
              <DateField label={t("account.to")} value={filters.to} onChange={set("to")} />
              <label>
                <span>{t("account.flow")}</span>
                <select value={filters.flow} onChange={set("flow")}>
                  <option value="">{t("account.flow.all")}</option>
                  <option value="in">{t("account.flow.in")}</option>
                  <option value="out">{t("account.flow.out")}</option>
                </select>
              </label>
              <label>
                <span>{t("account.minAmount")}</span>
                <input type="number" min={0} inputMode="numeric" value={filters.min} onChange={set("min")} />
              </label>
              <label>
                <span>{t("account.maxAmount")}</span>
                <input type="number" min={0} inputMode="numeric" value={filters.max} onChange={set("max")} />
              </label>
            </form>
            <HistoryTable
              key={`${JSON.stringify(applied)} ${generation}`}
              filter={filter}
              gaps={gaps}
              onChanged={() => setGeneration((g) => g + 1)}
            />
          </>
        )}
      </div>
    </div>
  );
}

const TABS = ["history", "charts"] as const;

/** Arrow keys move between tabs (the WAI-ARIA tabs pattern); Tab moves on to the panel. */
function switchTabWithArrows(e: React.KeyboardEvent<HTMLElement>) {
  if (e.key !== "ArrowLeft" && e.key !== "ArrowRight") return;
  const tabs = [...e.currentTarget.querySelectorAll<HTMLButtonElement>('[role="tab"]')];
  const at = tabs.indexOf(document.activeElement as HTMLButtonElement);
  const next = tabs[(at + (e.key === "ArrowRight" ? 1 : tabs.length - 1)) % tabs.length];
  next.focus();
  next.click();
  e.preventDefault();
}

/** A date typed as 2026/11/24 (the same in every webview and language), checked as typed. */
function DateField({ label, value, onChange }: { label: string; value: string; onChange: (e: { target: { value: string } }) => void }) {
  const { t } = useLocale();
  const invalid = parseDateInput(value) === undefined;
  const hint = useId();
  return (
    <label>
      <span>{label}</span>
      <input
        type="text"
        inputMode="numeric"
        autoComplete="off"
        className="date"
        placeholder={t("account.datePlaceholder")}
        value={value}
        onChange={onChange}
        aria-invalid={invalid}
        aria-describedby={invalid ? hint : undefined}
      />
      {invalid && (
        <small id={hint} className="field-error">
          {t("account.dateInvalid")}
        </small>
      )}
    </label>
  );
}

function HistoryTable({ filter, gaps, onChanged }: { filter: HistoryFilter; gaps: GapItem[]; onChanged: () => void }) {
  const { t } = useLocale();
  const [pages, setPages] = useState(noPages<TransactionItem>);
  const [error, setError] = useState<unknown>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(480);
  const loading = useRef(false);
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

  if (error) return <ErrorPanel failure={toFailure(error)} />;
  return (
    <div className="history">
      <p className="small" aria-live="polite" data-testid="row-count">
        {lay.complete ? t("account.rows", { count: lay.rows }) : t("account.rowsMore", { count: lay.rows })}
      </p>
      <div role="table" aria-label={t("account.history")} aria-rowcount={lay.total + 1}>
        <div role="rowgroup">
          <div className="table-head" role="row" aria-rowindex={1}>
            <span role="columnheader">{t("account.col.date")}</span>
            <span role="columnheader">{t("account.col.remarks")}</span>
            <span role="columnheader" className="num">
              {t("account.col.in")}
            </span>
            <span role="columnheader" className="num">
              {t("account.col.out")}
            </span>
            <span role="columnheader" className="num">
              {t("account.col.balance")}
            </span>
          </div>
        </div>
        <div
          className="viewport"
          ref={viewport}
          tabIndex={0}
          role="rowgroup"
          aria-label={t("account.history")}
          onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
          onKeyDown={(e) => {
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
                return line === null ? (
                  <div className="tx-row" role="row" aria-rowindex={index + 2} aria-busy="true" key={`loading-${index}`} data-testid="loading-row">
                    <span role="cell" className="small">
                      {t("common.loading")}
                    </span>
                  </div>
                ) : line.kind === "gap" ? (
                  <div className="tx-row gap-row" role="row" aria-rowindex={index + 2} key={`gap-${line.gap.dateFrom}`} data-testid="gap-row">
                    <span role="cell">
                      {t("gap.row", { from: formatCalendarDate(line.gap.dateFrom), to: formatCalendarDate(line.gap.dateTo) })}
                    </span>
                  </div>
                ) : (
                  <div className="tx-row" role="row" aria-rowindex={index + 2} key={line.row.id} data-testid="tx-row">
                    <span role="cell">{formatCalendarDate(line.row.transactionDate)}</span>
                    <span role="cell" className="remarks">
                      {line.row.remarks}
                    </span>
                    <span role="cell" className="num in">
                      {line.row.amount > 0 ? formatYen(line.row.amount) : ""}
                    </span>
                    <span role="cell" className="num out">
                      {line.row.amount < 0 ? formatYen(-line.row.amount) : ""}
                    </span>
                    <span role="cell" className="num">
                      {line.row.balance === null ? "" : formatYen(line.row.balance)}
                    </span>
                  </div>
                );
              })}
            </div>
          </div>
          {lay.complete && lay.rows === 0 && <p className="empty">{t("account.empty")}</p>}
        </div>
      </div>
    </div>
  );
}
