// One line's books: its category, memo and transfer mark, set by the person (no rule or sync
// changes them again) or given back to the rules. After a new category Kura offers to make a
// rule from the line, pre-filled, saying how many other lines it would file; accepting makes
// the rule and applies it to the stored lines at once.

import { useEffect, useRef, useState } from "react";
import type { LineChange, SuggestedRule, TransactionItem } from "../bindings/commands";
import { ErrorPanel, toFailure } from "../components";
import { useLocale } from "../context";
import type { Categories } from "../lib/books";
import { formatCalendarDate, formatYen } from "../lib/format";
import { draftOf, fieldOf, specOf, type RuleDraft } from "../lib/rules";
import { call, CommandError } from "../lib/transport";
import { CategoryPicker } from "./CategoryPicker";
import { RuleFields, type RuleProblem } from "./RuleFields";

interface Props {
  line: TransactionItem;
  /** The line's account, when the list mixes accounts. */
  account?: string;
  categories: Categories;
  onUpdated: (line: TransactionItem) => void;
  onRulesApplied: () => void;
  onClose: () => void;
}

export function LineDialog({ line: initial, account, categories, onUpdated, onRulesApplied, onClose }: Props) {
  const { t } = useLocale();
  const dialog = useRef<HTMLDialogElement>(null);
  const [line, setLine] = useState(initial);
  const [memo, setMemo] = useState(initial.memo ?? "");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [suggestion, setSuggestion] = useState<SuggestedRule | null>(null);

  useEffect(() => {
    dialog.current?.showModal();
  }, []);

  const change = async (c: LineChange, done: string) => {
    setBusy(true);
    setError(null);
    setSaved(null);
    const before = line;
    // The choice shows at once (a checkbox or select that lagged would look broken), and is
    // taken back if the core refuses it.
    if (c.change === "transfer") setLine({ ...line, transfer: c.transfer });
    if (c.change === "category") setLine({ ...line, categoryId: c.categoryId });
    try {
      const r = await call("lineUpdate", { id: line.id, ...c });
      setLine(r.line);
      setMemo(r.line.memo ?? "");
      onUpdated(r.line);
      setSuggestion(c.change === "category" ? r.suggestion : null);
      setSaved(done);
    } catch (e) {
      setLine(before);
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const byPerson = line.categoryBy === "person" || line.memoBy === "person" || line.transferBy === "person";
  const decidedBy = (by: TransactionItem["categoryBy"]) =>
    by === "person" ? t("line.by.person") : by === "rule" ? t("line.by.rule") : by === "detected" ? t("line.by.detected") : null;

  return (
    <dialog ref={dialog} className="card dialog line-dialog" onClose={onClose} aria-labelledby="line-title" data-testid="line-dialog">
      <div className="dialog-body">
        <h2 id="line-title">{t("line.title")}</h2>
        <div className="line-facts">
          <span className="remarks-text">{line.remarks}</span>
          <span className={line.amount < 0 ? "amount out" : "amount in"}>{formatYen(line.amount)}</span>
          <span className="small">
            {formatCalendarDate(line.transactionDate)}
            {account ? ` · ${account}` : ""}
          </span>
        </div>
        <label>
          <span>
            {t("line.category")}
            {line.categoryId !== null && decidedBy(line.categoryBy) && <em className="by"> — {decidedBy(line.categoryBy)}</em>}
          </span>
          <CategoryPicker
            categories={categories}
            value={line.categoryId}
            onChange={(id) => void change({ change: "category", categoryId: id }, t("line.saved.category"))}
            noneLabel={t("books.uncategorised")}
            disabled={busy}
            data-testid="line-category-picker"
          />
        </label>
        <form
          className="memo-form"
          onSubmit={(e) => {
            e.preventDefault();
            void change({ change: "memo", memo: memo.trim() === "" ? null : memo.trim() }, t("line.saved.memo"));
          }}
        >
          <label className="grow">
            <span>{t("line.memo")}</span>
            <input type="text" value={memo} onChange={(e) => setMemo(e.target.value)} placeholder={t("line.memoPlaceholder")} data-testid="line-memo-input" />
          </label>
          <button type="submit" className="secondary" disabled={busy || memo === (line.memo ?? "")}>
            {t("line.saveMemo")}
          </button>
        </form>
        <label className="check">
          <input
            type="checkbox"
            checked={line.transfer}
            disabled={busy}
            onChange={(e) => void change({ change: "transfer", transfer: e.target.checked }, t("line.saved.transfer"))}
            data-testid="line-transfer"
          />
          <span>
            {t("line.transfer")}
            {line.transfer && decidedBy(line.transferBy) && <em className="by"> — {decidedBy(line.transferBy)}</em>}
          </span>
        </label>
        <small>{t("line.transferHelp")}</small>
        {error ? <ErrorPanel failure={toFailure(error)} /> : null}
        {saved && !suggestion && (
          <p role="status" className="small saved">
            {saved}
          </p>
        )}
        {suggestion && (
          <RuleOffer
            key={line.categoryId ?? "none"}
            suggestion={suggestion}
            categories={categories}
            onDone={() => {
              setSuggestion(null);
              onRulesApplied();
            }}
            onApplied={(text) => setSaved(text)}
            onDismiss={() => setSuggestion(null)}
          />
        )}
        <div className="row spread">
          <button
            type="button"
            className="link-button"
            disabled={busy || !byPerson}
            onClick={() => void change({ change: "reset" }, t("line.saved.reset"))}
            title={t("line.resetHelp")}
            data-testid="line-reset"
          >
            {t("line.reset")}
          </button>
          <button type="button" className="secondary" onClick={() => dialog.current?.close()}>
            {t("export.close")}
          </button>
        </div>
      </div>
    </dialog>
  );
}

/** The offer to file lines like this one the same way from now on. */
function RuleOffer({
  suggestion,
  categories,
  onApplied,
  onDone,
  onDismiss,
}: {
  suggestion: SuggestedRule;
  categories: Categories;
  onApplied: (text: string) => void;
  onDone: () => void;
  onDismiss: () => void;
}) {
  const { t, lang } = useLocale();
  const [draft, setDraft] = useState<RuleDraft>(() => draftOf(suggestion.spec));
  const [reach, setReach] = useState<number | null>(suggestion.lines);
  const [problem, setProblem] = useState<RuleProblem | null>(null);
  const [busy, setBusy] = useState(false);
  const edited = useRef(false);

  // The count follows the pattern as it is edited.
  useEffect(() => {
    if (!edited.current) return;
    const checked = specOf(draft);
    if (!("spec" in checked) || checked.spec.pattern === "") {
      setReach(null);
      return;
    }
    const timer = window.setTimeout(() => {
      call("ruleReach", { spec: checked.spec }).then(
        (r) => {
          setReach(r.lines);
          setProblem(null);
        },
        (e: unknown) => {
          setReach(null);
          if (e instanceof CommandError) setProblem({ field: fieldOf(e.failure.kind), failure: e.failure });
        },
      );
    }, 250);
    return () => window.clearTimeout(timer);
  }, [draft]);

  const accept = async () => {
    const checked = specOf(draft);
    if (!("spec" in checked)) return setProblem(checked);
    setBusy(true);
    setProblem(null);
    try {
      const created = await call("ruleCreate", { spec: checked.spec, position: null });
      const applied = await call("rulesApply", { ruleId: created.id });
      onApplied(t("line.offer.done", { count: applied.lines }));
      onDone();
    } catch (e) {
      const failure = toFailure(e);
      setProblem({ field: fieldOf(failure.kind), failure });
    } finally {
      setBusy(false);
    }
  };

  const category = draft.categoryId === "" ? null : categories.path(Number(draft.categoryId), lang);
  return (
    <section className="rule-offer" aria-labelledby="rule-offer-title" data-testid="rule-offer">
      <h3 id="rule-offer-title">{t("line.offer.title")}</h3>
      <p className="small">{t("line.offer.lead")}</p>
      <RuleFields
        draft={draft}
        onChange={(d) => {
          edited.current = true;
          setDraft(d);
        }}
        categories={categories}
        problem={problem}
        compact
      />
      <p className="reach" aria-live="polite" data-testid="rule-offer-reach">
        {reach === null ? "\u00a0" : reach === 0 ? t("line.offer.reachNone") : t("line.offer.reach", { count: reach, category: category ?? "" })}
      </p>
      <div className="row">
        <button type="button" className="primary" disabled={busy} onClick={() => void accept()} data-testid="rule-offer-accept">
          {busy ? t("common.loading") : t("line.offer.accept")}
        </button>
        <button type="button" className="secondary" disabled={busy} onClick={onDismiss}>
          {t("line.offer.dismiss")}
        </button>
      </div>
    </section>
  );
}
