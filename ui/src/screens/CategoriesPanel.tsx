// The categories, 大項目 with their 中項目s, spending and income apart: add, rename (with an
// English name), reorder, move under another 大項目 or up to the top, choose the journal account
// an export posts to, delete (saying how many lines and rules use it, and asking where they go),
// and each spending 大項目's monthly budget.

import { useState } from "react";
import type { CategoryItem, CategoryKind, CategoryUsage } from "../bindings/commands";
import { ErrorPanel, toFailure } from "../components";
import { useLocale } from "../context";
import { categoryName, type Categories } from "../lib/books";
import { formatYen } from "../lib/format";
import { parseYen } from "../lib/rules";
import { call } from "../lib/transport";
import { CategoryPicker, type CategoriesState } from "./CategoryPicker";

/** What one category's row has open below it. */
type Open =
  | { kind: "rename"; id: number }
  | { kind: "journal"; id: number }
  | { kind: "move"; id: number }
  | { kind: "delete"; id: number; usage: CategoryUsage | null }
  /** A new 大項目 of a kind (parent null) or a new 中項目 of a 大項目. */
  | { kind: "add"; parentId: number | null; categoryKind: CategoryKind };

export function CategoriesPanel({ state }: { state: CategoriesState }) {
  const { t, lang } = useLocale();
  const categories = state.categories!;
  const [open, setOpen] = useState<Open | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const run = async (what: () => Promise<string | null>) => {
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      const done = await what();
      setNotice(done);
      setOpen(null);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const show = (o: Open) => {
    setError(null);
    setNotice(null);
    setOpen(o);
  };
  const budgetOf = (id: number) => state.budgets.find((b) => b.categoryId === id)?.monthly ?? null;

  const openDelete = (id: number) => {
    setError(null);
    setOpen({ kind: "delete", id, usage: null });
    call("categoryUsage", { id }).then(
      (usage) => setOpen((o) => (o?.kind === "delete" && o.id === id ? { ...o, usage } : o)),
      setError,
    );
  };

  const move = (c: CategoryItem, position: number) =>
    run(async () => {
      state.set(await call("categoryMove", { id: c.id, parentId: c.parentId, position }));
      return null;
    });

  /** The form (or question) open under a category's row, or the add form; a refusal under it. */
  const panel = (c: CategoryItem | null, parentId: number | null, kind: CategoryKind) => {
    const form = openForm(c, parentId, kind);
    if (form === null) return null;
    return (
      <>
        {form}
        {error ? <ErrorPanel failure={toFailure(error)} /> : null}
      </>
    );
  };

  const openForm = (c: CategoryItem | null, parentId: number | null, kind: CategoryKind) => {
    if (!open) return null;
    if (open.kind === "add") {
      if (open.parentId !== parentId || open.categoryKind !== kind || c !== null) return null;
      return (
        <NameForm
          title={parentId === null ? t("cats.addTop") : t("cats.addChild")}
          initial={{ name: "", nameEn: "" }}
          submit={t("cats.create")}
          busy={busy}
          onCancel={() => setOpen(null)}
          onSubmit={(name, nameEn) =>
            run(async () => {
              state.set(await call("categoryCreate", { parentId, kind, name, nameEn }));
              return t("cats.saved");
            })
          }
        />
      );
    }
    if (c === null || open.id !== c.id) return null;
    const name = categoryName(c, lang);
    switch (open.kind) {
      case "rename":
        return (
          <NameForm
            title={t("cats.rename")}
            initial={{ name: c.name, nameEn: c.nameEn ?? "" }}
            submit={t("cats.save")}
            busy={busy}
            onCancel={() => setOpen(null)}
            onSubmit={(newName, nameEn) =>
              run(async () => {
                state.set(await call("categoryRename", { id: c.id, name: newName, nameEn }));
                return t("cats.saved");
              })
            }
          />
        );
      case "journal":
        return (
          <JournalForm
            category={c}
            busy={busy}
            onCancel={() => setOpen(null)}
            onSubmit={(account) =>
              run(async () => {
                state.set(await call("categoryJournalAccount", { id: c.id, account }));
                return t("cats.saved");
              })
            }
          />
        );
      case "move":
        return (
          <MoveForm
            category={c}
            tops={categories.tops(c.kind).filter((top) => top.id !== c.id)}
            busy={busy}
            onCancel={() => setOpen(null)}
            onSubmit={(parent) =>
              run(async () => {
                state.set(await call("categoryMove", { id: c.id, parentId: parent, position: null }));
                return t("cats.saved");
              })
            }
          />
        );
      case "delete":
        return (
          <DeleteForm
            category={c}
            categories={categories}
            usage={open.usage}
            busy={busy}
            exclude={(id) => id === c.id || categories.get(id)?.parentId === c.id}
            onCancel={() => setOpen(null)}
            onSubmit={(moveTo) =>
              run(async () => {
                state.set(await call("categoryDelete", { id: c.id, moveTo }));
                return t("cats.deleted", { name });
              })
            }
          />
        );
    }
  };

  const row = (c: CategoryItem, siblings: CategoryItem[], index: number) => {
    const name = categoryName(c, lang);
    const top = c.parentId === null;
    const budget = top && c.kind === "expense" ? budgetOf(c.id) : null;
    return (
      <div className={top ? "cat-row top" : "cat-row child"} data-testid="category" data-category-id={c.id}>
        <div className="cat-name">
          <span className="name" data-testid="category-name">
            {name}
          </span>
          {lang === "ja" && c.nameEn && <span className="small"> {c.nameEn}</span>}
          {lang === "en" && c.nameEn && <span className="small"> {c.name}</span>}
          {c.journalAccount && <span className="small mono journal">{t("cats.journalShown", { account: c.journalAccount })}</span>}
        </div>
        {top && c.kind === "expense" && (
          <BudgetField
            name={name}
            monthly={budget}
            onSave={(monthly) =>
              run(async () => {
                state.set(await call("budgetSet", { categoryId: c.id, monthly }));
                return monthly === null ? t("cats.budgetRemoved", { name }) : t("cats.budgetSaved", { name, amount: formatYen(monthly) });
              })
            }
            onInvalid={() => setNotice(t("cats.budgetInvalid"))}
          />
        )}
        <div className="cat-buttons" role="group" aria-label={t("cats.actionsFor", { name })}>
          <button type="button" className="secondary icon" disabled={busy || index === 0} aria-label={t("cats.moveUp", { name })} onClick={() => void move(c, index - 1)}>
            ↑
          </button>
          <button
            type="button"
            className="secondary icon"
            disabled={busy || index === siblings.length - 1}
            aria-label={t("cats.moveDown", { name })}
            onClick={() => void move(c, index + 1)}
          >
            ↓
          </button>
          <button type="button" className="secondary" onClick={() => show({ kind: "rename", id: c.id })} data-testid="category-rename">
            {t("cats.rename")}
          </button>
          <button type="button" className="secondary" onClick={() => show({ kind: "move", id: c.id })} data-testid="category-move">
            {t("cats.move")}
          </button>
          <button type="button" className="secondary" onClick={() => show({ kind: "journal", id: c.id })} data-testid="category-journal">
            {t("cats.journal")}
          </button>
          <button type="button" className="secondary danger-text" onClick={() => openDelete(c.id)} data-testid="category-delete">
            {t("cats.delete")}
          </button>
        </div>
      </div>
    );
  };

  const side = (kind: CategoryKind) => {
    const tops = categories.tops(kind);
    return (
      <section className="card categories" aria-labelledby={`cats-${kind}`} data-testid={`categories-${kind}`}>
        <div className="row spread">
          <h2 id={`cats-${kind}`}>{t(kind === "expense" ? "cats.expense" : "cats.income")}</h2>
          <button type="button" className="secondary" onClick={() => show({ kind: "add", parentId: null, categoryKind: kind })} data-testid="category-add-top">
            {t("cats.addTop")}
          </button>
        </div>
        {panel(null, null, kind)}
        <ul className="cat-list">
          {tops.map((top, i) => {
            const children = categories.children(top.id);
            return (
              <li key={top.id}>
                {row(top, tops, i)}
                {panel(top, top.parentId, kind)}
                <ul className="cat-children">
                  {children.map((c, j) => (
                    <li key={c.id}>
                      {row(c, children, j)}
                      {panel(c, c.parentId, kind)}
                    </li>
                  ))}
                  <li>
                    <button
                      type="button"
                      className="link-button small"
                      onClick={() => show({ kind: "add", parentId: top.id, categoryKind: kind })}
                      data-testid="category-add-child"
                    >
                      + {t("cats.addChildTo", { name: categoryName(top, lang) })}
                    </button>
                    {panel(null, top.id, kind)}
                  </li>
                </ul>
              </li>
            );
          })}
        </ul>
      </section>
    );
  };

  return (
    <div className="categories-panel">
      <p className="lead small">{t("cats.lead")}</p>
      <p className="small">{t("cats.budgetHelp")}</p>
      {notice && (
        <p className="banner info" role="status" data-testid="categories-notice">
          {notice}
        </p>
      )}
      {error && open === null ? <ErrorPanel failure={toFailure(error)} /> : null}
      {side("expense")}
      {side("income")}
    </div>
  );
}

function BudgetField({
  name,
  monthly,
  onSave,
  onInvalid,
}: {
  name: string;
  monthly: number | null;
  onSave: (monthly: number | null) => void;
  onInvalid: () => void;
}) {
  const { t } = useLocale();
  const [text, setText] = useState(monthly === null ? "" : String(monthly));
  const parsed = parseYen(text);
  const changed = parsed !== monthly;
  return (
    <form
      className="budget-field"
      onSubmit={(e) => {
        e.preventDefault();
        if (parsed === undefined || (parsed !== null && parsed <= 0)) return onInvalid();
        onSave(parsed);
      }}
    >
      <label>
        <span className="small">{t("cats.budget")}</span>
        <input
          type="text"
          inputMode="numeric"
          className="amount-input"
          value={text}
          onChange={(e) => setText(e.target.value)}
          aria-label={t("cats.budgetFor", { name })}
          data-testid="budget-input"
        />
      </label>
      <button type="submit" className="secondary" disabled={!changed} data-testid="budget-save">
        {t("cats.budgetSet")}
      </button>
    </form>
  );
}

function NameForm({
  title,
  initial,
  submit,
  busy,
  onSubmit,
  onCancel,
}: {
  title: string;
  initial: { name: string; nameEn: string };
  submit: string;
  busy: boolean;
  onSubmit: (name: string, nameEn: string | null) => void;
  onCancel: () => void;
}) {
  const { t } = useLocale();
  const [name, setName] = useState(initial.name);
  const [nameEn, setNameEn] = useState(initial.nameEn);
  return (
    <form
      className="cat-form"
      aria-label={title}
      data-testid="category-form"
      onSubmit={(e) => {
        e.preventDefault();
        onSubmit(name.trim(), nameEn.trim() === "" ? null : nameEn.trim());
      }}
    >
      <div className="field-row">
        <label className="grow">
          <span>{t("cats.name")}</span>
          <input type="text" value={name} onChange={(e) => setName(e.target.value)} autoFocus data-testid="category-name-input" />
        </label>
        <label className="grow">
          <span>{t("cats.nameEn")}</span>
          <input type="text" value={nameEn} onChange={(e) => setNameEn(e.target.value)} data-testid="category-name-en-input" />
        </label>
      </div>
      <small>{t("cats.nameEnHelp")}</small>
      <div className="row">
        <button type="submit" className="primary" disabled={busy} data-testid="category-submit">
          {submit}
        </button>
        <button type="button" className="secondary" onClick={onCancel}>
          {t("common.cancel")}
        </button>
      </div>
    </form>
  );
}

function JournalForm({
  category,
  busy,
  onSubmit,
  onCancel,
}: {
  category: CategoryItem;
  busy: boolean;
  onSubmit: (account: string | null) => void;
  onCancel: () => void;
}) {
  const { t, lang } = useLocale();
  const [account, setAccount] = useState(category.journalAccount ?? "");
  return (
    <form
      className="cat-form"
      onSubmit={(e) => {
        e.preventDefault();
        onSubmit(account.trim() === "" ? null : account.trim());
      }}
    >
      <label>
        <span>{t("cats.journalFor", { name: categoryName(category, lang) })}</span>
        <input
          type="text"
          className="mono"
          value={account}
          onChange={(e) => setAccount(e.target.value)}
          placeholder={category.kind === "income" ? "Income:Salary" : "Expenses:Food:Dining"}
          spellCheck={false}
          autoFocus
          data-testid="category-journal-input"
        />
      </label>
      <small>{t("cats.journalHelp")}</small>
      <div className="row">
        <button type="submit" className="primary" disabled={busy}>
          {t("cats.save")}
        </button>
        <button type="button" className="secondary" onClick={onCancel}>
          {t("common.cancel")}
        </button>
      </div>
    </form>
  );
}

function MoveForm({
  category,
  tops,
  busy,
  onSubmit,
  onCancel,
}: {
  category: CategoryItem;
  tops: CategoryItem[];
  busy: boolean;
  onSubmit: (parentId: number | null) => void;
  onCancel: () => void;
}) {
  const { t, lang } = useLocale();
  const [parent, setParent] = useState(category.parentId === null ? "" : String(category.parentId));
  return (
    <form
      className="cat-form"
      onSubmit={(e) => {
        e.preventDefault();
        onSubmit(parent === "" ? null : Number(parent));
      }}
    >
      <label>
        <span>{t("cats.moveTo", { name: categoryName(category, lang) })}</span>
        <select value={parent} onChange={(e) => setParent(e.target.value)} data-testid="category-move-to">
          <option value="">{t("cats.moveTop")}</option>
          {tops.map((top) => (
            <option key={top.id} value={String(top.id)}>
              {t("cats.moveUnder", { name: categoryName(top, lang) })}
            </option>
          ))}
        </select>
      </label>
      <div className="row">
        <button type="submit" className="primary" disabled={busy || parent === (category.parentId === null ? "" : String(category.parentId))}>
          {t("cats.move")}
        </button>
        <button type="button" className="secondary" onClick={onCancel}>
          {t("common.cancel")}
        </button>
      </div>
    </form>
  );
}

function DeleteForm({
  category,
  categories,
  usage,
  busy,
  exclude,
  onSubmit,
  onCancel,
}: {
  category: CategoryItem;
  categories: Categories;
  usage: CategoryUsage | null;
  busy: boolean;
  exclude: (id: number) => boolean;
  onSubmit: (moveTo: number | null) => void;
  onCancel: () => void;
}) {
  const { t, lang } = useLocale();
  const [moveTo, setMoveTo] = useState<number | null>(null);
  return (
    <form
      className="cat-form delete"
      data-testid="category-delete-form"
      onSubmit={(e) => {
        e.preventDefault();
        onSubmit(moveTo);
      }}
    >
      <h3>{t("cats.deleteTitle", { name: categoryName(category, lang) })}</h3>
      {usage === null ? (
        <p className="loading">{t("common.loading")}</p>
      ) : (
        <p data-testid="category-usage">
          {t("cats.usage", { lines: usage.lines, rules: usage.rules, children: usage.children })}
          {usage.hasBudget && ` ${t("cats.usageBudget")}`}
        </p>
      )}
      <label>
          <span>{t("cats.deleteMoveTo")}</span>
          <CategoryPicker
            categories={categories}
            value={moveTo}
            onChange={setMoveTo}
            noneLabel={t("cats.deleteToNone")}
            kind={category.kind}
            exclude={exclude}
            data-testid="category-delete-to"
          />
        </label>
      <div className="row">
        <button type="submit" className="danger" disabled={busy || usage === null} data-testid="category-delete-confirm">
          {t("cats.deleteConfirm")}
        </button>
        <button type="button" className="secondary" onClick={onCancel}>
          {t("common.cancel")}
        </button>
      </div>
    </form>
  );
}
