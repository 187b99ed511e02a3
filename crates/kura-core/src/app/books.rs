//! The monthly picture of the books (the 家計簿 screen and `kura report`): a month's spending
//! and income by category with budgets and their pace, and a year of months for the chart.

use chrono::Utc;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{AppContext, CommandError, RequestError, household};
use crate::books::report::{self, YearMonth};
use crate::format::jst_date;
use crate::t;

pub use crate::books::report::{BudgetPace, CategoryAmount, CategoryFigure, MonthReport, MonthSummary};

/// The current JST month.
pub fn this_month() -> YearMonth {
    YearMonth::of(jst_date(Utc::now()))
}

fn parse_month(month: Option<&str>) -> Result<YearMonth, CommandError> {
    match month {
        None => Ok(this_month()),
        Some(m) => YearMonth::parse(m).ok_or_else(|| RequestError::Month(m.to_owned()).into()),
    }
}

#[derive(Debug, Clone, Default, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct BooksMonthRequest {
    /// `YYYY-MM`; absent: this month (JST).
    pub month: Option<String>,
    /// Only these accounts; empty: every account that is not hidden.
    #[serde(default)]
    pub accounts: Vec<i64>,
    /// Only this household member's accounts.
    #[serde(default)]
    #[ts(optional)]
    pub member_id: Option<i64>,
}

/// The monthly totals from `first` to `last` of the accounts asked for (none for a member
/// without accounts).
fn totals(
    store: &crate::store::Store,
    first: YearMonth,
    last: YearMonth,
    accounts: &[i64],
    member: Option<i64>,
) -> Result<Vec<crate::books::report::CategoryMonth>, CommandError> {
    Ok(match household::scope(store, accounts, member)? {
        Some(none) if none.is_empty() => Vec::new(),
        scope => store.category_months(first, last, &scope.unwrap_or_default())?,
    })
}

pub async fn month(ctx: &AppContext, req: BooksMonthRequest) -> Result<MonthReport, CommandError> {
    let month = parse_month(req.month.as_deref())?;
    let lang = ctx.language();
    let store = ctx.store();
    let tree = store.categories()?;
    let totals = totals(&store, month, month, &req.accounts, req.member_id)?;
    let budgets = store.budgets()?;
    let uncategorised = t!(lang, "books-uncategorised");
    Ok(report::month_report(&tree, month, &totals, &budgets, jst_date(Utc::now()), lang, &uncategorised))
}

#[derive(Debug, Clone, Default, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct BooksYearRequest {
    /// The last month shown, `YYYY-MM`; absent: this month (JST).
    pub last: Option<String>,
    /// How many months up to it (default 12, at most 120).
    pub months: Option<u32>,
    #[serde(default)]
    pub accounts: Vec<i64>,
    /// Only this household member's accounts.
    #[serde(default)]
    #[ts(optional)]
    pub member_id: Option<i64>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct BooksYearResponse {
    /// Oldest first.
    pub months: Vec<MonthSummary>,
}

pub async fn year(ctx: &AppContext, req: BooksYearRequest) -> Result<BooksYearResponse, CommandError> {
    let last = parse_month(req.last.as_deref())?;
    let mut first = last;
    for _ in 1..req.months.unwrap_or(12).clamp(1, 120) {
        first = first.prev();
    }
    let store = ctx.store();
    let tree = store.categories()?;
    let totals = totals(&store, first, last, &req.accounts, req.member_id)?;
    Ok(BooksYearResponse { months: report::year_summary(&tree, first, last, &totals) })
}
