//! An account's history: keyset-paged transactions with filters and search, monthly income and
//! expense, and the balance over time.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{AppContext, CommandError, RequestError, household};
use crate::books::{BooksError, CategoryTree};
use crate::model::{AccountId, CategoryId};
use crate::query::{Cursor, TxFilter};
use crate::store::StoreError;

/// The largest page the UI may ask for at once.
const MAX_PAGE: u32 = 2_000;

/// Money in or money out.
pub use crate::query::Direction as Flow;

/// Which transactions: all fields optional; an empty `accounts` means every visible account.
#[derive(Debug, Clone, Default, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
pub struct HistoryFilter {
    pub accounts: Vec<i64>,
    /// Only this household member's accounts (with `accounts`: those of them that are theirs).
    pub member_id: Option<i64>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub flow: Option<Flow>,
    /// Bounds on the amount's magnitude in yen, inclusive.
    pub min_amount: Option<i64>,
    pub max_amount: Option<i64>,
    /// Words that must all occur in the remarks; ｶｰﾄﾞ, カード and かーど match alike.
    pub search: Option<String>,
    /// Only lines filed under these categories (a 大項目 with its 中項目s)…
    pub categories: Vec<i64>,
    /// With `categories`: only the lines filed under those very categories, not under their
    /// 中項目s (what a 大項目 holds itself).
    pub exact_categories: bool,
    /// …or uncategorised (alone, or besides `categories`).
    pub uncategorised: bool,
    /// Only transfers (`true`) or only the rest (`false`).
    pub transfers: Option<bool>,
}

impl HistoryFilter {
    /// The query for this filter; `None` when it covers no account at all (a member without
    /// accounts), so there is nothing to read.
    pub(super) fn to_query(&self, ctx: &AppContext) -> Result<Option<TxFilter>, CommandError> {
        if let (Some(from), Some(to)) = (self.from, self.to)
            && from > to
        {
            return Err(RequestError::DatesReversed { from, to }.into());
        }
        if let (Some(min), Some(max)) = (self.min_amount, self.max_amount)
            && min > max
        {
            return Err(RequestError::AmountsReversed { min, max }.into());
        }
        let accounts = match household::scope(&ctx.store(), &self.accounts, self.member_id)? {
            None => Vec::new(),
            Some(none) if none.is_empty() => return Ok(None),
            Some(some) => some,
        };
        Ok(Some(TxFilter {
            accounts,
            from: self.from,
            to: self.to,
            direction: self.flow,
            min_amount: self.min_amount,
            max_amount: self.max_amount,
            search: self.search.clone().filter(|s| !s.trim().is_empty()),
            categories: if self.categories.is_empty() {
                Vec::new()
            } else {
                filed_under(&ctx.store().categories()?, &self.categories, self.exact_categories)?
            },
            uncategorised: self.uncategorised,
            transfers: self.transfers,
        }))
    }
}

/// The categories whose lines `categories` asks for: each with its 中項目s, or exactly those.
fn filed_under(tree: &CategoryTree, categories: &[i64], exact: bool) -> Result<Vec<CategoryId>, BooksError> {
    let mut ids = Vec::new();
    for &c in categories {
        let c = CategoryId(c);
        if tree.get(c).is_none() {
            return Err(BooksError::UnknownCategory(c));
        }
        if exact {
            ids.push(c);
        } else {
            ids.extend(tree.with_children(c));
        }
    }
    Ok(ids)
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TransactionsPageRequest {
    pub filter: HistoryFilter,
    /// `nextCursor` of the previous page; absent for the first (newest) page.
    pub cursor: Option<String>,
    pub limit: u32,
}

/// A history row as the UI shows it: the stored transaction itself.
pub use crate::query::TxRow as TransactionItem;

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TransactionsPageResponse {
    /// Newest first.
    pub rows: Vec<TransactionItem>,
    pub next_cursor: Option<String>,
}

pub async fn transactions(
    ctx: &AppContext,
    req: TransactionsPageRequest,
) -> Result<TransactionsPageResponse, CommandError> {
    let cursor = req.cursor.as_deref().map(str::parse::<Cursor>).transpose()?;
    let Some(filter) = req.filter.to_query(ctx)? else {
        return Ok(TransactionsPageResponse { rows: Vec::new(), next_cursor: None });
    };
    let store = ctx.store();
    for &account in &filter.accounts {
        if !store.account_exists(account)? {
            return Err(StoreError::UnknownAccount(account).into());
        }
    }
    let page = store.transactions(&filter, cursor, req.limit.clamp(1, MAX_PAGE) as usize)?;
    Ok(TransactionsPageResponse { rows: page.rows, next_cursor: page.next_cursor.map(|c| c.to_string()) })
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct MonthlyTotalsRequest {
    pub filter: HistoryFilter,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct MonthTotalItem {
    /// `YYYY-MM` (JST).
    pub month: String,
    pub income: i64,
    /// Money out, as a positive number.
    pub expense: i64,
    pub net: i64,
    pub count: i64,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct MonthlyTotalsResponse {
    /// Oldest month first.
    pub months: Vec<MonthTotalItem>,
}

pub async fn monthly(ctx: &AppContext, req: MonthlyTotalsRequest) -> Result<MonthlyTotalsResponse, CommandError> {
    let Some(filter) = req.filter.to_query(ctx)? else {
        return Ok(MonthlyTotalsResponse { months: Vec::new() });
    };
    let months = ctx
        .store()
        .monthly_totals(&filter)?
        .into_iter()
        .map(|m| MonthTotalItem { month: m.month, income: m.income, expense: m.expense, net: m.net, count: m.count })
        .collect();
    Ok(MonthlyTotalsResponse { months })
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct BalanceSeriesRequest {
    pub account_id: i64,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct BalancePointItem {
    pub date: NaiveDate,
    pub balance: i64,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct BalanceSeriesResponse {
    /// One point per day, oldest first.
    pub points: Vec<BalancePointItem>,
}

pub async fn balance_series(
    ctx: &AppContext,
    req: BalanceSeriesRequest,
) -> Result<BalanceSeriesResponse, CommandError> {
    let store = ctx.store();
    let account = AccountId(req.account_id);
    if !store.account_exists(account)? {
        return Err(StoreError::UnknownAccount(account).into());
    }
    let points = store
        .balance_series(account, req.from, req.to)?
        .into_iter()
        .map(|p| BalancePointItem { date: p.date, balance: p.balance })
        .collect();
    Ok(BalanceSeriesResponse { points })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::books::{Category, Kind};

    fn category(id: i64, parent: Option<i64>) -> Category {
        Category {
            id: CategoryId(id),
            parent_id: parent.map(CategoryId),
            kind: Kind::Expense,
            builtin: None,
            name: format!("c{id}"),
            name_en: None,
            position: id,
            journal_account: None,
        }
    }

    #[test]
    fn a_top_category_brings_its_subcategories_unless_asked_for_exactly() {
        let tree = CategoryTree {
            categories: vec![category(1, None), category(2, Some(1)), category(3, Some(1)), category(4, None)],
        };
        assert_eq!(filed_under(&tree, &[1], false).unwrap(), [1, 2, 3].map(CategoryId));
        assert_eq!(filed_under(&tree, &[1], true).unwrap(), [CategoryId(1)]);
        assert_eq!(filed_under(&tree, &[2, 4], false).unwrap(), [2, 4].map(CategoryId));
        assert!(matches!(filed_under(&tree, &[9], false), Err(BooksError::UnknownCategory(CategoryId(9)))));
    }
}
