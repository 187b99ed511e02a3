import { describe, expect, it } from "vitest";
import type { CategoryItem, RuleItem } from "../bindings/commands";
import { Categories } from "./books";
import { translate, type MessageKey } from "./i18n";
import { NEW_RULE, describeActions, describeConditions, draftOf, fieldOf, parseYen, specOf, specOfRule } from "./rules";
import { formatYen } from "./format";

const ja = (key: MessageKey, vars?: Record<string, string | number>) => translate("ja", key, vars);
const en = (key: MessageKey, vars?: Record<string, string | number>) => translate("en", key, vars);

const cats = new Categories([
  { id: 1, parentId: null, kind: "expense", builtin: null, name: "通信費", nameEn: "Communication", position: 0, journalAccount: null },
  { id: 2, parentId: 1, kind: "expense", builtin: null, name: "携帯電話", nameEn: "Mobile Phone", position: 0, journalAccount: null },
] satisfies CategoryItem[]);

const rule: RuleItem = {
  id: 7,
  position: 3,
  builtin: "mobile",
  matchKind: "contains",
  pattern: "ﾄﾞｺﾓ",
  direction: "out",
  minAmount: 1000,
  maxAmount: null,
  accountId: null,
  categoryId: 2,
  memo: null,
  transfer: false,
  enabled: true,
};

describe("amounts typed in a rule", () => {
  it("reads yen written the ways people write them", () => {
    expect(parseYen("")).toBeNull();
    expect(parseYen("  ")).toBeNull();
    expect(parseYen("1,000")).toBe(1000);
    expect(parseYen("¥12,000")).toBe(12000);
    expect(parseYen("３０００")).toBe(3000);
    expect(parseYen("-5")).toBe(-5);
  });
  it("refuses what is not whole yen", () => {
    expect(parseYen("12.5")).toBeUndefined();
    expect(parseYen("abc")).toBeUndefined();
  });
});

describe("a rule's form", () => {
  it("round-trips a stored rule", () => {
    const checked = specOf(draftOf(specOfRule(rule)));
    expect(checked).toEqual({ spec: specOfRule(rule) });
  });
  it("trims the pattern and memo, and turns empty fields into none", () => {
    const checked = specOf({ ...NEW_RULE, pattern: "  ｶ-ﾄﾞ ", memo: "  ", categoryId: "2", direction: "", minAmount: " " });
    expect(checked).toEqual({
      spec: {
        matchKind: "contains",
        pattern: "ｶ-ﾄﾞ",
        direction: null,
        minAmount: null,
        maxAmount: null,
        accountId: null,
        categoryId: 2,
        memo: null,
        transfer: false,
        enabled: true,
      },
    });
  });
  it("points at the field to fix", () => {
    expect(specOf({ ...NEW_RULE, categoryId: "2", minAmount: "x" })).toEqual({ field: "amount", key: "rules.error.amountNotNumber" });
    expect(specOf({ ...NEW_RULE, categoryId: "2", maxAmount: "-1" })).toEqual({ field: "amount", key: "rules.error.amountNegative" });
    expect(specOf({ ...NEW_RULE, categoryId: "2", minAmount: "500", maxAmount: "100" })).toEqual({
      field: "amount",
      key: "rules.error.amountReversed",
    });
    expect(specOf({ ...NEW_RULE, pattern: "x" })).toEqual({ field: "actions", key: "error.ruleDoesNothing" });
    expect("spec" in specOf({ ...NEW_RULE, pattern: "x", transfer: true })).toBe(true);
    expect("spec" in specOf({ ...NEW_RULE, pattern: "x", memo: "note" })).toBe(true);
  });
  it("puts the core's refusals next to their field", () => {
    expect(fieldOf("invalidPattern")).toBe("pattern");
    expect(fieldOf("ruleTooBroad")).toBe("pattern");
    expect(fieldOf("ruleDoesNothing")).toBe("actions");
    expect(fieldOf("invalid")).toBe("amount");
    expect(fieldOf("storage")).toBe("form");
    expect(fieldOf("kuraUnreachable")).toBe("form");
  });
});

describe("a rule in words", () => {
  it("says its conditions", () => {
    expect(describeConditions(specOfRule(rule), ja, formatYen)).toBe("摘要が「ﾄﾞｺﾓ」を含む・出金・¥1,000〜");
    expect(describeConditions(specOfRule(rule), en, formatYen, "本店 普通 1234567")).toBe(
      'remarks contain "ﾄﾞｺﾓ", money out, ¥1,000〜, 本店 普通 1234567',
    );
    expect(describeConditions({ ...specOfRule(rule), matchKind: "regex", pattern: "^ATM", direction: null, minAmount: null }, en, formatYen)).toBe(
      "remarks match /^ATM/",
    );
  });
  it("says what it does", () => {
    expect(describeActions(specOfRule(rule), cats, "ja", ja)).toBe("通信費 › 携帯電話");
    expect(describeActions({ ...specOfRule(rule), memo: "スマホ", transfer: true }, cats, "en", en)).toBe(
      'Communication › Mobile Phone, memo "スマホ", Transfer',
    );
    expect(describeActions({ ...specOfRule(rule), categoryId: 99 }, cats, "ja", ja)).toBe("（削除されたカテゴリー）");
  });
});
