use std::path::PathBuf;

use crate::explain;
use crate::i18n::{Explain, Explanation, Language};
use crate::model::{AccountId, LinkId, SyncRunId, UnknownValue};

/// Why the store could not do what was asked, phrased so the user knows what to do.
#[derive(Debug, thiserror::Error)]
#[error("{}", self.explain(Language::En).summary())]
pub enum StoreError {
    NoDataDir,
    CreateDir {
        path: PathBuf,
        source: std::io::Error,
    },
    PermissionDenied {
        path: PathBuf,
    },
    Open {
        path: PathBuf,
        source: rusqlite::Error,
    },
    NotADatabase {
        path: PathBuf,
    },
    Busy {
        path: PathBuf,
    },
    NewerSchema {
        path: PathBuf,
        found: i64,
        supported: i64,
    },
    Migration {
        path: PathBuf,
        source: rusqlite_migration::Error,
    },
    Permissions {
        path: PathBuf,
        source: std::io::Error,
    },
    UnknownLink(LinkId),
    UnknownAccount(AccountId),
    UnknownSyncRun(SyncRunId),
    UnknownValue(#[from] UnknownValue),
    InvalidCursor(String),
    /// The bank sent lines of `date` after lines of a later or earlier day had begun.
    DayReopened {
        account: AccountId,
        date: chrono::NaiveDate,
    },
    Sqlite(#[from] rusqlite::Error),
}

impl Explain for StoreError {
    fn explain(&self, lang: Language) -> Explanation {
        use StoreError as E;
        let path = |p: &PathBuf| p.display().to_string();
        match self {
            E::NoDataDir => explain!(lang, "store-no-data-dir"),
            E::CreateDir { path: p, source } => {
                explain!(lang, "store-create-dir", path = path(p)).detail(source.to_string())
            }
            E::PermissionDenied { path: p } => explain!(lang, "store-permission-denied", path = path(p)),
            E::Open { path: p, source } => explain!(lang, "store-open", path = path(p)).detail(source.to_string()),
            E::NotADatabase { path: p } => explain!(lang, "store-not-a-database", path = path(p)),
            E::Busy { path: p } => explain!(lang, "store-busy", path = path(p)),
            E::NewerSchema { path: p, found, supported } => {
                explain!(lang, "store-newer-schema", path = path(p), found = *found, supported = *supported)
            }
            E::Migration { path: p, source } => {
                explain!(lang, "store-migration", path = path(p)).detail(source.to_string())
            }
            E::Permissions { path: p, source } => {
                explain!(lang, "store-permissions", path = path(p)).detail(source.to_string())
            }
            E::UnknownLink(id) => explain!(lang, "store-unknown-link", id = id.0),
            E::UnknownAccount(id) => explain!(lang, "store-unknown-account", id = id.0),
            E::UnknownSyncRun(id) => explain!(lang, "store-unknown-sync-run", id = id.0),
            E::UnknownValue(v) => explain!(lang, "store-unknown-value", value = v.to_string()),
            E::InvalidCursor(cursor) => explain!(lang, "store-invalid-cursor", cursor = format!("{cursor:?}")),
            E::DayReopened { account, date } => {
                explain!(lang, "store-day-reopened", account = account.0, date = date.to_string())
            }
            E::Sqlite(e) => explain!(lang, "store-sqlite").detail(e.to_string()),
        }
    }
}
