//! Exports straight from the local store: one streaming query over the selected accounts' rows,
//! in the order of the `transactions_account_date` index, so SQLite never sorts and the export
//! never holds more than one row.

use std::io::Write;

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::types::Value;

use super::model::{BalanceSnapshot, ExportAccount, ExportInput, ExportOptions, ExportRow, ExportSummary};
use super::{ExportError, export};
use crate::institutions;
use crate::store::Store;

/// Which money movements to export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Direction {
    #[default]
    All,
    /// Money in only (amount > 0).
    In,
    /// Money out only (amount < 0).
    Out,
}

/// Which rows to export.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExportFilter {
    /// Accounts by Kura's account id (`2011-001-1-1234567`) or local number; empty means every
    /// account that is not hidden.
    pub accounts: Vec<String>,
    /// First transaction date, inclusive.
    pub from: Option<NaiveDate>,
    /// Last transaction date, inclusive.
    pub to: Option<NaiveDate>,
    pub direction: Direction,
}

impl ExportFilter {
    /// The condition on `transactions` and its parameters, after the account ids in `?1..`.
    fn where_clause(&self, account_ids: &[i64]) -> (String, Vec<Value>) {
        let mut params: Vec<Value> = account_ids.iter().map(|id| Value::Integer(*id)).collect();
        let placeholders = vec!["?"; account_ids.len()].join(", ");
        let mut sql = format!("account_id IN ({placeholders})");
        if let Some(from) = self.from {
            sql.push_str(" AND transaction_date >= ?");
            params.push(Value::Text(from.to_string()));
        }
        if let Some(to) = self.to {
            sql.push_str(" AND transaction_date <= ?");
            params.push(Value::Text(to.to_string()));
        }
        match self.direction {
            Direction::All => {}
            Direction::In => sql.push_str(" AND amount > 0"),
            Direction::Out => sql.push_str(" AND amount < 0"),
        }
        (sql, params)
    }
}

/// The selected accounts in export order (by local id, which is the index order of their rows),
/// each with its local id.
fn select_accounts(store: &Store, filter: &ExportFilter) -> Result<Vec<(i64, ExportAccount)>, ExportError> {
    let conn = store.conn();
    let mut stmt = conn.prepare(
        "SELECT id, remote_account_id, bank_code, branch_code, branch_name, account_type_code, account_type_name,
                account_number, account_name_kana, hidden
         FROM accounts ORDER BY id",
    )?;
    let all = stmt
        .query_map([], |r| {
            let identity = crate::store::account_identity(r)?;
            Ok((
                r.get::<_, i64>("id")?,
                r.get::<_, bool>("hidden")?,
                ExportAccount {
                    id: r.get("remote_account_id")?,
                    bank_name: institutions::name_of(&identity.bank_code),
                    identity,
                    period: None,
                    snapshots: Vec::new(),
                },
            ))
        })?
        .collect::<Result<Vec<_>, _>>()?;
    for wanted in &filter.accounts {
        if !all.iter().any(|(id, _, a)| &a.id == wanted || id.to_string() == *wanted) {
            return Err(ExportError::UnknownAccount(wanted.clone()));
        }
    }
    Ok(all
        .into_iter()
        .filter(|(id, hidden, a)| {
            if filter.accounts.is_empty() {
                !hidden
            } else {
                filter.accounts.iter().any(|w| *w == a.id || *w == id.to_string())
            }
        })
        .map(|(id, _, a)| (id, a))
        .collect())
}

/// Fills in each account's period (the filter's dates, else the span of its rows) and its
/// snapshots within that period.
fn describe(store: &Store, filter: &ExportFilter, id: i64, account: &mut ExportAccount) -> Result<(), ExportError> {
    let conn = store.conn();
    let (clause, params) = filter.where_clause(&[id]);
    let span: (Option<NaiveDate>, Option<NaiveDate>) = conn.query_row(
        &format!("SELECT MIN(transaction_date), MAX(transaction_date) FROM transactions WHERE {clause}"),
        rusqlite::params_from_iter(params),
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let start = filter.from.or(span.0);
    let end = filter.to.or(span.1);
    let mut stmt = conn.prepare_cached(
        "SELECT base_date, base_at, balance FROM balance_snapshots
         WHERE account_id = ?1 AND base_date >= ?2 AND base_date <= ?3
         ORDER BY base_date, base_at, id",
    )?;
    account.snapshots = stmt
        .query_map(
            rusqlite::params![
                id,
                // Dates are stored as ISO text, so the open ends compare as text too.
                filter.from.map_or_else(|| "0000-01-01".to_owned(), |d| d.to_string()),
                filter.to.map_or_else(|| "9999-12-31".to_owned(), |d| d.to_string())
            ],
            |r| Ok(BalanceSnapshot { date: r.get(0)?, as_of: r.get::<_, DateTime<Utc>>(1)?, balance: r.get(2)? }),
        )?
        .collect::<Result<_, _>>()?;
    let last_snapshot = account.snapshots.last().map(|s| s.date);
    account.period = match (start, end.max(last_snapshot).or(start)) {
        (Some(start), Some(end)) if start <= end => Some((start, end)),
        _ => None,
    };
    Ok(())
}

/// Exports the rows `filter` selects from `store` in `options.format` into `out`.
pub fn export_from_store<W: Write + Send>(
    store: &Store,
    filter: &ExportFilter,
    options: &ExportOptions,
    out: W,
) -> Result<ExportSummary, ExportError> {
    let mut selected = select_accounts(store, filter)?;
    for (id, account) in &mut selected {
        describe(store, filter, *id, account)?;
    }
    let ids: Vec<i64> = selected.iter().map(|(id, _)| *id).collect();
    let remote_ids: Vec<(i64, String)> = selected.iter().map(|(id, a)| (*id, a.id.clone())).collect();
    // Rows come grouped by account, so the previous row's account is nearly always the one (no
    // hashing per row).
    let mut current = 0;
    let (clause, params) = filter.where_clause(&ids);
    // Ordered like the (account_id, transaction_date, id) index, so SQLite streams without sorting;
    // `selected` is in the same account order.
    let mut stmt = store.conn().prepare(&format!(
        "SELECT account_id, transaction_date, value_date, amount, balance_after, remarks, item_key, fingerprint,
                occurrence
         FROM transactions WHERE {clause} ORDER BY account_id, transaction_date, id"
    ))?;
    let rows = stmt.query_map(rusqlite::params_from_iter(params), |r| {
        let line = crate::store::transaction_line(r)?;
        let uid = match &line.item_key {
            Some(key) => key.clone(),
            // The fingerprint and occurrence are what the store dedupes by where the bank sends no
            // item key, so they identify the row as stably.
            None => format!("fp{:016x}-{}", r.get::<_, i64>("fingerprint")? as u64, r.get::<_, i64>("occurrence")?),
        };
        Ok(ExportRow {
            account_id: {
                let local: i64 = r.get(0)?;
                if remote_ids.get(current).is_none_or(|(id, _)| *id != local) {
                    current = remote_ids.iter().position(|(id, _)| *id == local).unwrap_or(usize::MAX);
                }
                remote_ids.get(current).map(|(_, remote)| remote.clone()).unwrap_or_default()
            },
            line,
            uid,
        })
    })?;
    let accounts = selected.into_iter().map(|(_, a)| a).collect();
    export(ExportInput { accounts, rows: rows.map(|r| r.map_err(ExportError::from)) }, options, out)
}
