// The categories as every 家計簿 view reads them, and the one category picker: grouped by 大項目,
// each 大項目 choosable itself, names in the UI's language.

import { useCallback, useEffect, useMemo, useState } from "react";
import type { BudgetItem, CategoriesResponse } from "../bindings/commands";
import { useLocale } from "../context";
import { Categories, pickerGroups } from "../lib/books";
import { call } from "../lib/transport";

export interface CategoriesState {
  categories: Categories | null;
  budgets: BudgetItem[];
  error: unknown;
  reload: () => void;
  /** Takes a command's answer that carries the new listing. */
  set: (r: CategoriesResponse) => void;
}

export function useCategories(): CategoriesState {
  const [listing, setListing] = useState<CategoriesResponse | null>(null);
  const [error, setError] = useState<unknown>(null);
  const reload = useCallback(() => {
    call("categoriesList", {}).then(
      (r) => {
        setListing(r);
        setError(null);
      },
      (e: unknown) => setError(e),
    );
  }, []);
  useEffect(reload, [reload]);
  const categories = useMemo(() => (listing ? new Categories(listing.categories) : null), [listing]);
  return {
    categories,
    budgets: listing?.budgets ?? [],
    error,
    reload,
    set: setListing,
  };
}

interface PickerProps {
  categories: Categories;
  /** A category id; null: uncategorised (or none chosen). */
  value: number | null;
  onChange: (id: number | null) => void;
  /** The text of the "no category" choice; absent: one must be chosen. */
  noneLabel?: string;
  /** Only the categories of one side. */
  kind?: "expense" | "income";
  /** Categories not offered (one being deleted, say). */
  exclude?: (id: number) => boolean;
  id?: string;
  disabled?: boolean;
  "aria-describedby"?: string;
  "data-testid"?: string;
}

export function CategoryPicker({ categories, value, onChange, noneLabel, kind, exclude, ...rest }: PickerProps) {
  const { t, lang } = useLocale();
  const groups = pickerGroups(categories, lang, (name) => t("books.picker.top", { name })).filter(
    (g) => kind === undefined || g.kind === kind,
  );
  return (
    <select
      value={value === null ? "" : String(value)}
      onChange={(e) => onChange(e.target.value === "" ? null : Number(e.target.value))}
      {...rest}
    >
      {noneLabel !== undefined ? <option value="">{noneLabel}</option> : value === null && <option value="" disabled />}
      {groups.map((g) => {
        const options = g.options.filter((o) => !exclude?.(o.id));
        if (options.length === 0) return null;
        return (
          <optgroup key={g.options[0].id} label={g.kind === "income" ? t("books.picker.income", { name: g.label }) : g.label}>
            {options.map((o) => (
              <option key={o.id} value={o.id}>
                {o.label}
              </option>
            ))}
          </optgroup>
        );
      })}
    </select>
  );
}
