use std::path::PathBuf;

use crate::model::{AccountId, LinkId, SyncRunId, UnknownValue};

/// Why the store could not do what was asked, phrased so the user knows what to do.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot find a data folder for this platform; pass --data-dir or set KURA_DATA_DIR")]
    NoDataDir,
    #[error("cannot create the data folder {path}: {source}; pass --data-dir to use another folder")]
    CreateDir { path: PathBuf, source: std::io::Error },
    #[error("cannot open {path}: permission denied; check that you own the file and its folder")]
    PermissionDenied { path: PathBuf },
    #[error("cannot open {path}: {source}")]
    Open { path: PathBuf, source: rusqlite::Error },
    #[error("{path} is not a Kura database or is damaged; move it away and sync again, or restore a backup")]
    NotADatabase { path: PathBuf },
    #[error("the database at {path} is in use by another program; close other Kura windows and try again")]
    Busy { path: PathBuf },
    #[error(
        "the database at {path} was written by a newer Kura (schema {found}, this Kura knows {supported}); upgrade Kura"
    )]
    NewerSchema { path: PathBuf, found: i64, supported: i64 },
    #[error("cannot update the database schema at {path}: {source}")]
    Migration { path: PathBuf, source: rusqlite_migration::Error },
    #[error("cannot set owner-only permissions on {path}: {source}")]
    Permissions { path: PathBuf, source: std::io::Error },
    #[error("no link with id {0}")]
    UnknownLink(LinkId),
    #[error("no account with id {0}")]
    UnknownAccount(AccountId),
    #[error("no sync run with id {0}")]
    UnknownSyncRun(SyncRunId),
    #[error("the database holds a value this Kura does not understand: {0}; upgrade Kura")]
    UnknownValue(#[from] UnknownValue),
    #[error("invalid page cursor {0:?}; start again from the first page")]
    InvalidCursor(String),
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
}
