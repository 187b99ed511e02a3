// The rules, in the order they run: switch each on or off, reorder, edit (the built-in ones too),
// delete, add; apply them to the stored lines after seeing what would change; move them between
// books as a file.

import { useEffect, useRef, useState } from "react";
import type { AccountCard, HistoryFilter, RuleItem, RulesApplyRequest, RulesEffect, RuleSpec, TransactionItem } from "../bindings/commands";
import { ErrorPanel, toFailure } from "../components";
import { useLocale } from "../context";
import { accountLabel, emptyFilter, type Categories } from "../lib/books";
import { formatCalendarDate, formatYen } from "../lib/format";
import { describeActions, describeConditions, draftOf, fieldOf, NEW_RULE, specOf, specOfRule, type RuleDraft } from "../lib/rules";
import { call, inDesktopApp, pickSavePath } from "../lib/transport";
import { RuleFields, type RuleProblem } from "./RuleFields";

interface Props {
  categories: Categories;
  accounts: AccountCard[];
}

/** What the panel is doing besides listing. */
type Mode =
  | { kind: "list" }
  | { kind: "add" }
  | { kind: "edit"; id: number }
  | { kind: "preview"; scope: RulesApplyRequest; effect: RulesEffect | null }
  | { kind: "import" };

export function Rules({ categories, accounts }: Props) {
  const { t, lang } = useLocale();
  const [rules, setRules] = useState<RuleItem[] | null>(null);
  const [mode, setMode] = useState<Mode>({ kind: "list" });
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [deleting, setDeleting] = useState<number | null>(null);

  useEffect(() => {
    call("rulesList", {}).then((r) => setRules(r.rules), setError);
  }, []);

  const run = async (what: () => Promise<void>) => {
    setError(null);
    setNotice(null);
    try {
      await what();
    } catch (e) {
      setError(e);
    }
  };

  const preview = (scope: RulesApplyRequest) =>
    run(async () => {
      setMode({ kind: "preview", scope, effect: null });
      const effect = await call("rulesPreview", scope);
      setMode({ kind: "preview", scope, effect });
    });

  const saveFile = () =>
    run(async () => {
      if (inDesktopApp()) {
        const destination = await pickSavePath(t("rules.export"), "kura-rules.toml", [{ name: "TOML", extensions: ["toml"] }]);
        if (!destination) return;
        const saved = await call("rulesSave", { destination });
        setNotice(t("rules.exported", { count: saved.rules, path: saved.path }));
        return;
      }
      const { toml } = await call("rulesExport", {});
      const url = URL.createObjectURL(new Blob([toml], { type: "application/toml" }));
      const link = document.createElement("a");
      link.href = url;
      link.download = "kura-rules.toml";
      document.body.append(link);
      link.click();
      link.remove();
      window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
      setNotice(t("rules.downloaded", { file: "kura-rules.toml" }));
    });

  if (!rules) return error ? <ErrorPanel failure={toFailure(error)} /> : <p className="loading">{t("common.loading")}</p>;
  const accountOptions = accounts.map((a) => ({ id: a.id, label: `${a.bankName} ${accountLabel(a)}` }));
  const accountName = (id: number | null) => accountOptions.find((a) => a.id === id)?.label;

  return (
    <div className="rules">
      <p className="lead small">{t("rules.lead")}</p>
      <div className="row toolbar">
        <button type="button" className="primary" onClick={() => setMode({ kind: "add" })} data-testid="rule-add">
          {t("rules.add")}
        </button>
        <button type="button" className="secondary" onClick={() => void preview({ ruleId: null })} data-testid="rules-apply">
          {t("rules.applyAll")}
        </button>
        <span className="spacer" />
        <button type="button" className="secondary" onClick={() => void saveFile()}>
          {t("rules.export")}
        </button>
        <button type="button" className="secondary" onClick={() => setMode({ kind: "import" })} data-testid="rules-import-open">
          {t("rules.import")}
        </button>
      </div>
      {notice && (
        <p className="banner info" role="status" data-testid="rules-notice">
          {notice}
        </p>
      )}
      {error ? <ErrorPanel failure={toFailure(error)} /> : null}
      {mode.kind === "preview" && (
        <ApplyPreview
          mode={mode}
          categories={categories}
          onCancel={() => setMode({ kind: "list" })}
          onApply={() =>
            run(async () => {
              const done = await call("rulesApply", mode.scope);
              setMode({ kind: "list" });
              setNotice(t("rules.applied", { count: done.lines }));
            })
          }
        />
      )}
      {mode.kind === "import" && (
        <ImportPanel
          onCancel={() => setMode({ kind: "list" })}
          onImported={(r, count) => {
            setRules(r);
            setMode({ kind: "list" });
            setNotice(t("rules.imported", { count }));
          }}
        />
      )}
      {mode.kind === "add" && (
        <RuleEditor
          title={t("rules.addTitle")}
          initial={NEW_RULE}
          categories={categories}
          accounts={accountOptions}
          onCancel={() => setMode({ kind: "list" })}
          onSave={async (spec) => {
            const r = await call("ruleCreate", { spec, position: null });
            setRules(r.rules);
            setMode({ kind: "list" });
            setNotice(t("rules.added"));
            return r.id;
          }}
          onPreview={(id) => void preview({ ruleId: id })}
        />
      )}
      <ol className="rule-list" data-testid="rule-list">
        {rules.map((r, i) => (
          <li key={r.id} className={r.enabled ? "rule" : "rule off"} data-testid="rule" data-rule-id={r.id}>
            <div className="rule-row">
              <span className="position num" aria-label={t("rules.position", { n: i + 1 })}>
                {i + 1}
              </span>
              <label className="switch" title={t("rules.enabled")}>
                <input
                  type="checkbox"
                  role="switch"
                  checked={r.enabled}
                  aria-label={t("rules.enabledFor", { n: i + 1 })}
                  onChange={(e) =>
                    void run(async () => {
                      const next = await call("ruleUpdate", { id: r.id, spec: { ...specOfRule(r), enabled: e.target.checked } });
                      setRules(next.rules);
                    })
                  }
                  data-testid="rule-enabled"
                />
                <span className="track" aria-hidden="true" />
              </label>
              <div className="rule-text">
                <span className="conditions">{describeConditions(specOfRule(r), t, formatYen, accountName(r.accountId))}</span>
                <span className="arrow" aria-hidden="true">
                  →
                </span>
                <span className="actions">{describeActions(specOfRule(r), categories, lang, t)}</span>
                {r.builtin && <span className="badge builtin">{t("rules.builtin")}</span>}
              </div>
              <div className="rule-buttons">
                <button
                  type="button"
                  className="secondary icon"
                  disabled={i === 0}
                  aria-label={t("rules.up", { n: i + 1 })}
                  onClick={() => void run(async () => setRules((await call("ruleMove", { id: r.id, position: i - 1 })).rules))}
                >
                  ↑
                </button>
                <button
                  type="button"
                  className="secondary icon"
                  disabled={i === rules.length - 1}
                  aria-label={t("rules.down", { n: i + 1 })}
                  onClick={() => void run(async () => setRules((await call("ruleMove", { id: r.id, position: i + 1 })).rules))}
                >
                  ↓
                </button>
                <button type="button" className="secondary" onClick={() => setMode({ kind: "edit", id: r.id })} data-testid="rule-edit">
                  {t("rules.edit")}
                </button>
                <button type="button" className="secondary" onClick={() => setDeleting(r.id)} data-testid="rule-delete">
                  {t("rules.delete")}
                </button>
              </div>
            </div>
            {deleting === r.id && (
              <div className="confirm row" role="group">
                <span>{t(r.builtin ? "rules.deleteBuiltin" : "rules.deleteConfirm")}</span>
                <button
                  type="button"
                  className="danger"
                  onClick={() =>
                    void run(async () => {
                      setRules((await call("ruleDelete", { id: r.id })).rules);
                      setDeleting(null);
                    })
                  }
                >
                  {t("rules.delete")}
                </button>
                <button type="button" className="secondary" onClick={() => setDeleting(null)}>
                  {t("common.cancel")}
                </button>
              </div>
            )}
            {mode.kind === "edit" && mode.id === r.id && (
              <RuleEditor
                title={t("rules.editTitle", { n: i + 1 })}
                initial={draftOf(specOfRule(r))}
                categories={categories}
                accounts={accountOptions}
                onCancel={() => setMode({ kind: "list" })}
                onSave={async (spec) => {
                  const next = await call("ruleUpdate", { id: r.id, spec });
                  setRules(next.rules);
                  setMode({ kind: "list" });
                  setNotice(t("rules.saved"));
                  return r.id;
                }}
                onPreview={(id) => void preview({ ruleId: id })}
              />
            )}
          </li>
        ))}
      </ol>
    </div>
  );
}

function RuleEditor({
  title,
  initial,
  categories,
  accounts,
  onSave,
  onCancel,
  onPreview,
}: {
  title: string;
  initial: RuleDraft;
  categories: Categories;
  accounts: { id: number; label: string }[];
  /** Saves; resolves to the rule's id. */
  onSave: (spec: RuleSpec) => Promise<number>;
  onCancel: () => void;
  onPreview: (id: number) => void;
}) {
  const { t } = useLocale();
  const [draft, setDraft] = useState(initial);
  const [problem, setProblem] = useState<RuleProblem | null>(null);
  const [busy, setBusy] = useState(false);
  const [applyAfter, setApplyAfter] = useState(true);
  const save = async () => {
    const checked = specOf(draft);
    if (!("spec" in checked)) return setProblem(checked);
    setBusy(true);
    setProblem(null);
    try {
      const id = await onSave(checked.spec);
      if (applyAfter) onPreview(id);
    } catch (e) {
      const failure = toFailure(e);
      setProblem({ field: fieldOf(failure.kind), failure });
    } finally {
      setBusy(false);
    }
  };
  return (
    <form
      className="rule-editor"
      aria-label={title}
      data-testid="rule-editor"
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <h3>{title}</h3>
      <RuleFields draft={draft} onChange={setDraft} categories={categories} accounts={accounts} problem={problem} />
      <RuleReach draft={draft} />
      <label className="check">
        <input type="checkbox" checked={applyAfter} onChange={(e) => setApplyAfter(e.target.checked)} />
        <span>{t("rules.previewAfterSave")}</span>
      </label>
      <div className="row">
        <button type="submit" className="primary" disabled={busy} data-testid="rule-save">
          {t("rules.save")}
        </button>
        <button type="button" className="secondary" onClick={onCancel}>
          {t("common.cancel")}
        </button>
      </div>
    </form>
  );
}

/** How many stored lines the rule being edited would change, and a few lines it matches. */
function RuleReach({ draft }: { draft: RuleDraft }) {
  const { t } = useLocale();
  const [count, setCount] = useState<number | null>(null);
  const [samples, setSamples] = useState<TransactionItem[]>([]);
  useEffect(() => {
    const checked = specOf(draft);
    if (!("spec" in checked) || checked.spec.pattern === "") {
      setCount(null);
      setSamples([]);
      return;
    }
    const { spec } = checked;
    let stale = false;
    const timer = window.setTimeout(() => {
      call("ruleReach", { spec }).then(
        (r) => !stale && setCount(r.lines),
        // The form says what is wrong when it is saved.
        () => !stale && setCount(null),
      );
      // Examples only where the history's search finds exactly what the rule matches: one word
      // contained in the remarks (both fold ｶｰﾄﾞ, カード and ｶ-ﾄﾞ alike).
      if (spec.matchKind !== "contains" || /\s/.test(spec.pattern)) return setSamples([]);
      const filter: HistoryFilter = {
        ...emptyFilter(),
        search: spec.pattern,
        flow: spec.direction,
        minAmount: spec.minAmount,
        maxAmount: spec.maxAmount,
        accounts: spec.accountId === null ? [] : [spec.accountId],
      };
      call("transactions", { filter, cursor: null, limit: 5 }).then(
        (page) => !stale && setSamples(page.rows),
        () => !stale && setSamples([]),
      );
    }, 300);
    return () => {
      stale = true;
      window.clearTimeout(timer);
    };
  }, [draft]);
  if (count === null) return null;
  return (
    <div className="rule-reach" aria-live="polite" data-testid="rule-reach">
      <p className="reach">{t("rules.reach", { count })}</p>
      {samples.length > 0 && (
        <>
          <p className="small">{t("rules.previewSamples")}</p>
          <ul className="samples" data-testid="rule-samples">
            {samples.map((l) => (
              <li key={l.id}>
                <span>{formatCalendarDate(l.transactionDate)}</span>
                <span className="remarks">{l.remarks}</span>
                <span className={l.amount < 0 ? "num out" : "num in"}>{formatYen(l.amount)}</span>
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}

function ApplyPreview({
  mode,
  categories,
  onApply,
  onCancel,
}: {
  mode: Extract<Mode, { kind: "preview" }>;
  categories: Categories;
  onApply: () => void;
  onCancel: () => void;
}) {
  const { t, lang } = useLocale();
  const { effect } = mode;
  const name = (id: number | null) => (id === null ? t("books.uncategorised") : (categories.path(id, lang) ?? t("books.categoryGone")));
  return (
    <section className="card apply-preview" aria-labelledby="apply-title" data-testid="apply-preview">
      <h3 id="apply-title">{t(mode.scope.ruleId === null ? "rules.previewAllTitle" : "rules.previewOneTitle")}</h3>
      {effect === null ? (
        <p className="loading">{t("common.loading")}</p>
      ) : effect.lines === 0 ? (
        <p>{t("rules.previewNothing")}</p>
      ) : (
        <>
          <p data-testid="apply-count">{t("rules.previewCount", { count: effect.lines })}</p>
          {effect.moves.length > 0 && (
            <ul className="moves">
              {effect.moves.slice(0, 10).map((m) => (
                <li key={`${m.from}-${m.to}`}>
                  {name(m.from)} → {name(m.to)}: {t("account.rows", { count: m.lines })}
                </li>
              ))}
              {effect.moves.length > 10 && <li className="small">{t("rules.previewMore", { count: effect.moves.length - 10 })}</li>}
            </ul>
          )}
          {effect.samples.length > 0 && (
            <>
              <p className="small">{t("rules.previewSamples")}</p>
              <ul className="samples refiled" data-testid="apply-samples">
                {effect.samples.map((l) => (
                  <li key={l.id}>
                    <span>{formatCalendarDate(l.transactionDate)}</span>
                    <span className="remarks">{l.remarks}</span>
                    <span className={l.amount < 0 ? "num out" : "num in"}>{formatYen(l.amount)}</span>
                    <span className="move">
                      {name(l.from)} → {name(l.to)}
                      {l.transfer && ` · ${t("line.transferMark")}`}
                    </span>
                  </li>
                ))}
              </ul>
            </>
          )}
          <p className="small">{t("rules.previewKeeps")}</p>
        </>
      )}
      <div className="row">
        {effect !== null && effect.lines > 0 && (
          <button type="button" className="primary" onClick={onApply} data-testid="apply-confirm">
            {t("rules.applyConfirm", { count: effect.lines })}
          </button>
        )}
        <button type="button" className="secondary" onClick={onCancel}>
          {effect !== null && effect.lines === 0 ? t("export.close") : t("common.cancel")}
        </button>
      </div>
    </section>
  );
}

function ImportPanel({ onImported, onCancel }: { onImported: (rules: RuleItem[], count: number) => void; onCancel: () => void }) {
  const { t } = useLocale();
  const [text, setText] = useState<string | null>(null);
  const [fileName, setFileName] = useState("");
  const [replace, setReplace] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const input = useRef<HTMLInputElement>(null);
  const submit = async () => {
    if (text === null) return;
    setError(null);
    try {
      const r = await call("rulesImport", { toml: text, replace });
      onImported(r.rules, r.imported);
    } catch (e) {
      setError(e);
    }
  };
  return (
    <form
      className="card import-panel"
      aria-labelledby="import-title"
      data-testid="rules-import"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <h3 id="import-title">{t("rules.importTitle")}</h3>
      <label>
        <span>{t("rules.importFile")}</span>
        <input
          ref={input}
          type="file"
          accept=".toml,text/plain,application/toml"
          onChange={(e) => {
            const file = e.target.files?.[0];
            setError(null);
            if (!file) return setText(null);
            setFileName(file.name);
            file.text().then(setText, setError);
          }}
          data-testid="rules-import-file"
        />
      </label>
      <label className="check">
        <input type="checkbox" checked={replace} onChange={(e) => setReplace(e.target.checked)} />
        <span>{t("rules.importReplace")}</span>
      </label>
      <small>{t(replace ? "rules.importReplaceHelp" : "rules.importAddHelp")}</small>
      {error ? <ErrorPanel failure={toFailure(error)} /> : null}
      <div className="row">
        <button type="submit" className="primary" disabled={text === null} data-testid="rules-import-submit">
          {text === null ? t("rules.importSubmit") : t("rules.importSubmitFile", { file: fileName })}
        </button>
        <button type="button" className="secondary" onClick={onCancel}>
          {t("common.cancel")}
        </button>
      </div>
    </form>
  );
}
