// 家計簿: a month's spending and income by category, budgets and their pace, the year month by
// month, and the lines behind any figure (to recategorise them there); with the rules and the
// categories beside it. Everything comes from the local store, so it works offline. With two or
// more members, the month, the year's chart and the lines behind a figure are the whole
// household's or the chosen member's (the switcher above); the rules and categories are shared.

import { useEffect, useMemo, useRef, useState } from "react";
import type { AccountCard, CategoryFigure, MonthReport, MonthSummary } from "../bindings/commands";
import { ErrorPanel, toFailure } from "../components";
import { useHousehold, useLocale } from "../context";
import {
  Categories,
  accountLabel,
  addMonths,
  budgetBar,
  chartMonths,
  drillFilter,
  findFigure,
  formatMonth,
  monthOf,
  paceText,
  percent,
  pickableMonths,
  sourceOf,
  stackMonths,
  type FigureSource,
  type Month,
  type Series,
  type Side,
} from "../lib/books";
import { formatYen } from "../lib/format";
import type { MessageKey } from "../lib/i18n";
import { usePaintMark } from "../lib/perf";
import { call } from "../lib/transport";
import { switchTabWithArrows } from "./Account";
import { BooksChart } from "./BooksChart";
import { CategoriesPanel } from "./CategoriesPanel";
import { useCategories } from "./CategoryPicker";
import { HistoryTable } from "./HistoryTable";
import { Rules } from "./Rules";

type Tab = "month" | "rules" | "categories";
const TABS: { name: Tab; key: MessageKey }[] = [
  { name: "month", key: "books.tab.month" },
  { name: "rules", key: "books.tab.rules" },
  { name: "categories", key: "books.tab.categories" },
];

export function Books() {
  const { t } = useLocale();
  const [tab, setTab] = useState<Tab>("month");
  const categories = useCategories();
  const [accounts, setAccounts] = useState<AccountCard[]>([]);
  const [offline, setOffline] = useState(false);

  useEffect(() => {
    call("overview", {}).then(
      (o) => {
        setAccounts(o.accounts);
        setOffline(o.offline);
      },
      () => {},
    );
  }, []);

  return (
    <div className="books">
      <div className="row spread books-top">
        <h1>{t("books.title")}</h1>
        <div className="tabs" role="tablist" aria-label={t("books.views")} onKeyDown={switchTabWithArrows}>
          {TABS.map(({ name, key }) => (
            <button
              key={name}
              type="button"
              role="tab"
              id={`books-tab-${name}`}
              aria-selected={tab === name}
              aria-controls={`books-panel-${name}`}
              tabIndex={tab === name ? 0 : -1}
              onClick={() => setTab(name)}
            >
              {t(key)}
            </button>
          ))}
        </div>
      </div>
      {offline && (
        <div className="banner offline" role="status" data-testid="offline-banner">
          {t("dashboard.offline")}
        </div>
      )}
      {categories.error ? <ErrorPanel failure={toFailure(categories.error)} /> : null}
      <div role="tabpanel" id={`books-panel-${tab}`} aria-labelledby={`books-tab-${tab}`}>
        {tab === "month" && <MonthView categories={categories.categories} accounts={accounts} onOpenCategories={() => setTab("categories")} />}
        {tab === "rules" && categories.categories && <Rules categories={categories.categories} accounts={accounts} />}
        {tab === "categories" && categories.categories && <CategoriesPanel state={categories} />}
      </div>
    </div>
  );
}

interface Drill {
  source: FigureSource;
  /** The figure's name (a category's, 未分類, 振替). */
  title: string;
  side: Side | null;
}

function MonthView({
  categories,
  accounts,
  onOpenCategories,
}: {
  categories: Categories | null;
  accounts: AccountCard[];
  onOpenCategories: () => void;
}) {
  const { t, lang } = useLocale();
  const { scope, shared, member } = useHousehold();
  const latest = useMemo(() => monthOf(new Date()), []);
  const [month, setMonth] = useState<Month>(latest);
  const [report, setReport] = useState<MonthReport | null>(null);
  const [year, setYear] = useState<MonthSummary[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  // Bumped when lines were edited: the figures are read again.
  const [version, setVersion] = useState(0);
  const [drill, setDrill] = useState<Drill | null>(null);
  const [drillGeneration, setDrillGeneration] = useState(0);
  const drillRef = useRef<HTMLElement>(null);

  useEffect(() => {
    let stale = false;
    call("booksMonth", { month, accounts: [], ...(scope === null ? {} : { memberId: scope }) }).then(
      (r) => {
        if (stale) return;
        setReport(r);
        setError(null);
      },
      (e: unknown) => !stale && setError(e),
    );
    return () => {
      stale = true;
    };
  }, [month, version, scope]);

  // Asked once the month's figures are in: the totals the person came for paint first, and the
  // chart and month picker (ten years of months) fill in just after.
  const monthShown = report !== null;
  useEffect(() => {
    if (!monthShown) return;
    let stale = false;
    call("booksYear", { last: latest, months: 120, accounts: [], ...(scope === null ? {} : { memberId: scope }) }).then(
      (r) => !stale && setYear(r.months),
      (e: unknown) => !stale && setError(e),
    );
    return () => {
      stale = true;
    };
  }, [latest, version, monthShown, scope]);

  usePaintMark("kura:books-total", monthShown); // for ui/e2e/bench.mjs: the month's totals are on screen

  useEffect(() => {
    if (drill) drillRef.current?.scrollIntoView({ block: "start", behavior: "smooth" });
  }, [drill]);

  const shown = useMemo(() => chartMonths(latest, month), [latest, month]);
  const stacked = useMemo(() => {
    const byMonth = new Map((year ?? []).map((m) => [m.month, m]));
    return stackMonths(shown.map((m) => byMonth.get(m) ?? { month: m, spending: 0, income: 0, spendingByCategory: [] }));
  }, [year, shown]);
  const colorOf = useMemo(() => {
    const map = new Map<number | null, Series["color"]>();
    for (const s of stacked.series) if (s.key !== "rest") map.set(s.categoryId, s.color);
    return (id: number | null) => map.get(id) ?? (id === null ? "none" : "rest");
  }, [stacked]);
  const months = useMemo(() => pickableMonths(year ?? [], latest), [year, latest]);
  const accountLabels = useMemo(() => new Map(accounts.map((a) => [a.id, accountLabel(a)])), [accounts]);
  const accountColours = useMemo(() => {
    const map = new Map<number, string>();
    if (shared) for (const a of accounts) if (a.memberId !== null && member(a.memberId)) map.set(a.id, member(a.memberId)!.colour);
    return map;
  }, [accounts, shared, member]);

  if (error && !report) return <ErrorPanel failure={toFailure(error)} />;
  if (!report) return <p className="loading">{t("common.loading")}</p>;

  const open = (d: Drill) => {
    setDrill(d);
    setDrillGeneration((g) => g + 1);
  };
  const drilled = drill ? findFigure(report, drill.source) : null;
  const drillKey = drill ? `${JSON.stringify(drillFilter(drill.source, month, [], scope))} ${drillGeneration}` : "";
  const budgets = [
    ...report.spendingByCategory.filter((f) => f.budget !== null),
    ...report.idleBudgets,
  ];

  return (
    <div className="month-view">
      <div className="month-nav" role="group" aria-label={t("books.monthNav")}>
        <button type="button" className="secondary icon" onClick={() => setMonth(addMonths(month, -1))} aria-label={t("books.prevMonth")}>
          ‹
        </button>
        <select value={month} onChange={(e) => setMonth(e.target.value)} aria-label={t("books.month")} data-testid="month-picker">
          {(months.includes(month) ? months : [month, ...months].sort().reverse()).map((m) => (
            <option key={m} value={m}>
              {formatMonth(m, lang)}
            </option>
          ))}
        </select>
        <button
          type="button"
          className="secondary icon"
          onClick={() => setMonth(addMonths(month, 1))}
          disabled={month >= latest}
          aria-label={t("books.nextMonth")}
        >
          ›
        </button>
        {month !== latest && (
          <button type="button" className="link-button" onClick={() => setMonth(latest)}>
            {t("books.thisMonth")}
          </button>
        )}
      </div>

      <section className="books-summary" aria-label={t("books.summary")}>
        <Stat label={t("books.spending")} amount={report.spending} className="out" testId="books-spending" />
        <Stat label={t("books.income")} amount={report.income} className="in" testId="books-income" />
        <Stat label={t("books.net")} amount={report.net} signed className={report.net < 0 ? "out" : "in"} testId="books-net" />
      </section>

      <div className="books-notes">
        {report.uncategorisedLines > 0 ? (
          <button
            type="button"
            className="to-sort"
            onClick={() => open({ source: { kind: "toSort" }, title: t("books.toSortTitle"), side: null })}
            data-testid="to-sort"
          >
            {t("books.toSort", { count: report.uncategorisedLines })}
          </button>
        ) : (
          <span className="all-sorted">{t("books.allSorted")}</span>
        )}
        {report.transferLines > 0 && (
          <button
            type="button"
            className="link-button small"
            onClick={() => open({ source: { kind: "transfers" }, title: t("books.transfersTitle"), side: null })}
            data-testid="transfers-note"
          >
            {t("books.transfers", { count: report.transferLines, in: formatYen(report.transfersIn), out: formatYen(report.transfersOut) })}
          </button>
        )}
      </div>

      {drill && (
        <section className="card drill" ref={drillRef} aria-labelledby="drill-title" data-testid="drill">
          <div className="row spread">
            <div>
              <h2 id="drill-title">
                {drill.title} <span className="small">{formatMonth(month, lang)}</span>
              </h2>
              {/* A list of lines only (to sort, transfers) has its count above the table. */}
              {(drilled === null || drilled.amount !== null) && (
                <p className="small" data-testid="drill-figure">
                  {drilled === null
                    ? t("books.drillEmpty")
                    : t("books.drillFigure", { amount: formatYen(drilled.amount!), count: drilled.lines })}
                </p>
              )}
            </div>
            <button type="button" className="secondary" onClick={() => setDrill(null)}>
              {t("export.close")}
            </button>
          </div>
          <HistoryTable
            key={drillKey}
            filter={drillFilter(drill.source, month, [], scope)}
            gaps={[]}
            onChanged={() => setDrillGeneration((g) => g + 1)}
            categories={categories}
            accountLabels={accountLabels}
            accountColours={accountColours}
            onEdited={() => setVersion((v) => v + 1)}
            label={drill.title}
            fitHeight={440}
          />
        </section>
      )}

      <section className="card">
        <h2>{t("books.yearChart")}</h2>
        {year === null ? (
          <p className="loading">{t("common.loading")}</p>
        ) : (
          <BooksChart stacked={stacked} selected={month} onSelect={setMonth} categories={categories} />
        )}
      </section>

      <div className="books-grid">
        <section className="card" aria-labelledby="spending-title" data-testid="spending-list">
          <h2 id="spending-title">{t("books.spendingBy")}</h2>
          <FigureList
            figures={report.spendingByCategory}
            total={report.spending}
            side="spending"
            colorOf={colorOf}
            onOpen={open}
            empty={t("books.noSpending")}
          />
        </section>
        <div>
          <section className="card" aria-labelledby="budgets-title" data-testid="budgets">
            <h2 id="budgets-title">{t("books.budgets")}</h2>
            {budgets.length === 0 ? (
              <p className="small">
                {t("books.noBudgets")}{" "}
                <button type="button" className="link-button" onClick={onOpenCategories}>
                  {t("books.setBudgets")}
                </button>
              </p>
            ) : (
              <ul className="budgets">
                {budgets.map((f) => (
                  <BudgetRow key={f.categoryId} figure={f} month={month} />
                ))}
              </ul>
            )}
          </section>
          <section className="card" aria-labelledby="income-title" data-testid="income-list">
            <h2 id="income-title">{t("books.incomeBy")}</h2>
            <FigureList
              figures={report.incomeByCategory}
              total={report.income}
              side="income"
              colorOf={() => "income"}
              onOpen={open}
              empty={t("books.noIncome")}
            />
          </section>
        </div>
      </div>
    </div>
  );
}

function Stat({ label, amount, className, signed, testId }: { label: string; amount: number; className: string; signed?: boolean; testId: string }) {
  return (
    <div className="stat card">
      <span className="stat-label">{label}</span>
      <span className={`amount ${className}`} data-testid={testId}>
        {signed && amount > 0 ? `+${formatYen(amount)}` : formatYen(amount)}
      </span>
    </div>
  );
}

function FigureList({
  figures,
  total,
  side,
  colorOf,
  onOpen,
  empty,
}: {
  figures: CategoryFigure[];
  total: number;
  side: Side;
  colorOf: (id: number | null) => Series["color"] | "income";
  onOpen: (d: Drill) => void;
  empty: string;
}) {
  const { t } = useLocale();
  const [expanded, setExpanded] = useState<Set<number | null>>(new Set());
  if (figures.length === 0) return <p className="small">{empty}</p>;
  const toggle = (id: number | null) => {
    const next = new Set(expanded);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    setExpanded(next);
  };
  const openFigure = (f: CategoryFigure, top?: CategoryFigure) =>
    onOpen({
      source: sourceOf(f, side, top),
      title: top && top.categoryId === f.categoryId ? t("books.ownLines", { name: f.name }) : top ? `${top.name} › ${f.name}` : f.name,
      side,
    });
  return (
    <ul className="figures">
      {figures.map((f) => {
        const open = expanded.has(f.categoryId);
        const share = percent(f.amount, total);
        return (
          <li key={f.categoryId ?? "none"} className="figure" data-testid="figure" data-category-id={f.categoryId ?? "none"}>
            <div className="figure-row">
              {f.children.length > 0 ? (
                <button
                  type="button"
                  className="expander"
                  aria-expanded={open}
                  aria-label={t(open ? "books.collapse" : "books.expand", { name: f.name })}
                  onClick={() => toggle(f.categoryId)}
                >
                  <span aria-hidden="true">{open ? "▾" : "▸"}</span>
                </button>
              ) : (
                <span className="expander" />
              )}
              <button type="button" className="figure-open" onClick={() => openFigure(f)} data-testid="figure-open">
                <span className={`swatch c-${colorOf(f.categoryId)}`} aria-hidden="true" />
                <span className="figure-name">{f.name}</span>
                <span className="share" aria-hidden="true">
                  <span className={`share-fill c-${colorOf(f.categoryId)}`} style={{ width: `${Math.max(0, Math.min(100, share))}%` }} />
                </span>
                <span className="pct small">{share}%</span>
                <span className="num figure-amount" data-testid="figure-amount">
                  {formatYen(f.amount)}
                </span>
              </button>
            </div>
            {open && (
              <ul className="children">
                {f.children.map((c) => (
                  <li key={`${c.categoryId}-${c.categoryId === f.categoryId ? "own" : "child"}`} data-testid="figure-child">
                    <button type="button" className="figure-open child" onClick={() => openFigure(c, f)}>
                      <span className="figure-name">{c.categoryId === f.categoryId ? t("books.ownLinesShort") : c.name}</span>
                      <span className="small">{t("account.rows", { count: c.lines })}</span>
                      <span className="num figure-amount">{formatYen(c.amount)}</span>
                    </button>
                  </li>
                ))}
              </ul>
            )}
          </li>
        );
      })}
    </ul>
  );
}

function BudgetRow({ figure, month }: { figure: CategoryFigure; month: Month }) {
  const { t } = useLocale();
  const pace = figure.budget!;
  const bar = budgetBar(pace, month);
  const text = paceText(pace, month);
  return (
    <li className={bar.over ? "budget over" : bar.ahead ? "budget ahead" : "budget"} data-testid="budget" data-category-id={figure.categoryId ?? ""}>
      <div className="row spread">
        <span className="budget-name">{figure.name}</span>
        <span className="small num">
          {formatYen(pace.spent)} / {formatYen(pace.monthly)}
        </span>
      </div>
      <div
        className="budget-bar"
        role="meter"
        aria-label={figure.name}
        aria-valuemin={0}
        aria-valuemax={pace.monthly}
        aria-valuenow={Math.min(pace.spent, pace.monthly)}
        aria-valuetext={t(text.key, text.vars)}
      >
        <span className="fill" style={{ width: `${bar.spent * 100}%` }} />
        {bar.today !== null && <span className="today" style={{ left: `${bar.today * 100}%` }} title={t("books.budget.today")} />}
      </div>
      <p className="pace" data-testid="budget-pace">
        {t(text.key, text.vars)}
      </p>
    </li>
  );
}
