//! Finding, creating and opening the database file.

use std::path::Path;
use std::sync::LazyLock;
use std::time::Duration;

use rusqlite::{Connection, ErrorCode, OpenFlags};
use rusqlite_migration::{M, Migrations};

use super::StoreError;

/// The database file's name inside the data folder.
pub const DB_FILE_NAME: &str = "kura.sqlite3";

static MIGRATIONS: LazyLock<Migrations<'static>> = LazyLock::new(|| {
    Migrations::new(vec![
        M::up(include_str!("migrations/001_initial.sql")),
        M::up(include_str!("migrations/002_search_key.sql")),
        M::up(include_str!("migrations/003_transaction_count.sql")),
        // The books' tables, then (in Rust) the remarks refolded, the starter categories and
        // rules, which file the history already stored.
        M::up_with_hook(include_str!("migrations/004_books.sql"), |tx: &rusqlite::Transaction<'_>| {
            refold_remarks(tx)?;
            crate::books::starter::seed(tx, chrono::Utc::now())?;
            super::books::file_history(tx).map_err(|e| match e {
                crate::books::BooksError::Store(StoreError::Sqlite(e)) => {
                    rusqlite_migration::HookError::RusqliteError(e)
                }
                e => rusqlite_migration::HookError::Hook(e.to_string()),
            })?;
            Ok(())
        }),
        M::up(include_str!("migrations/005_search_refold.sql")),
        M::up(include_str!("migrations/006_batch_index_and_totals.sql")),
        M::up(include_str!("migrations/007_members.sql")).foreign_key_check(),
        M::up(include_str!("migrations/008_household_share.sql")),
        M::up(include_str!("migrations/009_shared_books.sql")),
    ])
});

/// Creates `dir` (and parents) if missing; a folder Kura creates is readable by its owner only.
pub(super) fn ensure_private_dir(dir: &Path) -> Result<(), StoreError> {
    if dir.is_dir() {
        return Ok(());
    }
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir).map_err(|source| StoreError::CreateDir { path: dir.to_owned(), source })
}

/// Creates the file owner-only before SQLite touches it (SQLite gives its -wal and -shm files
/// the mode of the main file).
fn ensure_private_file(path: &Path) -> Result<(), StoreError> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(false);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    match options.open(path) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied => {
            Err(StoreError::PermissionDenied { path: path.to_owned() })
        }
        Err(source) => Err(StoreError::Permissions { path: path.to_owned(), source }),
    }
}

/// Maps SQLite's failure to open or read a file to an error the user can act on.
fn classify(path: &Path, e: rusqlite::Error) -> StoreError {
    let path = path.to_owned();
    match e.sqlite_error_code() {
        Some(ErrorCode::NotADatabase) => StoreError::NotADatabase { path },
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => StoreError::Busy { path },
        Some(ErrorCode::PermissionDenied | ErrorCode::ReadOnly | ErrorCode::CannotOpen) => {
            StoreError::PermissionDenied { path }
        }
        _ => StoreError::Open { path, source: e },
    }
}

pub(super) fn connect(path: &Path) -> Result<Connection, StoreError> {
    ensure_private_file(path)?;
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX | OpenFlags::SQLITE_OPEN_URI;
    let mut conn = Connection::open_with_flags(path, flags).map_err(|e| classify(path, e))?;
    // A sync and the UI may write at the same moment; wait rather than fail at once.
    conn.busy_timeout(Duration::from_secs(10)).map_err(|e| classify(path, e))?;
    // journal_mode is the first statement that reads the file, so it is where a non-database
    // or locked file shows up.
    conn.pragma_update_and_check(None, "journal_mode", "WAL", |_| Ok(())).map_err(|e| classify(path, e))?;
    // Foreign keys off while migrating (the bundled SQLite turns them on by default): a
    // migration that rebuilds a table (007) must run without them, as SQLite's own procedure for
    // it says, and checks them itself afterwards.
    conn.execute_batch("PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = OFF;").map_err(|e| classify(path, e))?;

    let supported = MIGRATIONS_COUNT as i64;
    let found: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0)).map_err(|e| classify(path, e))?;
    if found > supported {
        return Err(StoreError::NewerSchema { path: path.to_owned(), found, supported });
    }
    MIGRATIONS.to_latest(&mut conn).map_err(|source| match source {
        rusqlite_migration::Error::RusqliteError { err, .. }
            if matches!(
                err.sqlite_error_code(),
                Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked | ErrorCode::NotADatabase)
            ) =>
        {
            classify(path, err)
        }
        source => StoreError::Migration { path: path.to_owned(), source },
    })?;
    conn.execute_batch("PRAGMA foreign_keys = ON;").map_err(|e| classify(path, e))?;
    Ok(conn)
}

/// Stores every line's remarks folded the current way (`text::fold`).
fn refold_remarks(conn: &Connection) -> rusqlite::Result<()> {
    let mut read = conn.prepare("SELECT id, remarks, remarks_folded FROM transactions")?;
    let changed: Vec<(i64, String)> = read
        .query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?)))?
        .filter_map(|row| match row {
            Ok((id, remarks, old)) => {
                let folded = crate::text::fold(&remarks);
                (folded != old).then_some(Ok((id, folded)))
            }
            Err(e) => Some(Err(e)),
        })
        .collect::<rusqlite::Result<_>>()?;
    let mut write = conn.prepare("UPDATE transactions SET remarks_folded = ?2 WHERE id = ?1")?;
    for (id, folded) in changed {
        write.execute(rusqlite::params![id, folded])?;
    }
    Ok(())
}

/// How many migrations this build knows; the schema version of a fully migrated database.
const MIGRATIONS_COUNT: usize = 9;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_are_valid_and_counted() {
        MIGRATIONS.validate().unwrap();
        let mut conn = Connection::open_in_memory().unwrap();
        MIGRATIONS.to_latest(&mut conn).unwrap();
        let v: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
        assert_eq!(v, MIGRATIONS_COUNT as i64);
    }
}
