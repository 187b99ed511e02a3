//! The local SQLite store: one file in the platform's data folder (or `--data-dir`), owner-only,
//! WAL, foreign keys on, versioned migrations. History is kept for years and never deleted
//! because the bank stopped serving it.

mod account_sync;
mod books;
mod error;
pub mod location;
mod members;
mod open;
mod share;
mod write;

pub use account_sync::{AccountSyncBatch, AccountSyncEnd, AccountWriter, FiledPage, Filer, SyncCounts};
pub use books::{ApplyScope, CategoryMove, CategoryUsage, LineEdit, NewCategory, RefiledLine, RulesEffect};
pub use error::StoreError;
pub use location::data_dir;
pub use members::MemberAccount;
pub use open::DB_FILE_NAME;
pub use share::{Applied, Outbox};
pub use write::{AccountState, LinkRow, RunFailure, RunOutcome};

use std::path::{Path, PathBuf};

use rusqlite::{Connection, Row};

use crate::model::{AccountIdentity, Transaction};

/// The line of a `transactions` row, from [`line_columns!`] selected from column `first` on. By
/// position: a lookup by name scans every column's name, per value, which a million-row export
/// feels.
pub(crate) fn transaction_line(r: &Row<'_>, first: usize) -> rusqlite::Result<Transaction> {
    Ok(Transaction {
        transaction_date: r.get(first)?,
        value_date: r.get(first + 1)?,
        amount: r.get(first + 2)?,
        balance: r.get(first + 3)?,
        remarks: r.get(first + 4)?,
        item_key: r.get(first + 5)?,
    })
}

/// The columns [`transaction_line`] reads, in its order, of `transactions` selected as `t` (a
/// macro, so a query can `concat!` it into its column list).
macro_rules! line_columns {
    () => {
        "t.transaction_date, t.value_date, t.amount, t.balance_after, t.remarks, t.item_key"
    };
}
pub(crate) use line_columns;

/// How a `transactions` row is filed (selected under its columns' own names).
pub(crate) fn line_books(r: &Row<'_>) -> rusqlite::Result<crate::books::LineBooks> {
    let decided = |column: &str| -> rusqlite::Result<Option<crate::books::DecidedBy>> {
        r.get::<_, Option<String>>(column)?
            .map(|s| {
                s.parse()
                    .map_err(|e| rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e)))
            })
            .transpose()
    };
    Ok(crate::books::LineBooks {
        category_id: r.get::<_, Option<i64>>("category_id")?.map(crate::model::CategoryId),
        category_by: decided("category_by")?,
        memo: r.get("memo")?,
        memo_by: decided("memo_by")?,
        transfer: r.get("transfer")?,
        transfer_by: decided("transfer_by")?,
        transfer_pair: r.get("transfer_pair")?,
    })
}

/// The identity columns of an `accounts` row (selected under their own names).
pub(crate) fn account_identity(r: &Row<'_>) -> rusqlite::Result<AccountIdentity> {
    Ok(AccountIdentity {
        bank_code: r.get("bank_code")?,
        branch_code: r.get("branch_code")?,
        branch_name: r.get("branch_name")?,
        account_type_code: r.get("account_type_code")?,
        account_type_name: r.get("account_type_name")?,
        account_number: r.get("account_number")?,
        account_name_kana: r.get("account_name_kana")?,
    })
}

/// An open Kura database. Not `Sync`: share it behind a mutex, or open one per thread (WAL lets
/// readers run beside one writer).
pub struct Store {
    conn: Connection,
    path: PathBuf,
    /// The rules last compiled for a sync, kept while they stay the same: compiling them costs
    /// more than an incremental sync of an account.
    filing: std::cell::RefCell<Option<account_sync::CompiledRules>>,
}

impl Store {
    /// Opens (creating if needed) the database in `data_dir`, or in the platform's data folder
    /// when `None`, and brings its schema up to date.
    pub fn open(data_dir: Option<&Path>) -> Result<Store, StoreError> {
        let dir = location::data_dir(data_dir)?;
        open::ensure_private_dir(&dir)?;
        Store::open_file(&dir.join(DB_FILE_NAME))
    }

    /// Opens (creating if needed) the database file at `path`; its folder must exist.
    pub fn open_file(path: &Path) -> Result<Store, StoreError> {
        let conn = open::connect(path)?;
        Ok(Store { conn, path: path.to_owned(), filing: Default::default() })
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Runs SQLite's `PRAGMA integrity_check`; an empty list means the file is sound.
    pub fn integrity_check(&self) -> Result<Vec<String>, StoreError> {
        let mut stmt = self.conn.prepare("PRAGMA integrity_check")?;
        let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
        let problems: Vec<String> = rows.collect::<Result<_, _>>()?;
        Ok(if problems == ["ok"] { Vec::new() } else { problems })
    }

    /// The schema version of the open database.
    pub fn schema_version(&self) -> Result<i64, StoreError> {
        Ok(self.conn.query_row("PRAGMA user_version", [], |r| r.get(0))?)
    }

    /// The connection, for the query layer.
    pub(crate) fn conn(&self) -> &Connection {
        &self.conn
    }
}
