//! Exports straight from the local store: one streaming query over the selected accounts' rows,
//! in the order of the `transactions_account_date` index, so SQLite never sorts and the export
//! never holds more than one row. The same query reads how each line is filed and, through the
//! primary key, the other side of a paired transfer; the categories are read once, before it.

use std::collections::HashMap;
use std::io::Write;

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::types::Value;

use super::model::{
    BalanceSnapshot, ExportAccount, ExportBooks, ExportInput, ExportOptions, ExportRow, ExportSummary, Lang, RowBooks,
    TransferPair,
};
use super::{ExportError, export};
use crate::books::CategoryTree;
use crate::institutions;
use crate::model::CategoryId;
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
    /// The condition on `transactions` (named `table` in the query) and its parameters.
    fn where_clause(&self, table: &str, account_ids: &[i64]) -> (String, Vec<Value>) {
        let mut params: Vec<Value> = account_ids.iter().map(|id| Value::Integer(*id)).collect();
        let placeholders = vec!["?"; account_ids.len()].join(", ");
        let mut sql = format!("{table}.account_id IN ({placeholders})");
        if let Some(from) = self.from {
            sql.push_str(&format!(" AND {table}.transaction_date >= ?"));
            params.push(Value::Text(from.to_string()));
        }
        if let Some(to) = self.to {
            sql.push_str(&format!(" AND {table}.transaction_date <= ?"));
            params.push(Value::Text(to.to_string()));
        }
        match self.direction {
            Direction::All => {}
            Direction::In => sql.push_str(&format!(" AND {table}.amount > 0")),
            Direction::Out => sql.push_str(&format!(" AND {table}.amount < 0")),
        }
        (sql, params)
    }

    /// Whether a line of a selected account on `date` with `amount` is among the rows exported:
    /// [`Self::where_clause`] for a line read some other way (the other side of a transfer).
    fn admits(&self, date: NaiveDate, amount: i64) -> bool {
        self.from.is_none_or(|from| date >= from)
            && self.to.is_none_or(|to| date <= to)
            && match self.direction {
                Direction::All => true,
                Direction::In => amount > 0,
                Direction::Out => amount < 0,
            }
    }
}

/// The selected accounts in export order (by local id, which is the index order of their rows),
/// each with its local id; then the others, which transfers may name.
type Selection = (Vec<(i64, ExportAccount)>, Vec<(i64, ExportAccount)>);

fn select_accounts(store: &Store, filter: &ExportFilter) -> Result<Selection, ExportError> {
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
    let (selected, others): (Vec<_>, Vec<_>) = all.into_iter().partition(|(id, hidden, a)| {
        if filter.accounts.is_empty() {
            !hidden
        } else {
            filter.accounts.iter().any(|w| *w == a.id || *w == id.to_string())
        }
    });
    let strip = |v: Vec<(i64, bool, ExportAccount)>| v.into_iter().map(|(id, _, a)| (id, a)).collect();
    Ok((strip(selected), strip(others)))
}

/// Fills in each account's period (the filter's dates, else the span of its rows) and its
/// snapshots within that period.
fn describe(store: &Store, filter: &ExportFilter, id: i64, account: &mut ExportAccount) -> Result<(), ExportError> {
    let conn = store.conn();
    let (clause, params) = filter.where_clause("transactions", &[id]);
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

/// Each category's 大項目 and 中項目 names in `lang`, from the tree read once.
fn category_names(tree: &CategoryTree, lang: Lang) -> HashMap<CategoryId, (String, Option<String>)> {
    tree.categories
        .iter()
        .map(|c| {
            let names = match c.parent_id.and_then(|p| tree.get(p)) {
                Some(top) => (top.name_in(lang).to_owned(), Some(c.name_in(lang).to_owned())),
                None => (c.name_in(lang).to_owned(), None),
            };
            (c.id, names)
        })
        .collect()
}

/// Kura's stable id of a stored line within its account: the bank's item key, or else the
/// fingerprint and occurrence the store dedupes by, which identify the line as stably.
fn line_uid(item_key: Option<String>, fingerprint: i64, occurrence: i64) -> String {
    item_key.unwrap_or_else(|| format!("fp{:016x}-{occurrence}", fingerprint as u64))
}

/// Exports the rows `filter` selects from `store` in `options.format` into `out`.
pub fn export_from_store<W: Write + Send>(
    store: &Store,
    filter: &ExportFilter,
    options: &ExportOptions,
    out: W,
) -> Result<ExportSummary, ExportError> {
    let (mut selected, others) = select_accounts(store, filter)?;
    for (id, account) in &mut selected {
        describe(store, filter, *id, account)?;
    }
    let ids: Vec<i64> = selected.iter().map(|(id, _)| *id).collect();
    let remote_ids: Vec<(i64, String)> = selected.iter().map(|(id, a)| (*id, a.id.clone())).collect();
    // Every account a transfer's other side may be in, by local id.
    let all_remote: HashMap<i64, String> = selected.iter().chain(&others).map(|(id, a)| (*id, a.id.clone())).collect();
    let categories = store.categories()?;
    let names = category_names(&categories, options.lang);
    // Rows come grouped by account, so the previous row's account is nearly always the one (no
    // hashing per row).
    let mut current = 0;
    let (clause, params) = filter.where_clause("t", &ids);
    // Ordered like the (account_id, transaction_date, id) index, so SQLite streams without sorting;
    // `selected` is in the same account order. The other side of a transfer comes by primary key,
    // and only when the two lines name each other and both are still marked as transfers.
    // By position (see `transaction_line`): the account, the line (1-6), its identity and books
    // (7-11), the other side of its transfer (12-17).
    let mut stmt = store.conn().prepare(&format!(
        concat!(
            "SELECT t.account_id, ",
            crate::store::line_columns!(),
            ", t.fingerprint, t.occurrence, t.category_id, t.memo, t.transfer,
                p.account_id, p.transaction_date, p.amount, p.item_key, p.fingerprint, p.occurrence
             FROM transactions t
             LEFT JOIN transactions p ON p.id = t.transfer_pair AND t.transfer AND p.transfer AND p.transfer_pair = t.id
             WHERE {clause} ORDER BY t.account_id, t.transaction_date, t.id"
        ),
        clause = clause
    ))?;
    let rows = stmt.query_map(rusqlite::params_from_iter(params), |r| {
        let line = crate::store::transaction_line(r, 1)?;
        let uid = line_uid(line.item_key.clone(), r.get(7)?, r.get(8)?);
        // A category deleted meanwhile leaves its lines uncategorised (ON DELETE SET NULL).
        let filed = r.get::<_, Option<i64>>(9)?.map(CategoryId).and_then(|c| names.get(&c).map(|n| (c, n.clone())));
        let pair_account: Option<i64> = r.get(12)?;
        let pair_amount: Option<i64> = r.get(14)?;
        let pair = match (pair_account, pair_amount) {
            // Only an exact opposite is one movement; anything else posts as a transfer whose
            // other side is unknown, so no journal ever fails to balance.
            (Some(local), Some(amount)) if amount == -line.amount => {
                let date: NaiveDate = r.get(13)?;
                Some(TransferPair {
                    account_id: all_remote.get(&local).cloned().unwrap_or_default(),
                    uid: line_uid(r.get(15)?, r.get(16)?, r.get(17)?),
                    date,
                    amount,
                    exported: ids.contains(&local) && filter.admits(date, amount),
                })
            }
            _ => None,
        };
        let (category_id, names) = filed.unzip();
        let (category, subcategory) = names.unzip();
        let books = RowBooks {
            category_id,
            category,
            subcategory: subcategory.flatten(),
            memo: r.get(10)?,
            transfer: r.get(11)?,
            pair,
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
            books,
        })
    })?;
    let accounts = selected.into_iter().map(|(_, a)| a).collect();
    let books = ExportBooks { categories, other_accounts: others.into_iter().map(|(_, a)| a).collect() };
    export(ExportInput { accounts, rows: rows.map(|r| r.map_err(ExportError::from)), books }, options, out)
}
