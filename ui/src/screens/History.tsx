// 明細: the lines of every account of the household, or of the member the switcher chose (the
// `memberId` of the history's filter), searched and filtered like one account's history, each
// line's account named (and marked in its member's colour); exported from here.

import { useEffect, useMemo, useState } from "react";
import type { AccountCard } from "../bindings/commands";
import { ErrorPanel, toFailure } from "../components";
import { useHousehold, useLocale } from "../context";
import { accountLabel } from "../lib/books";
import { call } from "../lib/transport";
import { EMPTY, FilterFields, toFilter, type Filters } from "./Account";
import { useCategories } from "./CategoryPicker";
import { ExportDialog } from "./ExportDialog";
import { HistoryTable } from "./HistoryTable";

export function History() {
  const { t } = useLocale();
  const { scope, shared, member } = useHousehold();
  const [accounts, setAccounts] = useState<{ scope: number | null; cards: AccountCard[] } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [filters, setFilters] = useState<Filters>(EMPTY);
  const [applied, setApplied] = useState<Filters>(EMPTY);
  const [exporting, setExporting] = useState(false);
  // Bumped when the history changed under the table, which then starts again.
  const [generation, setGeneration] = useState(0);
  const { categories } = useCategories();

  useEffect(() => {
    let stale = false;
    call("overview", scope === null ? {} : { memberId: scope }).then(
      (o) => !stale && setAccounts({ scope, cards: o.accounts }),
      (e: unknown) => !stale && setError(e),
    );
    return () => {
      stale = true;
    };
  }, [scope]);

  // Typing settles before the query runs.
  useEffect(() => {
    const timer = window.setTimeout(() => setApplied(filters), 200);
    return () => window.clearTimeout(timer);
  }, [filters]);

  const cards = accounts?.cards ?? [];
  // The union's name only when the lines come from more than one.
  const labels = useMemo(() => {
    const unions = new Set(cards.map((a) => a.bankName)).size;
    return new Map(cards.map((a) => [a.id, unions > 1 ? `${a.bankName} ${accountLabel(a)}` : accountLabel(a)]));
  }, [cards]);
  const colours = useMemo(() => {
    const map = new Map<number, string>();
    if (shared) for (const a of cards) if (a.memberId !== null && member(a.memberId)) map.set(a.id, member(a.memberId)!.colour);
    return map;
  }, [cards, shared, member]);
  const filter = toFilter([], applied, scope);
  const visible = cards.filter((a) => !a.hidden).length;
  const chosen = member(scope);

  return (
    <div className="history-page">
      <div className="row spread page-head">
        <div>
          <h1>{t("history.title")}</h1>
          {accounts && (
            <p className="small" data-testid="history-scope">
              {chosen ? t("history.scopeMember", { name: chosen.name, count: visible }) : t("history.scopeAll", { count: visible })}
            </p>
          )}
        </div>
        <button type="button" className="secondary" onClick={() => setExporting(true)}>
          {t("export.open")}
        </button>
      </div>
      {error ? <ErrorPanel failure={toFailure(error)} /> : null}
      <FilterFields filters={filters} onChange={setFilters} />
      <HistoryTable
        key={`${JSON.stringify(applied)} ${scope} ${generation}`}
        filter={filter}
        gaps={[]}
        onChanged={() => setGeneration((g) => g + 1)}
        categories={categories}
        accountLabels={labels}
        accountColours={colours}
        label={t("history.title")}
      />
      {exporting && <ExportDialog accountIds={[]} scoped onClose={() => setExporting(false)} />}
    </div>
  );
}
