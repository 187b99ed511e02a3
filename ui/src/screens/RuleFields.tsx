// A rule's fields (conditions and actions), shared by the rules panel and the offer to make a
// rule from a recategorised line; a problem is shown next to the field it is about.

import { useId } from "react";
import type { MatchKind } from "../bindings/commands";
import { useLocale } from "../context";
import type { Categories } from "../lib/books";
import { explainFailure } from "../lib/errors";
import type { MessageKey } from "../lib/i18n";
import { MATCH_KINDS, type RuleDraft, type RuleField } from "../lib/rules";
import type { Failure } from "../lib/transport";
import { CategoryPicker } from "./CategoryPicker";

/** What is wrong with a rule, and where: the core's refusal, or the form's own check. */
export type RuleProblem = { field: RuleField } & ({ failure: Failure } | { key: MessageKey });

const MATCH_LABELS: Record<MatchKind, MessageKey> = {
  contains: "rules.match.contains",
  startsWith: "rules.match.startsWith",
  is: "rules.match.is",
  regex: "rules.match.regex",
};

/** A problem in words, next to its field (or above the form's buttons). */
export function ProblemNote({ problem, id }: { problem: RuleProblem; id?: string }) {
  const { t } = useLocale();
  if ("key" in problem) {
    return (
      <div className="field-problem" role="alert" id={id} data-testid="field-problem">
        <strong>{t(problem.key)}</strong>
      </div>
    );
  }
  const e = explainFailure(problem.failure);
  return (
    <div className="field-problem" role="alert" id={id} data-testid="field-problem">
      <strong>{t(e.title, e.vars)}</strong>
      {e.shown && <pre className="shown">{e.shown}</pre>}
      <span className="hint">{t(e.action, e.vars)}</span>
    </div>
  );
}

interface Props {
  draft: RuleDraft;
  onChange: (d: RuleDraft) => void;
  categories: Categories;
  /** The accounts a rule may be limited to; absent in the short form. */
  accounts?: { id: number; label: string }[];
  problem: RuleProblem | null;
  /** The short form (the offer after a recategorisation): remarks, in/out and category. */
  compact?: boolean;
}

export function RuleFields({ draft, onChange, categories, accounts, problem, compact }: Props) {
  const { t } = useLocale();
  const id = useId();
  const set = <K extends keyof RuleDraft>(k: K, v: RuleDraft[K]) => onChange({ ...draft, [k]: v });
  const at = (field: RuleField) => (problem?.field === field ? problem : null);
  const note = (field: RuleField) => {
    const p = at(field);
    return p ? <ProblemNote problem={p} id={`${id}-${field}`} /> : null;
  };
  const describedBy = (field: RuleField) => (at(field) ? `${id}-${field}` : undefined);
  return (
    <div className={compact ? "rule-fields compact" : "rule-fields"}>
      <fieldset>
        <legend>{t("rules.conditions")}</legend>
        <div className="field-row">
          <label>
            <span>{t("rules.field.matchKind")}</span>
            <select value={draft.matchKind} onChange={(e) => set("matchKind", e.target.value as MatchKind)} data-testid="rule-match-kind">
              {MATCH_KINDS.map((k) => (
                <option key={k} value={k}>
                  {t(MATCH_LABELS[k])}
                </option>
              ))}
            </select>
          </label>
          <label className="grow">
            <span>{t(draft.matchKind === "regex" ? "rules.field.regex" : "rules.field.pattern")}</span>
            <input
              type="text"
              className="mono"
              value={draft.pattern}
              onChange={(e) => set("pattern", e.target.value)}
              aria-invalid={at("pattern") !== null}
              aria-describedby={describedBy("pattern")}
              spellCheck={false}
              autoComplete="off"
              data-testid="rule-pattern"
            />
          </label>
        </div>
        {note("pattern")}
        <small>{t("rules.field.patternHelp")}</small>
        <div className="field-row">
          <label>
            <span>{t("account.flow")}</span>
            <select value={draft.direction} onChange={(e) => set("direction", e.target.value as RuleDraft["direction"])} data-testid="rule-direction">
              <option value="">{t("account.flow.all")}</option>
              <option value="in">{t("account.flow.in")}</option>
              <option value="out">{t("account.flow.out")}</option>
            </select>
          </label>
          {!compact && (
            <>
              <label>
                <span>{t("account.minAmount")}</span>
                <input
                  type="text"
                  inputMode="numeric"
                  className="amount-input"
                  value={draft.minAmount}
                  onChange={(e) => set("minAmount", e.target.value)}
                  aria-invalid={at("amount") !== null}
                  aria-describedby={describedBy("amount")}
                />
              </label>
              <label>
                <span>{t("account.maxAmount")}</span>
                <input
                  type="text"
                  inputMode="numeric"
                  className="amount-input"
                  value={draft.maxAmount}
                  onChange={(e) => set("maxAmount", e.target.value)}
                  aria-invalid={at("amount") !== null}
                  aria-describedby={describedBy("amount")}
                />
              </label>
              {accounts && (
                <label className="grow">
                  <span>{t("rules.field.account")}</span>
                  <select value={draft.accountId} onChange={(e) => set("accountId", e.target.value)}>
                    <option value="">{t("rules.field.anyAccount")}</option>
                    {accounts.map((a) => (
                      <option key={a.id} value={String(a.id)}>
                        {a.label}
                      </option>
                    ))}
                  </select>
                </label>
              )}
            </>
          )}
        </div>
        {note("amount")}
      </fieldset>
      <fieldset>
        <legend>{t("rules.actions")}</legend>
        <div className="field-row">
          <label className="grow">
            <span>{t("rules.field.category")}</span>
            <CategoryPicker
              categories={categories}
              value={draft.categoryId === "" ? null : Number(draft.categoryId)}
              onChange={(c) => set("categoryId", c === null ? "" : String(c))}
              noneLabel={compact ? undefined : t("rules.field.keepCategory")}
              aria-describedby={describedBy("actions")}
              data-testid="rule-category"
            />
          </label>
          {!compact && (
            <label className="grow">
              <span>{t("rules.field.memo")}</span>
              <input type="text" value={draft.memo} onChange={(e) => set("memo", e.target.value)} data-testid="rule-memo" />
            </label>
          )}
        </div>
        {!compact && (
          <label className="check">
            <input type="checkbox" checked={draft.transfer} onChange={(e) => set("transfer", e.target.checked)} />
            <span>{t("rules.field.transfer")}</span>
          </label>
        )}
        {note("actions")}
      </fieldset>
      {note("form")}
    </div>
  );
}
