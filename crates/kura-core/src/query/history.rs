//! Aggregates for charts: income and expense per month, and an account's daily balance.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rusqlite::OptionalExtension;
use serde::Serialize;

use super::TxFilter;
use crate::model::AccountId;
use crate::store::{Store, StoreError};

/// Money in and out during one JST calendar month.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MonthTotal {
    /// `YYYY-MM`.
    pub month: String,
    /// Sum of credits (≥ 0).
    pub income: i64,
    /// Sum of debits as a positive number (≥ 0).
    pub expense: i64,
    /// `income - expense`.
    pub net: i64,
    pub count: i64,
}

/// An account's balance at the end of a JST day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BalancePoint {
    pub date: NaiveDate,
    pub balance: i64,
}

impl Store {
    /// Income and expense per month of the transactions `filter` selects, oldest month first.
    pub fn monthly_totals(&self, filter: &TxFilter) -> Result<Vec<MonthTotal>, StoreError> {
        let c = filter.conditions();
        let sql = format!(
            "SELECT substr(t.transaction_date, 1, 7) AS month,
                 sum(CASE WHEN t.amount > 0 THEN t.amount ELSE 0 END),
                 sum(CASE WHEN t.amount < 0 THEN -t.amount ELSE 0 END),
                 count(*)
             FROM transactions t{} GROUP BY month ORDER BY month",
            c.sql
        );
        let mut stmt = self.conn().prepare(&sql)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(c.params), |r| {
            let income: i64 = r.get(1)?;
            let expense: i64 = r.get(2)?;
            Ok(MonthTotal { month: r.get(0)?, income, expense, net: income - expense, count: r.get(3)? })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The balance at the end of every day from `from` to `to` (inclusive), for a chart. A day's
    /// balance is the bank's balance after its last transaction, else a balance snapshot taken
    /// that day, else the previous day's. Days before the first known balance are left out;
    /// `to` defaults to the last day with data.
    pub fn balance_series(
        &self,
        account: AccountId,
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
    ) -> Result<Vec<BalancePoint>, StoreError> {
        let conn = self.conn();
        let mut known: BTreeMap<NaiveDate, i64> = BTreeMap::new();
        // Snapshots first, so a day's last transaction overrides them.
        let mut stmt = conn.prepare(
            "SELECT base_date, balance, max(base_at) FROM balance_snapshots
             WHERE account_id = ?1 GROUP BY base_date",
        )?;
        for row in stmt.query_map([account.0], |r| Ok((r.get::<_, NaiveDate>(0)?, r.get::<_, i64>(1)?)))? {
            let (d, b) = row?;
            known.insert(d, b);
        }
        // SQLite takes the bare column from the row holding max(id): the day's last line.
        let mut stmt = conn.prepare(
            "SELECT transaction_date, balance_after, max(id) FROM transactions
             WHERE account_id = ?1 AND balance_after IS NOT NULL GROUP BY transaction_date",
        )?;
        for row in stmt.query_map([account.0], |r| Ok((r.get::<_, NaiveDate>(0)?, r.get::<_, i64>(1)?)))? {
            let (d, b) = row?;
            known.insert(d, b);
        }
        let Some(last_day) = to.or_else(|| known.keys().next_back().copied()) else {
            return Ok(Vec::new());
        };
        let mut current = match from {
            Some(f) => known.range(..f).next_back().map(|(_, b)| *b),
            None => None,
        };
        let mut day = match from.or_else(|| known.keys().next().copied()) {
            Some(d) => d,
            None => return Ok(Vec::new()),
        };
        let mut out = Vec::new();
        while day <= last_day {
            if let Some(b) = known.get(&day) {
                current = Some(*b);
            }
            if let Some(balance) = current {
                out.push(BalancePoint { date: day, balance });
            }
            day = match day.succ_opt() {
                Some(d) => d,
                None => break,
            };
        }
        Ok(out)
    }

    /// Whether `account` exists (queries on an unknown account return nothing rather than fail).
    pub fn account_exists(&self, account: AccountId) -> Result<bool, StoreError> {
        Ok(self.conn().query_row("SELECT 1 FROM accounts WHERE id = ?1", [account.0], |_| Ok(())).optional()?.is_some())
    }
}
