// One account: its history (virtualised, paged from the store as you scroll, each line's
// category, memo and transfer mark editable) with search and filters, and its charts.

import { useEffect, useId, useMemo, useState } from "react";
import type { AccountCard, Flow, HistoryFilter } from "../bindings/commands";
import type { Route } from "../App";
import { GapDeadline, MemberTag } from "../components";
import { useHousehold, useLocale } from "../context";
import { emptyFilter } from "../lib/books";
import { formatDateTimeJst, formatYen, parseDateInput } from "../lib/format";
import { gapsInRange } from "../lib/gaps";
import { call } from "../lib/transport";
import { useCategories } from "./CategoryPicker";
import { Charts } from "./Charts";
import { ExportDialog } from "./ExportDialog";
import { HistoryTable } from "./HistoryTable";

/** The history's filters as typed. */
export interface Filters {
  search: string;
  from: string;
  to: string;
  flow: "" | Flow;
  min: string;
  max: string;
}

export const EMPTY: Filters = { search: "", from: "", to: "", flow: "", min: "", max: "" };

/** The query for the filters as typed, over `accounts` (none: every visible one) of `memberId` (null: anyone's). */
export function toFilter(accounts: number[], f: Filters, memberId: number | null = null): HistoryFilter {
  const amount = (s: string) => (s.trim() === "" || Number.isNaN(Number(s)) ? null : Math.trunc(Number(s)));
  // A date still being typed (or mistyped) does not filter; the field says why.
  const date = (s: string) => parseDateInput(s) ?? null;
  return {
    ...emptyFilter(),
    accounts,
    memberId,
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
  const { shared, member } = useHousehold();
  const [card, setCard] = useState<AccountCard | null>(null);
  const [tab, setTab] = useState<"history" | "charts">("history");
  const [filters, setFilters] = useState<Filters>(EMPTY);
  const [applied, setApplied] = useState<Filters>(EMPTY);
  const [exporting, setExporting] = useState(false);
  // Bumped when the history changed under the table, which then starts again.
  const [generation, setGeneration] = useState(0);
  const { categories } = useCategories();

  useEffect(() => {
    call("overview", {}).then((o) => setCard(o.accounts.find((a) => a.id === accountId) ?? null));
  }, [accountId]);

  // Typing settles before the query runs.
  useEffect(() => {
    const timer = window.setTimeout(() => setApplied(filters), 200);
    return () => window.clearTimeout(timer);
  }, [filters]);

  const filter = toFilter([accountId], applied);
  const gaps = useMemo(() => gapsInRange(card?.gaps ?? [], filter.from, filter.to), [card, filter.from, filter.to]);
  const owner = shared && card ? member(card.memberId) : undefined;

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
            {owner && <MemberTag member={owner} />}
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
            <FilterFields filters={filters} onChange={setFilters} />
            <HistoryTable
              key={`${JSON.stringify(applied)} ${generation}`}
              filter={filter}
              gaps={gaps}
              onChanged={() => setGeneration((g) => g + 1)}
              categories={categories}
              label={t("account.history")}
            />
          </>
        )}
      </div>
    </div>
  );
}

/** The history's search and filters: remarks, dates, in or out, amounts. */
export function FilterFields({ filters, onChange }: { filters: Filters; onChange: (f: Filters) => void }) {
  const { t } = useLocale();
  const set = (k: keyof Filters) => (e: { target: { value: string } }) => onChange({ ...filters, [k]: e.target.value });
  return (
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
  );
}

const TABS = ["history", "charts"] as const;

/** Arrow keys move between tabs (the WAI-ARIA tabs pattern); Tab moves on to the panel. */
export function switchTabWithArrows(e: React.KeyboardEvent<HTMLElement>) {
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
