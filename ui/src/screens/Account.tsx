// One account: its history (virtualised, paged from the store as you scroll) with search and
// filters, and its charts.

import { useEffect, useRef, useState } from "react";
import type { AccountCard, Flow, HistoryFilter, TransactionItem } from "../bindings/commands";
import type { Route } from "../App";
import { ErrorPanel, toFailure } from "../components";
import { useLocale } from "../context";
import { formatCalendarDate, formatDateTimeJst, formatYen } from "../lib/format";
import { call } from "../lib/transport";
import { visibleWindow } from "../lib/virtual";
import { Charts } from "./Charts";
import { ExportDialog } from "./ExportDialog";

const PAGE = 500;
const ROW_HEIGHT = 36;
/** Fetch the next page when fewer than this many loaded rows remain below the view. */
const PREFETCH_ROWS = 200;

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
  return {
    accounts: [accountId],
    from: f.from || null,
    to: f.to || null,
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

  useEffect(() => {
    call("overview", {}).then((o) => setCard(o.accounts.find((a) => a.id === accountId) ?? null));
  }, [accountId]);

  // Typing settles before the query runs.
  useEffect(() => {
    const timer = window.setTimeout(() => setApplied(filters), 200);
    return () => window.clearTimeout(timer);
  }, [filters]);

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
      {exporting && <ExportDialog accountIds={[accountId]} onClose={() => setExporting(false)} />}
      <div className="tabs" role="tablist">
        <button type="button" role="tab" aria-selected={tab === "history"} onClick={() => setTab("history")}>
          {t("account.history")}
        </button>
        <button type="button" role="tab" aria-selected={tab === "charts"} onClick={() => setTab("charts")}>
          {t("account.charts")}
        </button>
      </div>
      {tab === "charts" ? (
        <Charts accountId={accountId} gaps={card?.gaps ?? []} />
      ) : (
        <>
          <form className="filters" onSubmit={(e) => e.preventDefault()}>
            <label className="grow">
              <span>{t("account.search")}</span>
              <input type="search" value={filters.search} onChange={set("search")} data-testid="search" />
            </label>
            <label>
              <span>{t("account.from")}</span>
              <input type="date" value={filters.from} onChange={set("from")} />
            </label>
            <label>
              <span>{t("account.to")}</span>
              <input type="date" value={filters.to} onChange={set("to")} />
            </label>
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
          <HistoryTable key={JSON.stringify(applied)} filter={toFilter(accountId, applied)} />
        </>
      )}
    </div>
  );
}

function HistoryTable({ filter }: { filter: HistoryFilter }) {
  const { t } = useLocale();
  const [rows, setRows] = useState<TransactionItem[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(480);
  const loading = useRef(false);
  const viewport = useRef<HTMLDivElement>(null);

  const loadMore = async (after: string | null) => {
    if (loading.current) return;
    loading.current = true;
    try {
      const page = await call("transactions", { filter, cursor: after, limit: PAGE });
      setRows((r) => [...r, ...page.rows]);
      setCursor(page.nextCursor);
      setDone(page.nextCursor === null);
    } catch (e) {
      setError(e);
    } finally {
      loading.current = false;
    }
  };

  useEffect(() => {
    void loadMore(null);
    // The filter is fixed for this table's lifetime (it is keyed by it).
  }, []);

  useEffect(() => {
    const el = viewport.current;
    if (!el) return;
    const observer = new ResizeObserver(() => setHeight(el.clientHeight));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  const win = visibleWindow(scrollTop, height, ROW_HEIGHT, rows.length);
  useEffect(() => {
    if (!done && !loading.current && rows.length > 0 && rows.length - win.end < PREFETCH_ROWS) void loadMore(cursor);
  }, [win.end, rows.length, done]);

  if (error) return <ErrorPanel failure={toFailure(error)} />;
  return (
    <div className="history">
      <p className="small" aria-live="polite" data-testid="row-count">
        {done ? t("account.rows", { count: rows.length }) : t("account.rowsMore", { count: rows.length })}
      </p>
      <div className="table-head" role="row">
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
      <div
        className="viewport"
        ref={viewport}
        tabIndex={0}
        role="table"
        aria-label={t("account.history")}
        aria-rowcount={rows.length}
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
            {rows.slice(win.start, win.end).map((r, i) => (
              <div className="tx-row" role="row" aria-rowindex={win.start + i + 1} key={r.id} data-testid="tx-row">
                <span role="cell">{formatCalendarDate(r.transactionDate)}</span>
                <span role="cell" className="remarks">
                  {r.remarks}
                </span>
                <span role="cell" className="num in">
                  {r.amount > 0 ? formatYen(r.amount) : ""}
                </span>
                <span role="cell" className="num out">
                  {r.amount < 0 ? formatYen(-r.amount) : ""}
                </span>
                <span role="cell" className="num">
                  {r.balanceAfter === null ? "" : formatYen(r.balanceAfter)}
                </span>
              </div>
            ))}
          </div>
        </div>
        {done && rows.length === 0 && <p className="empty">{t("account.empty")}</p>}
      </div>
    </div>
  );
}
