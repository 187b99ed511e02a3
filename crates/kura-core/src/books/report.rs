//! The monthly picture: spending and income by category for a month, month against month for
//! a year, budgets and their pace. Built from the store's monthly totals per category
//! (`category_months`); transfers are counted apart and never in spending or income.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use ts_rs::TS;

use super::{CategoryTree, Kind};
use crate::i18n::Language;
use crate::model::CategoryId;

/// One month's totals of one category (summed over the accounts asked for).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CategoryMonth {
    /// `YYYY-MM`.
    pub month: YearMonth,
    /// `None`: uncategorised.
    pub category: Option<CategoryId>,
    pub transfer: bool,
    /// Sum of the positive amounts.
    pub inflow: i64,
    /// Sum of the other amounts (≤ 0).
    pub outflow: i64,
    /// Lines with a positive amount, and the others.
    pub lines_in: i64,
    pub lines_out: i64,
}

/// A calendar month (JST).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct YearMonth {
    pub year: i32,
    pub month: u32,
}

impl YearMonth {
    pub fn of(date: NaiveDate) -> YearMonth {
        YearMonth { year: date.year(), month: date.month() }
    }

    /// Parses `YYYY-MM`.
    pub fn parse(s: &str) -> Option<YearMonth> {
        let (y, m) = s.trim().split_once('-')?;
        let (year, month) = (y.parse().ok()?, m.parse().ok()?);
        NaiveDate::from_ymd_opt(year, month, 1).map(|_| YearMonth { year, month })
    }

    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.month, 1).expect("a valid month")
    }

    pub fn last_day(self) -> NaiveDate {
        self.next().first_day().pred_opt().expect("a valid month")
    }

    pub fn next(self) -> YearMonth {
        if self.month == 12 {
            YearMonth { year: self.year + 1, month: 1 }
        } else {
            YearMonth { month: self.month + 1, ..self }
        }
    }

    pub fn prev(self) -> YearMonth {
        if self.month == 1 {
            YearMonth { year: self.year - 1, month: 12 }
        } else {
            YearMonth { month: self.month - 1, ..self }
        }
    }
}

impl std::fmt::Display for YearMonth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

/// A budget's state this month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct BudgetPace {
    pub monthly: i64,
    pub spent: i64,
    /// What is left (negative when over budget).
    pub left: i64,
    /// For the current month: what may be spent per day for the rest of it (today included)
    /// to stay within the budget; `None` for past and future months or when nothing is left.
    pub per_day: Option<i64>,
    pub days_left: Option<i64>,
}

/// One figure of the month: a category's (or the uncategorised lines') amount.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CategoryFigure {
    /// `None`: the uncategorised lines (未分類).
    #[ts(type = "number | null")]
    pub category_id: Option<CategoryId>,
    pub name: String,
    /// Spending (for a spending category) or income (for an income one), in yen; refunds and
    /// reversals within the category reduce it.
    pub amount: i64,
    pub lines: i64,
    /// The 中項目s with lines this month, then the lines filed under the 大項目 itself.
    pub children: Vec<CategoryFigure>,
    pub budget: Option<BudgetPace>,
}

/// One month of the books.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct MonthReport {
    pub month: String,
    pub spending: i64,
    pub income: i64,
    /// Income less spending.
    pub net: i64,
    /// By 大項目, largest first, the uncategorised last.
    pub spending_by_category: Vec<CategoryFigure>,
    pub income_by_category: Vec<CategoryFigure>,
    /// Uncategorised lines (in and out), to work through.
    pub uncategorised_lines: i64,
    /// Lines marked as transfers, which the totals leave out…
    pub transfer_lines: i64,
    /// …and the money they moved in and out (out ≥ 0), shown beside the totals.
    pub transfers_in: i64,
    pub transfers_out: i64,
    /// Budgets of 大項目s without spending this month.
    pub idle_budgets: Vec<CategoryFigure>,
}

/// One month of a year's chart.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct MonthSummary {
    pub month: String,
    pub spending: i64,
    pub income: i64,
    /// Spending per 大項目 (the uncategorised under `None`), for stacked bars.
    pub spending_by_category: Vec<CategoryAmount>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CategoryAmount {
    #[ts(type = "number | null")]
    pub category_id: Option<CategoryId>,
    pub amount: i64,
}

/// Which side of the books a total belongs to: its kind, category, amount there and lines.
fn sides(tree: &CategoryTree, t: &CategoryMonth) -> Vec<(Kind, Option<CategoryId>, i64, i64)> {
    let lines = t.lines_in + t.lines_out;
    match t.category.and_then(|c| tree.get(c)) {
        Some(c) if c.kind == Kind::Expense => vec![(Kind::Expense, Some(c.id), -(t.inflow + t.outflow), lines)],
        Some(c) => vec![(Kind::Income, Some(c.id), t.inflow + t.outflow, lines)],
        // Uncategorised (or a category deleted meanwhile): money out is spending, in is income.
        None => vec![(Kind::Expense, None, -t.outflow, t.lines_out), (Kind::Income, None, t.inflow, t.lines_in)],
    }
}

/// The month's report from its totals.
pub fn month_report(
    tree: &CategoryTree,
    month: YearMonth,
    totals: &[CategoryMonth],
    budgets: &[(CategoryId, i64)],
    today: NaiveDate,
    lang: Language,
    uncategorised_name: &str,
) -> MonthReport {
    let mut by_category: HashMap<(Kind, Option<CategoryId>), (i64, i64)> = HashMap::new();
    let (mut uncategorised_lines, mut transfer_lines, mut transfers_in, mut transfers_out) = (0, 0, 0, 0);
    for t in totals.iter().filter(|t| t.month == month) {
        if t.transfer {
            transfer_lines += t.lines_in + t.lines_out;
            transfers_in += t.inflow;
            transfers_out -= t.outflow;
            continue;
        }
        for (kind, category, amount, lines) in sides(tree, t) {
            let e = by_category.entry((kind, category)).or_default();
            e.0 += amount;
            e.1 += lines;
        }
        if t.category.and_then(|c| tree.get(c)).is_none() {
            uncategorised_lines += t.lines_in + t.lines_out;
        }
    }
    let budget_of: HashMap<CategoryId, i64> = budgets.iter().copied().collect();
    let figures = |kind: Kind| -> Vec<CategoryFigure> {
        let mut tops: Vec<CategoryFigure> = tree
            .tops()
            .filter(|top| top.kind == kind)
            .filter_map(|top| {
                let own = by_category.get(&(kind, Some(top.id))).copied();
                let mut children: Vec<CategoryFigure> = tree
                    .children(top.id)
                    .filter_map(|c| {
                        let (amount, lines) = by_category.get(&(kind, Some(c.id))).copied()?;
                        Some(figure(Some(c.id), c.name_in(lang), amount, lines))
                    })
                    .collect();
                children.sort_by_key(|c| std::cmp::Reverse(c.amount));
                if let Some((amount, lines)) = own
                    && !children.is_empty()
                {
                    children.push(figure(Some(top.id), top.name_in(lang), amount, lines));
                }
                let (amount, lines) = children
                    .iter()
                    .filter(|c| c.category_id != Some(top.id))
                    .fold(own.unwrap_or_default(), |(a, l), c| (a + c.amount, l + c.lines));
                if lines == 0 && amount == 0 {
                    return None;
                }
                let mut f = figure(Some(top.id), top.name_in(lang), amount, lines);
                f.children = children;
                f.budget = budget_of.get(&top.id).map(|&b| pace(b, amount, month, today));
                Some(f)
            })
            .collect();
        tops.sort_by_key(|f| std::cmp::Reverse(f.amount));
        if let Some(&(amount, lines)) = by_category.get(&(kind, None))
            && (amount != 0 || lines != 0)
        {
            tops.push(figure(None, uncategorised_name, amount, lines));
        }
        tops
    };
    let spending_by_category = figures(Kind::Expense);
    let income_by_category = figures(Kind::Income);
    let spending = spending_by_category.iter().map(|f| f.amount).sum();
    let income = income_by_category.iter().map(|f| f.amount).sum();
    let idle_budgets = budgets
        .iter()
        .filter(|(id, _)| !spending_by_category.iter().any(|f| f.category_id == Some(*id)))
        .filter_map(|&(id, b)| {
            let c = tree.get(id)?;
            let mut f = figure(Some(id), c.name_in(lang), 0, 0);
            f.budget = Some(pace(b, 0, month, today));
            Some(f)
        })
        .collect();
    MonthReport {
        month: month.to_string(),
        spending,
        income,
        net: income - spending,
        spending_by_category,
        income_by_category,
        uncategorised_lines,
        transfer_lines,
        transfers_in,
        transfers_out,
        idle_budgets,
    }
}

fn figure(category_id: Option<CategoryId>, name: &str, amount: i64, lines: i64) -> CategoryFigure {
    CategoryFigure { category_id, name: name.to_owned(), amount, lines, children: Vec::new(), budget: None }
}

/// A budget's state in `month` as of `today`.
pub fn pace(monthly: i64, spent: i64, month: YearMonth, today: NaiveDate) -> BudgetPace {
    let left = monthly - spent;
    let current = YearMonth::of(today) == month;
    let days_left = current.then(|| (month.last_day() - today).num_days() + 1);
    let per_day = days_left.filter(|_| left > 0).map(|d| left / d);
    BudgetPace { monthly, spent, left, per_day, days_left }
}

/// The months `first..=last`, each with its spending and income and spending per 大項目.
pub fn year_summary(
    tree: &CategoryTree,
    first: YearMonth,
    last: YearMonth,
    totals: &[CategoryMonth],
) -> Vec<MonthSummary> {
    let mut months = Vec::new();
    let mut m = first;
    while m <= last {
        let mut by_top: HashMap<Option<CategoryId>, i64> = HashMap::new();
        let (mut spending, mut income) = (0, 0);
        for t in totals.iter().filter(|t| t.month == m && !t.transfer) {
            for (kind, category, amount, _) in sides(tree, t) {
                match kind {
                    Kind::Expense => {
                        spending += amount;
                        let top = category.and_then(|c| tree.top_of(c)).map(|c| c.id);
                        *by_top.entry(top).or_default() += amount;
                    }
                    Kind::Income => income += amount,
                }
            }
        }
        let mut spending_by_category: Vec<CategoryAmount> = by_top
            .into_iter()
            .filter(|(_, amount)| *amount != 0)
            .map(|(category_id, amount)| CategoryAmount { category_id, amount })
            .collect();
        spending_by_category.sort_by_key(|c| (std::cmp::Reverse(c.amount), c.category_id));
        months.push(MonthSummary { month: m.to_string(), spending, income, spending_by_category });
        m = m.next();
    }
    months
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::books::Category;

    fn tree() -> CategoryTree {
        let cat = |id, parent: Option<i64>, kind, name: &str| Category {
            id: CategoryId(id),
            parent_id: parent.map(CategoryId),
            kind,
            builtin: None,
            name: name.into(),
            name_en: None,
            position: id,
            journal_account: None,
        };
        CategoryTree {
            categories: vec![
                cat(1, None, Kind::Expense, "食費"),
                cat(2, Some(1), Kind::Expense, "外食"),
                cat(3, Some(1), Kind::Expense, "食料品"),
                cat(4, None, Kind::Expense, "水道・光熱費"),
                cat(5, None, Kind::Income, "給与"),
            ],
        }
    }

    const NOV: YearMonth = YearMonth { year: 2026, month: 11 };

    /// Totals over `lines` lines, the first `lines_in` of them money in.
    fn t(category: Option<i64>, transfer: bool, inflow: i64, outflow: i64, lines: i64) -> CategoryMonth {
        let lines_in = i64::from(inflow > 0).min(lines);
        CategoryMonth {
            month: NOV,
            category: category.map(CategoryId),
            transfer,
            inflow,
            outflow,
            lines_in,
            lines_out: lines - lines_in,
        }
    }

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, d).unwrap()
    }

    #[test]
    fn spending_and_income_by_category_leave_transfers_out() {
        let totals = [
            t(Some(2), false, 0, -12_000, 4),
            t(Some(3), false, 500, -30_500, 10), // a refund within groceries
            t(Some(1), false, 0, -1_000, 1),     // filed under 食費 itself
            t(Some(4), false, 0, -9_000, 2),
            t(Some(5), false, 300_000, 0, 1),
            t(None, false, 20_000, -5_000, 3),
            t(None, true, 50_000, -50_000, 2),
            t(Some(4), true, 0, -70_000, 1),
        ];
        let r = month_report(&tree(), NOV, &totals, &[], day(30), Language::Ja, "未分類");
        assert_eq!(r.spending, 12_000 + 30_000 + 1_000 + 9_000 + 5_000);
        assert_eq!(r.income, 300_000 + 20_000);
        assert_eq!(r.net, r.income - r.spending);
        assert_eq!(r.transfer_lines, 3);
        assert_eq!((r.transfers_in, r.transfers_out), (50_000, 120_000));
        assert_eq!(r.uncategorised_lines, 3);
        let food = &r.spending_by_category[0];
        assert_eq!((food.name.as_str(), food.amount, food.lines), ("食費", 43_000, 15));
        let children: Vec<(&str, i64)> = food.children.iter().map(|c| (c.name.as_str(), c.amount)).collect();
        assert_eq!(children, [("食料品", 30_000), ("外食", 12_000), ("食費", 1_000)]);
        let last = r.spending_by_category.last().unwrap();
        assert_eq!((last.category_id, last.amount), (None, 5_000));
        assert_eq!(last.lines, 2, "the uncategorised total's lines out");
        let uncategorised_in = r.income_by_category.last().unwrap();
        assert_eq!((uncategorised_in.amount, uncategorised_in.lines), (20_000, 1));
    }

    #[test]
    fn budget_pace_in_the_current_month() {
        let totals = [t(Some(2), false, 0, -38_000, 9)];
        let r = month_report(
            &tree(),
            NOV,
            &totals,
            &[(CategoryId(1), 50_000), (CategoryId(4), 15_000)],
            day(16),
            Language::Ja,
            "",
        );
        let food = r.spending_by_category[0].budget.unwrap();
        // 12,000 left over 15 days (16th to 30th): 800 a day.
        assert_eq!(
            food,
            BudgetPace { monthly: 50_000, spent: 38_000, left: 12_000, per_day: Some(800), days_left: Some(15) }
        );
        assert_eq!(r.idle_budgets.len(), 1);
        assert_eq!(r.idle_budgets[0].budget.unwrap().left, 15_000);
        // A past month has no pace, an overspent one nothing per day.
        assert_eq!(pace(10_000, 12_000, NOV, day(10)).per_day, None);
        assert_eq!(pace(10_000, 2_000, NOV, NaiveDate::from_ymd_opt(2026, 12, 1).unwrap()).per_day, None);
    }

    #[test]
    fn a_year_of_months_with_spending_per_top_category() {
        let mut totals =
            vec![t(Some(2), false, 0, -12_000, 4), t(Some(4), false, 0, -9_000, 2), t(Some(5), false, 1, 0, 1)];
        totals.push(CategoryMonth { month: NOV.prev(), ..t(Some(3), false, 0, -7_000, 1) });
        let months = year_summary(&tree(), YearMonth { year: 2026, month: 1 }, NOV, &totals);
        assert_eq!(months.len(), 11);
        assert_eq!(months[9].spending, 7_000);
        let nov = &months[10];
        assert_eq!((nov.month.as_str(), nov.spending, nov.income), ("2026-11", 21_000, 1));
        assert_eq!(nov.spending_by_category[0], CategoryAmount { category_id: Some(CategoryId(1)), amount: 12_000 });
    }

    #[test]
    fn months_parse_and_step() {
        assert_eq!(YearMonth::parse("2026-11"), Some(NOV));
        assert_eq!(YearMonth::parse("2026-13"), None);
        assert_eq!(NOV.next().next(), YearMonth { year: 2027, month: 1 });
        assert_eq!(YearMonth { year: 2026, month: 1 }.prev(), YearMonth { year: 2025, month: 12 });
        assert_eq!(NOV.last_day(), day(30));
    }
}
