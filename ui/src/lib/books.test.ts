import { describe, expect, it } from "vitest";
import type { BudgetPace, CategoryFigure, CategoryItem, MonthReport, MonthSummary } from "../bindings/commands";
import {
  Categories,
  addMonths,
  budgetBar,
  categoryName,
  chartMonths,
  daysInMonth,
  drillFilter,
  emptyFilter,
  findFigure,
  formatMonth,
  formatMonthShort,
  monthOf,
  monthRange,
  paceText,
  percent,
  pickableMonths,
  pickerGroups,
  sideAmount,
  sourceOf,
  stackMonths,
} from "./books";
import { translate } from "./i18n";

function cat(id: number, name: string, parentId: number | null = null, kind: CategoryItem["kind"] = "expense", nameEn: string | null = null): CategoryItem {
  return { id, parentId, kind, builtin: null, name, nameEn, position: id, journalAccount: null };
}

const CATS = new Categories([
  cat(1, "食費", null, "expense", "Food"),
  cat(2, "外食", 1, "expense", "Dining Out"),
  cat(3, "カフェ", 1),
  cat(4, "住宅", null, "expense", "Housing"),
  cat(10, "給与", null, "income", "Salary"),
]);

function figure(categoryId: number | null, name: string, amount: number, children: CategoryFigure[] = []): CategoryFigure {
  return { categoryId, name, amount, lines: 1, children, budget: null };
}

describe("months (JST)", () => {
  it("takes the month in Japan, not in UTC", () => {
    // 2026-11-30 15:30 UTC is already 1 December in Tokyo.
    expect(monthOf(new Date("2026-11-30T15:30:00Z"))).toBe("2026-12");
    expect(monthOf(new Date("2026-11-30T14:59:00Z"))).toBe("2026-11");
  });
  it("moves across years", () => {
    expect(addMonths("2026-12", 1)).toBe("2027-01");
    expect(addMonths("2026-01", -1)).toBe("2025-12");
    expect(addMonths("2026-03", -14)).toBe("2025-01");
    expect(addMonths("2026-05", 0)).toBe("2026-05");
  });
  it("knows each month's length and range", () => {
    expect(daysInMonth("2028-02")).toBe(29);
    expect(daysInMonth("2026-02")).toBe(28);
    expect(daysInMonth("2026-11")).toBe(30);
    expect(monthRange("2026-12")).toEqual({ from: "2026-12-01", to: "2026-12-31" });
  });
  it("names months in both languages", () => {
    expect(formatMonth("2026-11", "ja")).toBe("2026年11月");
    expect(formatMonth("2026-11", "en")).toBe("Nov 2026");
    expect(formatMonthShort("2027-01", "ja", true)).toBe("2027/1");
    expect(formatMonthShort("2027-01", "en", true)).toBe("Jan 27");
    expect(formatMonthShort("2026-09", "ja", false)).toBe("9月");
  });
  it("shows the 12 months up to this month, or up to an older month chosen before them", () => {
    const shown = chartMonths("2026-12", "2026-11");
    expect(shown).toHaveLength(12);
    expect(shown[0]).toBe("2026-01");
    expect(shown[11]).toBe("2026-12");
    const older = chartMonths("2026-12", "2025-06");
    expect(older[0]).toBe("2025-06");
    expect(older[11]).toBe("2026-05");
  });
  it("offers this month and the months with data, newest first", () => {
    const months: MonthSummary[] = [
      { month: "2026-09", spending: 10, income: 0, spendingByCategory: [] },
      { month: "2026-10", spending: 0, income: 0, spendingByCategory: [] },
      { month: "2026-11", spending: 0, income: 5, spendingByCategory: [] },
    ];
    expect(pickableMonths(months, "2026-12")).toEqual(["2026-12", "2026-11", "2026-09"]);
  });
});

describe("categories", () => {
  it("names a category in the UI's language, falling back to the Japanese name", () => {
    expect(categoryName(CATS.get(2)!, "en")).toBe("Dining Out");
    expect(categoryName(CATS.get(3)!, "en")).toBe("カフェ");
    expect(categoryName(CATS.get(2)!, "ja")).toBe("外食");
  });
  it("writes a 中項目 with its 大項目", () => {
    expect(CATS.path(2, "ja")).toBe("食費 › 外食");
    expect(CATS.path(2, "en")).toBe("Food › Dining Out");
    expect(CATS.path(4, "ja")).toBe("住宅");
    expect(CATS.path(99, "ja")).toBeUndefined();
    expect(CATS.topOf(3)?.id).toBe(1);
    expect(CATS.topOf(1)?.id).toBe(1);
  });
  it("groups the picker by 大項目, spending first, each 大項目 choosable itself", () => {
    const groups = pickerGroups(CATS, "ja", (name) => `${name}（全体）`);
    expect(groups.map((g) => g.label)).toEqual(["食費", "住宅", "給与"]);
    expect(groups[0].options).toEqual([
      { id: 1, label: "食費（全体）" },
      { id: 2, label: "外食" },
      { id: 3, label: "カフェ" },
    ]);
    expect(groups[2].kind).toBe("income");
  });
});

describe("budget pace", () => {
  const pace = (p: Partial<BudgetPace>): BudgetPace => ({ monthly: 50_000, spent: 38_000, left: 12_000, perDay: null, daysLeft: null, ...p });
  it("says what is left, per day, and how far budget and month have gone (this month)", () => {
    // 15 November: 16 days left, today included; half the month gone.
    const text = paceText(pace({ perDay: 750, daysLeft: 16 }), "2026-11");
    expect(text.key).toBe("books.budget.leftPerDay");
    expect(translate("ja", text.key, text.vars)).toBe("残り ¥12,000（1日あたり ¥750）· 予算の 76%、月の 50% 経過");
    expect(translate("en", text.key, text.vars)).toBe("¥12,000 left (¥750 a day) · 76% of budget used, 50% of the month gone");
  });
  it("leaves the per-day figure out for a past month", () => {
    const text = paceText(pace({}), "2026-10");
    expect(translate("ja", text.key, text.vars)).toBe("残り ¥12,000 · 予算の 76% を使用");
  });
  it("says by how much a budget is over, and when it is used up", () => {
    const over = paceText(pace({ spent: 53_000, left: -3_000 }), "2026-11");
    expect(translate("en", over.key, over.vars)).toBe("¥3,000 over budget · 106% of budget");
    expect(paceText(pace({ spent: 50_000, left: 0 }), "2026-11").key).toBe("books.budget.usedUp");
  });
  it("draws the bar against the month's progress", () => {
    expect(budgetBar(pace({ daysLeft: 16 }), "2026-11")).toEqual({ spent: 0.76, over: false, today: 0.5, ahead: true });
    expect(budgetBar(pace({ spent: 10_000, left: 40_000, daysLeft: 30 }), "2026-11")).toEqual({
      spent: 0.2,
      over: false,
      today: 1 / 30,
      ahead: true,
    });
    const over = budgetBar(pace({ spent: 60_000, left: -10_000 }), "2026-10");
    expect(over).toEqual({ spent: 1, over: true, today: null, ahead: true });
  });
});

describe("drill-down", () => {
  it("filters the month's lines of a category, without transfers", () => {
    const f = drillFilter({ kind: "category", categoryId: 1, exact: false }, "2026-11");
    expect(f).toEqual({ ...emptyFilter(), from: "2026-11-01", to: "2026-11-30", categories: [1], transfers: false });
  });
  it("filters a 大項目's own lines exactly", () => {
    expect(drillFilter({ kind: "category", categoryId: 1, exact: true }, "2026-11").exactCategories).toBe(true);
  });
  it("filters the uncategorised spending as money out, and all uncategorised lines to sort", () => {
    const out = drillFilter({ kind: "uncategorised", side: "spending" }, "2026-11");
    expect([out.uncategorised, out.flow, out.transfers]).toEqual([true, "out", false]);
    const all = drillFilter({ kind: "toSort" }, "2026-11");
    expect([all.uncategorised, all.flow]).toEqual([true, null]);
    expect(drillFilter({ kind: "transfers" }, "2026-11").transfers).toBe(true);
  });
  it("narrows to one member's accounts when the books show one member", () => {
    expect(drillFilter({ kind: "toSort" }, "2026-11").memberId).toBeNull();
    const f = drillFilter({ kind: "category", categoryId: 1, exact: false }, "2026-11", [], 2);
    expect(f).toEqual({ ...emptyFilter(), memberId: 2, from: "2026-11-01", to: "2026-11-30", categories: [1], transfers: false });
  });
  it("finds the figure behind a drill-down", () => {
    const food = figure(1, "食費", 5000, [figure(2, "外食", 3000), figure(1, "食費", 2000)]);
    const report: MonthReport = {
      month: "2026-11",
      spending: 6000,
      income: 0,
      net: -6000,
      spendingByCategory: [food, figure(null, "未分類", 1000)],
      incomeByCategory: [],
      uncategorisedLines: 4,
      transferLines: 2,
      transfersIn: 3000,
      transfersOut: 3000,
      idleBudgets: [],
    };
    expect(findFigure(report, { kind: "category", categoryId: 1, exact: false })?.amount).toBe(5000);
    expect(findFigure(report, { kind: "category", categoryId: 1, exact: true })?.amount).toBe(2000);
    expect(findFigure(report, { kind: "category", categoryId: 2, exact: false })?.amount).toBe(3000);
    expect(findFigure(report, { kind: "uncategorised", side: "spending" })?.amount).toBe(1000);
    expect(findFigure(report, { kind: "uncategorised", side: "income" })).toBeNull();
    expect(findFigure(report, { kind: "toSort" })).toEqual({ amount: null, lines: 4 });
    expect(findFigure(report, { kind: "transfers" })).toEqual({ amount: null, lines: 2 });
    expect(findFigure(report, { kind: "category", categoryId: 4, exact: false })).toBeNull();
    // The row of a 大項目's own lines under it drills into exactly those.
    expect(sourceOf(food.children[1], "spending", food)).toEqual({ kind: "category", categoryId: 1, exact: true });
    expect(sourceOf(food.children[0], "spending", food)).toEqual({ kind: "category", categoryId: 2, exact: false });
    expect(sourceOf(figure(null, "未分類", 1), "income")).toEqual({ kind: "uncategorised", side: "income" });
  });
  it("counts a refund against spending", () => {
    expect(sideAmount({ amount: -500 }, "spending")).toBe(500);
    expect(sideAmount({ amount: 200 }, "spending")).toBe(-200);
    expect(sideAmount({ amount: 200 }, "income")).toBe(200);
  });
});

describe("the year chart", () => {
  const month = (m: string, amounts: [number | null, number][]): MonthSummary => ({
    month: m,
    spending: amounts.reduce((s, [, a]) => s + a, 0),
    income: 0,
    spendingByCategory: amounts.map(([categoryId, amount]) => ({ categoryId, amount })),
  });
  it("gives the largest 大項目s a band each, the rest one band, and the uncategorised the top", () => {
    const { series, bars } = stackMonths(
      [
        month("2026-10", [
          [1, 500],
          [2, 300],
          [3, 100],
          [null, 50],
        ]),
        month("2026-11", [
          [1, 100],
          [2, 400],
          [3, 20],
          [4, 10],
        ]),
      ],
      2,
    );
    expect(series.map((s) => s.key)).toEqual(["c2", "c1", "rest", "none"]);
    expect(series.map((s) => s.color)).toEqual([0, 1, "rest", "none"]);
    expect(bars[0].bands).toEqual([
      { key: "c2", amount: 300 },
      { key: "c1", amount: 500 },
      { key: "rest", amount: 100 },
      { key: "none", amount: 50 },
    ]);
    expect(bars[1].bands).toEqual([
      { key: "c2", amount: 400 },
      { key: "c1", amount: 100 },
      { key: "rest", amount: 30 },
    ]);
  });
  it("draws no band for a category whose refunds outweigh its spending", () => {
    const { series, bars } = stackMonths([month("2026-11", [[1, -200], [2, 300]])]);
    expect(series.map((s) => s.key)).toEqual(["c2"]);
    expect(bars[0].bands).toEqual([{ key: "c2", amount: 300 }]);
  });
  it("rounds shares to whole percent", () => {
    expect(percent(1, 3)).toBe(33);
    expect(percent(5, 0)).toBe(0);
  });
});
