// A rule as its form holds it (text fields), checked and turned into the core's RuleSpec; which
// field a refusal belongs next to; a rule in one line of words.

import type { Flow, MatchKind, RuleItem, RuleSpec } from "../bindings/commands";
import type { Categories } from "./books";
import type { Language, MessageKey } from "./i18n";
import type { FailureKind } from "./transport";

export interface RuleDraft {
  matchKind: MatchKind;
  pattern: string;
  direction: "" | Flow;
  minAmount: string;
  maxAmount: string;
  /** An account's id, or "" for any. */
  accountId: string;
  /** A category's id, or "" to leave the category alone. */
  categoryId: string;
  memo: string;
  transfer: boolean;
  enabled: boolean;
}

/** Where a rule form shows a problem. */
export type RuleField = "pattern" | "amount" | "actions" | "form";

export const MATCH_KINDS: MatchKind[] = ["contains", "startsWith", "is", "regex"];

/** A stored rule's spec: the rule without its id, place and built-in key. */
export function specOfRule(r: RuleItem): RuleSpec {
  return {
    matchKind: r.matchKind,
    pattern: r.pattern,
    direction: r.direction,
    minAmount: r.minAmount,
    maxAmount: r.maxAmount,
    accountId: r.accountId,
    categoryId: r.categoryId,
    memo: r.memo,
    transfer: r.transfer,
    enabled: r.enabled,
  };
}

export function draftOf(spec: RuleSpec): RuleDraft {
  const text = (n: number | null) => (n === null ? "" : String(n));
  return {
    matchKind: spec.matchKind,
    pattern: spec.pattern,
    direction: spec.direction ?? "",
    minAmount: text(spec.minAmount),
    maxAmount: text(spec.maxAmount),
    accountId: text(spec.accountId),
    categoryId: text(spec.categoryId),
    memo: spec.memo ?? "",
    transfer: spec.transfer,
    enabled: spec.enabled,
  };
}

export const NEW_RULE: RuleDraft = draftOf({
  matchKind: "contains",
  pattern: "",
  direction: "out",
  minAmount: null,
  maxAmount: null,
  accountId: null,
  categoryId: null,
  memo: null,
  transfer: false,
  enabled: true,
});

/** A yen amount typed in a form: half- or full-width digits, commas and a leading ¥ allowed. */
export function parseYen(text: string): number | null | undefined {
  const s = text.normalize("NFKC").replace(/[,¥\s]/g, "");
  if (s === "") return null;
  if (!/^-?\d+$/.test(s)) return undefined;
  return Number(s);
}

export type Checked = { spec: RuleSpec } | { field: RuleField; key: MessageKey };

/**
 * The draft as a RuleSpec, or the field to fix and why: what the form itself can tell (amounts
 * that are not whole yen, negative or reversed, a rule that does nothing). The core checks the
 * rest (the pattern) and its answer goes to the field `fieldOf` names.
 */
export function specOf(d: RuleDraft): Checked {
  const min = parseYen(d.minAmount);
  const max = parseYen(d.maxAmount);
  if (min === undefined || max === undefined) return { field: "amount", key: "rules.error.amountNotNumber" };
  if ((min ?? 0) < 0 || (max ?? 0) < 0) return { field: "amount", key: "rules.error.amountNegative" };
  if (min !== null && max !== null && min > max) return { field: "amount", key: "rules.error.amountReversed" };
  const memo = d.memo.trim();
  if (d.categoryId === "" && memo === "" && !d.transfer) return { field: "actions", key: "error.ruleDoesNothing" };
  return {
    spec: {
      matchKind: d.matchKind,
      pattern: d.pattern.trim(),
      direction: d.direction || null,
      minAmount: min,
      maxAmount: max,
      accountId: d.accountId === "" ? null : Number(d.accountId),
      categoryId: d.categoryId === "" ? null : Number(d.categoryId),
      memo: memo === "" ? null : memo,
      transfer: d.transfer,
      enabled: d.enabled,
    },
  };
}

/** The field of a rule form a refusal from the core belongs next to. */
export function fieldOf(kind: FailureKind): RuleField {
  switch (kind) {
    case "invalidPattern":
    case "ruleTooBroad":
      return "pattern";
    case "ruleDoesNothing":
      return "actions";
    // A rule's only other refusals: amounts negative or reversed.
    case "invalid":
      return "amount";
    default:
      return "form";
  }
}

const MATCH_KEYS: Record<MatchKind, MessageKey> = {
  contains: "rules.describe.contains",
  startsWith: "rules.describe.startsWith",
  is: "rules.describe.is",
  regex: "rules.describe.regex",
};

type Translate = (key: MessageKey, vars?: Record<string, string | number>) => string;

/** The rule's conditions in words: 摘要が「ﾄﾞｺﾓ」を含む・出金・¥1,000〜 */
export function describeConditions(spec: RuleSpec, t: Translate, formatYen: (n: number) => string, account?: string): string {
  const parts: string[] = [];
  if (spec.pattern !== "") parts.push(t(MATCH_KEYS[spec.matchKind], { pattern: spec.pattern }));
  if (spec.direction) parts.push(t(spec.direction === "in" ? "rules.describe.in" : "rules.describe.out"));
  if (spec.minAmount !== null || spec.maxAmount !== null) {
    parts.push(
      `${spec.minAmount === null ? "" : formatYen(spec.minAmount)}〜${spec.maxAmount === null ? "" : formatYen(spec.maxAmount)}`,
    );
  }
  if (account) parts.push(account);
  return parts.join(t("rules.describe.and"));
}

/** What the rule does, in words: 通信費 › 携帯電話・メモ「…」・振替 */
export function describeActions(spec: RuleSpec, categories: Categories, lang: Language, t: Translate): string {
  const parts: string[] = [];
  if (spec.categoryId !== null) parts.push(categories.path(spec.categoryId, lang) ?? t("books.categoryGone"));
  if (spec.memo) parts.push(t("rules.describe.memo", { memo: spec.memo }));
  if (spec.transfer) parts.push(t("rules.describe.transfer"));
  return parts.join(t("rules.describe.and"));
}
