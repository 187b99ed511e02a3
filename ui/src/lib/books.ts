// The 家計簿's pure parts: months (JST), category names and the picker's groups, the budget's
// pace in words, which lines stand behind a figure, and the year chart's stacks.

import type {
  AccountCard,
  BudgetPace,
  CategoryFigure,
  CategoryItem,
  CategoryKind,
  HistoryFilter,
  MonthReport,
  MonthSummary,
  TransactionItem,
} from "../bindings/commands";
import { formatYen, jstDate } from "./format";
import type { Language, MessageKey } from "./i18n";

/** A calendar month, "YYYY-MM" (JST). */
export type Month = string;

/** The JST month of `now`. */
export function monthOf(now: Date): Month {
  return jstDate(now).slice(0, 7);
}

/** `month` moved by `n` months (negative: back). */
export function addMonths(month: Month, n: number): Month {
  const [y, m] = month.split("-").map(Number);
  const index = y * 12 + (m - 1) + n;
  return `${String(Math.floor(index / 12)).padStart(4, "0")}-${String((index % 12) + 1).padStart(2, "0")}`;
}

export function daysInMonth(month: Month): number {
  const [y, m] = month.split("-").map(Number);
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

/** The month's first and last day, "YYYY-MM-DD". */
export function monthRange(month: Month): { from: string; to: string } {
  return { from: `${month}-01`, to: `${month}-${String(daysInMonth(month)).padStart(2, "0")}` };
}

const EN_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** 2026年11月 / Nov 2026. */
export function formatMonth(month: Month, lang: Language): string {
  const [y, m] = month.split("-").map(Number);
  return lang === "ja" ? `${y}年${m}月` : `${EN_MONTHS[m - 1]} ${y}`;
}

/** 11月 / Nov, for a chart's axis (with the year where it changes: 2026/1). */
export function formatMonthShort(month: Month, lang: Language, withYear: boolean): string {
  const [y, m] = month.split("-").map(Number);
  if (withYear) return lang === "ja" ? `${y}/${m}` : `${EN_MONTHS[m - 1]} ${String(y).slice(2)}`;
  return lang === "ja" ? `${m}月` : EN_MONTHS[m - 1];
}

/** A short name for an account in a list of lines from several. */
export function accountLabel(a: Pick<AccountCard, "branchName" | "accountTypeName" | "accountNumber">): string {
  return `${a.branchName} ${a.accountTypeName} ${a.accountNumber}`;
}

/** A category's name in the UI's language: the English name in English when it has one. */
export function categoryName(c: Pick<CategoryItem, "name" | "nameEn">, lang: Language): string {
  return lang === "en" && c.nameEn ? c.nameEn : c.name;
}

/** The categories by id, with each 大項目's 中項目s in order. */
export class Categories {
  readonly list: CategoryItem[];
  private readonly byId: Map<number, CategoryItem>;

  constructor(list: CategoryItem[]) {
    this.list = list;
    this.byId = new Map(list.map((c) => [c.id, c]));
  }

  get(id: number | null): CategoryItem | undefined {
    return id === null ? undefined : this.byId.get(id);
  }

  tops(kind?: CategoryKind): CategoryItem[] {
    return this.list.filter((c) => c.parentId === null && (kind === undefined || c.kind === kind));
  }

  children(id: number): CategoryItem[] {
    return this.list.filter((c) => c.parentId === id);
  }

  /** The 大項目 of `id` (itself for a 大項目). */
  topOf(id: number): CategoryItem | undefined {
    const c = this.byId.get(id);
    return c?.parentId != null ? this.byId.get(c.parentId) : c;
  }

  /** 食費 › 外食, or 食費 for a 大項目; undefined for an id that is gone. */
  path(id: number, lang: Language): string | undefined {
    const c = this.byId.get(id);
    if (!c) return undefined;
    const parent = c.parentId === null ? undefined : this.byId.get(c.parentId);
    return parent ? `${categoryName(parent, lang)} › ${categoryName(c, lang)}` : categoryName(c, lang);
  }
}

export interface PickerGroup {
  /** The 大項目's name: the group's heading. */
  label: string;
  kind: CategoryKind;
  /** The 大項目 itself first, then its 中項目s. */
  options: { id: number; label: string }[];
}

/** The category picker's groups: one per 大項目, spending ones first, as the categories are listed. */
export function pickerGroups(categories: Categories, lang: Language, topLabel: (name: string) => string): PickerGroup[] {
  const groups = [...categories.tops("expense"), ...categories.tops("income")].map((top) => ({
    label: categoryName(top, lang),
    kind: top.kind,
    options: [
      { id: top.id, label: topLabel(categoryName(top, lang)) },
      ...categories.children(top.id).map((c) => ({ id: c.id, label: categoryName(c, lang) })),
    ],
  }));
  return groups;
}

/** A sentence of the catalog with its values. */
export interface Phrase {
  key: MessageKey;
  vars: Record<string, string | number>;
}

/**
 * A budget's state in words: over by how much; left, and (this month) per day for the rest of
 * it and how far through the month today is; or used up. `used` is the share of the budget
 * spent, `elapsed` the share of the month gone (today included).
 */
export function paceText(pace: BudgetPace, month: Month): Phrase {
  const used = pace.monthly > 0 ? Math.round((pace.spent / pace.monthly) * 100) : 100;
  if (pace.left < 0) return { key: "books.budget.over", vars: { amount: formatYen(-pace.left), used } };
  if (pace.left === 0) return { key: "books.budget.usedUp", vars: {} };
  if (pace.perDay !== null && pace.daysLeft !== null) {
    const days = daysInMonth(month);
    const elapsed = Math.round(((days - pace.daysLeft + 1) / days) * 100);
    return {
      key: "books.budget.leftPerDay",
      vars: { left: formatYen(pace.left), perDay: formatYen(pace.perDay), used, elapsed },
    };
  }
  return { key: "books.budget.left", vars: { left: formatYen(pace.left), used } };
}

export interface BudgetBar {
  /** How much of the budget is spent, 0 to 1. */
  spent: number;
  over: boolean;
  /** This month: how far through the month today is (0 to 1), to compare the bar with. */
  today: number | null;
  /** Spending faster than the month goes (this month), or over. */
  ahead: boolean;
}

export function budgetBar(pace: BudgetPace, month: Month): BudgetBar {
  const spent = pace.monthly > 0 ? Math.min(1, Math.max(0, pace.spent / pace.monthly)) : 1;
  const over = pace.left < 0;
  const days = daysInMonth(month);
  // daysLeft counts today: on the 1st of a 30-day month 30 days are left and none has passed.
  const today = pace.daysLeft === null ? null : Math.min(1, Math.max(0, (days - pace.daysLeft + 1) / days));
  return { spent, over, today, ahead: over || (today !== null && spent > today) };
}

/** Which side of the books a figure is on. */
export type Side = "spending" | "income";

const NO_FILTER: HistoryFilter = {
  accounts: [],
  memberId: null,
  from: null,
  to: null,
  flow: null,
  minAmount: null,
  maxAmount: null,
  search: null,
  categories: [],
  exactCategories: false,
  uncategorised: false,
  transfers: null,
};

/** Every line, all accounts, all time: the base each filter starts from. */
export function emptyFilter(): HistoryFilter {
  return { ...NO_FILTER, categories: [] };
}

/** What a figure of the month was added up from. */
export type FigureSource =
  /** A category, with its 中項目s unless `exact` (the lines a 大項目 holds itself). */
  | { kind: "category"; categoryId: number; exact: boolean }
  /** The uncategorised lines of one side: money out is spending, in is income. */
  | { kind: "uncategorised"; side: Side }
  /** Every uncategorised line, in and out, to work through. */
  | { kind: "toSort" }
  /** The lines marked as transfers, which the totals leave out. */
  | { kind: "transfers" };

/**
 * The lines behind a figure of `month` (of `memberId`'s accounts when the books show one member's):
 * the filter whose lines add up to it.
 */
export function drillFilter(source: FigureSource, month: Month, accounts: number[] = [], memberId: number | null = null): HistoryFilter {
  const base: HistoryFilter = { ...NO_FILTER, accounts, memberId, ...monthRange(month), transfers: false };
  switch (source.kind) {
    case "category":
      return { ...base, categories: [source.categoryId], exactCategories: source.exact };
    case "uncategorised":
      return { ...base, uncategorised: true, flow: source.side === "spending" ? "out" : "in" };
    case "toSort":
      return { ...base, uncategorised: true };
    case "transfers":
      return { ...base, transfers: true };
  }
}

/** The figure of `report` a drill-down shows the lines of, or null when the month has none. */
export function findFigure(report: MonthReport, source: FigureSource): { amount: number | null; lines: number } | null {
  switch (source.kind) {
    case "toSort":
      return { amount: null, lines: report.uncategorisedLines };
    case "transfers":
      return { amount: null, lines: report.transferLines };
    case "uncategorised": {
      const list = source.side === "spending" ? report.spendingByCategory : report.incomeByCategory;
      return list.find((f) => f.categoryId === null) ?? null;
    }
    case "category": {
      for (const top of [...report.spendingByCategory, ...report.incomeByCategory]) {
        if (top.categoryId === source.categoryId && !(source.exact && top.children.length > 0)) return top;
        const child = top.children.find((c) => c.categoryId === source.categoryId);
        if (child && (source.exact || child.categoryId !== top.categoryId)) return child;
      }
      return null;
    }
  }
}

/** Where a figure's lines come from: a 中項目 row naming its 大項目 holds the 大項目's own lines. */
export function sourceOf(figure: CategoryFigure, side: Side, top?: CategoryFigure): FigureSource {
  if (figure.categoryId === null) return { kind: "uncategorised", side };
  return { kind: "category", categoryId: figure.categoryId, exact: top !== undefined && top.categoryId === figure.categoryId };
}

/** How a line counts on `side`: spending is money out (a refund reduces it), income money in. */
export function sideAmount(line: Pick<TransactionItem, "amount">, side: Side): number {
  return side === "spending" ? -line.amount : line.amount;
}

/** One band of a stacked bar: a 大項目, the uncategorised (null) or the rest together. */
export interface Series {
  key: string;
  categoryId: number | null;
  /** Index into the chart's palette; the rest and the uncategorised have their own colours. */
  color: number | "rest" | "none";
}

export interface StackedMonth {
  month: Month;
  spending: number;
  income: number;
  /** Bottom to top, in the order of the series; only positive amounts are drawn. */
  bands: { key: string; amount: number }[];
}

/** Series beyond which the smaller 大項目s are drawn together as one band. */
export const MAX_SERIES = 7;

/**
 * The year chart's stacks: the `max` 大項目s with the most spending over the months each get a
 * band, largest at the bottom; the other 大項目s share one; the uncategorised sit on top.
 */
export function stackMonths(months: MonthSummary[], max = MAX_SERIES): { series: Series[]; bars: StackedMonth[] } {
  const totals = new Map<number, number>();
  let uncategorised = false;
  for (const m of months) {
    for (const c of m.spendingByCategory) {
      if (c.amount <= 0) continue;
      if (c.categoryId === null) uncategorised = true;
      else totals.set(c.categoryId, (totals.get(c.categoryId) ?? 0) + c.amount);
    }
  }
  const ranked = [...totals].sort((a, b) => b[1] - a[1] || a[0] - b[0]).map(([id]) => id);
  const own = ranked.slice(0, max);
  const rest = ranked.length > max;
  const series: Series[] = own.map((id, i) => ({ key: `c${id}`, categoryId: id, color: i }));
  if (rest) series.push({ key: "rest", categoryId: null, color: "rest" });
  if (uncategorised) series.push({ key: "none", categoryId: null, color: "none" });
  const keyOf = (id: number | null) => (id === null ? "none" : own.includes(id) ? `c${id}` : "rest");
  const bars = months.map((m) => {
    const amounts = new Map<string, number>();
    for (const c of m.spendingByCategory) {
      if (c.amount <= 0) continue;
      const key = keyOf(c.categoryId);
      amounts.set(key, (amounts.get(key) ?? 0) + c.amount);
    }
    return {
      month: m.month,
      spending: m.spending,
      income: m.income,
      bands: series.filter((s) => amounts.has(s.key)).map((s) => ({ key: s.key, amount: amounts.get(s.key)! })),
    };
  });
  return { series, bars };
}

/**
 * The `count` months the chart shows: those up to `latest` (this month), or, once `selected`
 * lies before them, those up to `selected`, so that choosing a shown month never moves the chart.
 */
export function chartMonths(latest: Month, selected: Month, count = 12): Month[] {
  const first = addMonths(latest, -(count - 1));
  const last = selected < first ? addMonths(selected, count - 1) : latest;
  return Array.from({ length: count }, (_, i) => addMonths(last, i - (count - 1)));
}

/** The months a person can pick: those with any spending or income, and `latest`, newest first. */
export function pickableMonths(months: MonthSummary[], latest: Month): Month[] {
  const withData = months.filter((m) => m.spending !== 0 || m.income !== 0).map((m) => m.month);
  return [...new Set([latest, ...withData])].filter((m) => m <= latest).sort().reverse();
}

/** A share of a total as a whole percentage (0 when there is no total). */
export function percent(part: number, total: number): number {
  return total > 0 ? Math.round((part / total) * 100) : 0;
}
