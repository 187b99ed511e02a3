//! Where Kura's data lives, and moving it to another folder.
//!
//! An explicit folder (`--data-dir`, `KURA_DATA_DIR`) wins; then the folder the data was moved
//! to (the `data-folder` file in the config folder); then the platform's data folder. The app
//! asks for a move while it runs ([`request_move`]) and the move happens at its next start
//! ([`finish_move`]), before anything opens the database: no open connection, sync or
//! credential lookup ever sees a half-moved folder. The keyring namespace file moves with the
//! data, so the links' tokens stay theirs.

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags};

use super::StoreError;
use super::open::{DB_FILE_NAME, ensure_private_dir};
use crate::explain;
use crate::i18n::{Explain, Explanation, Language};

/// In the config folder: the data folder the data was moved to.
const POINTER_FILE: &str = "data-folder";
/// In the config folder: the folder the user asked to move the data to, at the next start.
const PENDING_FILE: &str = "data-folder.move";
/// In a folder being filled by a move: a move that stopped half-way may be redone over it.
const INCOMPLETE_MARKER: &str = ".kura-move-incomplete";

#[derive(Debug, thiserror::Error)]
#[error("{}", self.explain(Language::En).summary())]
pub enum MoveError {
    NotAbsolute(PathBuf),
    Same(PathBuf),
    Nested {
        from: PathBuf,
        to: PathBuf,
    },
    NotEmpty(PathBuf),
    Explicit,
    NoConfigDir,
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    Copy {
        path: PathBuf,
        source: rusqlite::Error,
    },
    Mismatch {
        path: PathBuf,
        detail: String,
    },
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl Explain for MoveError {
    fn explain(&self, lang: Language) -> Explanation {
        use MoveError as E;
        let shown = |p: &PathBuf| p.display().to_string();
        match self {
            E::NotAbsolute(p) => explain!(lang, "move-not-absolute", path = shown(p)),
            E::Same(p) => explain!(lang, "move-same", path = shown(p)),
            E::Nested { from, to } => explain!(lang, "move-nested", from = shown(from), to = shown(to)),
            E::NotEmpty(p) => explain!(lang, "move-not-empty", path = shown(p)),
            E::Explicit => explain!(lang, "move-explicit"),
            E::NoConfigDir => explain!(lang, "move-no-config-dir"),
            E::Io { path, source } => explain!(lang, "move-io", path = shown(path), reason = source.to_string()),
            E::Copy { path, source } => explain!(lang, "move-copy", path = shown(path), reason = source.to_string()),
            E::Mismatch { path, detail } => {
                explain!(lang, "move-mismatch", path = shown(path), detail = detail.as_str())
            }
            E::Store(e) => e.explain(lang),
        }
    }
}

/// The folder Kura keeps its data in: `explicit` when given, else the folder the data was moved
/// to, else the platform's data folder (e.g. `~/.local/share/kura` on Linux).
pub fn data_dir(explicit: Option<&Path>) -> Result<PathBuf, StoreError> {
    data_dir_with(explicit, crate::profile::config_dir().as_deref())
}

fn data_dir_with(explicit: Option<&Path>, config: Option<&Path>) -> Result<PathBuf, StoreError> {
    if let Some(dir) = explicit {
        return Ok(dir.to_owned());
    }
    if let Some(moved) = config.and_then(|c| read_path(&c.join(POINTER_FILE))) {
        return Ok(moved);
    }
    directories::ProjectDirs::from("jp", "kura", "Kura")
        .map(|dirs| dirs.data_dir().to_owned())
        .ok_or(StoreError::NoDataDir)
}

/// The folder a move was asked for and waits for the next start, if one does.
pub fn pending_move(config: &Path) -> Option<PathBuf> {
    read_path(&config.join(PENDING_FILE))
}

/// Asks for the data in `from` to move to `to` at the next start, after checking that it can.
pub fn request_move(config: &Path, from: &Path, to: &Path) -> Result<(), MoveError> {
    check_target(from, to)?;
    write_atomically(&config.join(PENDING_FILE), to)
}

/// Withdraws a move asked for and not done yet.
pub fn cancel_move(config: &Path) -> Result<(), MoveError> {
    let path = config.join(PENDING_FILE);
    match std::fs::remove_file(&path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(MoveError::Io { path, source: e }),
        _ => Ok(()),
    }
}

/// Does the move asked for, if one was: copies the database (consistently, with `VACUUM INTO`)
/// and every other file of `from` into the new folder, checks the copy, remembers the new
/// folder, and then removes the old files. Returns the folder to use from now on. On failure
/// nothing of the old folder is touched, the half-made copy is removed, and the request is
/// dropped (the error says why; the user can ask again).
pub fn finish_move(config: &Path, from: &Path) -> Result<Option<PathBuf>, MoveError> {
    let Some(to) = pending_move(config) else { return Ok(None) };
    // Asked once: a move that fails is not retried at every start.
    cancel_move(config)?;
    check_target(from, &to)?;
    // From here `to` holds only what this move writes: a failure may remove all of it.
    let created = !to.exists();
    if let Err(e) = copy_data(from, &to) {
        discard_copy(&to, created);
        return Err(e);
    }
    write_atomically(&config.join(POINTER_FILE), &to)?;
    let _ = std::fs::remove_file(to.join(INCOMPLETE_MARKER));
    remove_old(from);
    Ok(Some(to))
}

fn check_target(from: &Path, to: &Path) -> Result<(), MoveError> {
    if !to.is_absolute() {
        return Err(MoveError::NotAbsolute(to.to_owned()));
    }
    let (from_real, to_real) = (resolve(from), resolve(to));
    if from_real == to_real {
        return Err(MoveError::Same(to.to_owned()));
    }
    if to_real.starts_with(&from_real) || from_real.starts_with(&to_real) {
        return Err(MoveError::Nested { from: from.to_owned(), to: to.to_owned() });
    }
    let io = |source| MoveError::Io { path: to.to_owned(), source };
    match std::fs::read_dir(to) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(io(e)),
        Ok(mut entries) => {
            // What a stopped move left (it carries the marker) is ours to overwrite.
            if entries.next().is_none() || to.join(INCOMPLETE_MARKER).exists() {
                Ok(())
            } else {
                Err(MoveError::NotEmpty(to.to_owned()))
            }
        }
    }
}

/// `path` with symbolic links and `..` resolved as far as it exists, for comparing folders.
fn resolve(path: &Path) -> PathBuf {
    let mut existing = path.to_owned();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_owned());
                existing = parent.to_owned();
            }
            _ => break,
        }
    }
    let mut resolved = existing.canonicalize().unwrap_or(existing);
    resolved.extend(rest.iter().rev());
    resolved
}

fn copy_data(from: &Path, to: &Path) -> Result<(), MoveError> {
    let io = |path: &Path| {
        let path = path.to_owned();
        move |source| MoveError::Io { path, source }
    };
    ensure_private_dir(to)?;
    std::fs::write(to.join(INCOMPLETE_MARKER), b"").map_err(io(to))?;
    let database = from.join(DB_FILE_NAME);
    if database.exists() {
        copy_database(&database, &to.join(DB_FILE_NAME))?;
    }
    for entry in std::fs::read_dir(from).map_err(io(from))? {
        let entry = entry.map_err(io(from))?;
        let name = entry.file_name();
        if is_database_file(&name.to_string_lossy()) {
            continue;
        }
        copy_tree(&entry.path(), &to.join(&name))?;
    }
    Ok(())
}

/// The database, its write-ahead log and shared-memory index: the copy is made by SQLite.
fn is_database_file(name: &str) -> bool {
    name.strip_prefix(DB_FILE_NAME).is_some_and(|rest| ["", "-wal", "-shm", "-journal"].contains(&rest))
}

fn copy_tree(from: &Path, to: &Path) -> Result<(), MoveError> {
    let io = |source| MoveError::Io { path: to.to_owned(), source };
    if from.is_dir() {
        std::fs::create_dir_all(to).map_err(io)?;
        for entry in std::fs::read_dir(from).map_err(io)? {
            let entry = entry.map_err(io)?;
            copy_tree(&entry.path(), &to.join(entry.file_name()))?;
        }
        Ok(())
    } else {
        // std::fs::copy keeps the permissions, so private files stay private.
        std::fs::copy(from, to).map(drop).map_err(io)
    }
}

fn copy_database(from: &Path, to: &Path) -> Result<(), MoveError> {
    let copy_err = |source| MoveError::Copy { path: to.to_owned(), source };
    let _ = std::fs::remove_file(to);
    let source = Connection::open_with_flags(from, OpenFlags::SQLITE_OPEN_READ_WRITE).map_err(copy_err)?;
    source.execute("VACUUM INTO ?1", [to.to_string_lossy()]).map_err(copy_err)?;
    let copy = Connection::open_with_flags(to, OpenFlags::SQLITE_OPEN_READ_ONLY).map_err(copy_err)?;
    let check: String = copy.query_row("PRAGMA integrity_check", [], |r| r.get(0)).map_err(copy_err)?;
    if check != "ok" {
        return Err(MoveError::Mismatch { path: to.to_owned(), detail: check });
    }
    for table in ["links", "accounts", "transactions", "balance_snapshots", "sync_runs", "gaps"] {
        let count = |conn: &Connection| -> Result<i64, MoveError> {
            conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0)).map_err(copy_err)
        };
        let (before, after) = (count(&source)?, count(&copy)?);
        if before != after {
            return Err(MoveError::Mismatch {
                path: to.to_owned(),
                detail: format!("{table}: {before} rows, the copy {after}"),
            });
        }
    }
    Ok(())
}

/// Removes a copy that failed: the whole folder when the move created it, else what it wrote.
fn discard_copy(to: &Path, created: bool) {
    let result = if created {
        std::fs::remove_dir_all(to)
    } else {
        std::fs::read_dir(to).map(|entries| {
            for entry in entries.flatten() {
                let path = entry.path();
                let _ = if path.is_dir() { std::fs::remove_dir_all(&path) } else { std::fs::remove_file(&path) };
            }
        })
    };
    if let Err(e) = result {
        tracing::warn!(folder = %to.display(), error = %e, "could not remove the failed copy of the data");
    }
}

/// Removes the old folder once the new one is in use; what cannot be removed only costs space.
fn remove_old(from: &Path) {
    if let Err(e) = std::fs::remove_dir_all(from) {
        tracing::warn!(folder = %from.display(), error = %e, "could not remove the old data folder");
    }
}

fn read_path(file: &Path) -> Option<PathBuf> {
    let text = std::fs::read_to_string(file).ok()?;
    let path = text.trim();
    (!path.is_empty()).then(|| PathBuf::from(path))
}

/// Writes `content` to `file` so a reader sees the old or the new path, never half of one.
fn write_atomically(file: &Path, content: &Path) -> Result<(), MoveError> {
    let io = |source| MoveError::Io { path: file.to_owned(), source };
    let dir = file.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(io)?;
    let mut tmp = tempfile::NamedTempFile::new_in(dir).map_err(io)?;
    std::io::Write::write_all(&mut tmp, content.as_os_str().as_encoded_bytes()).map_err(io)?;
    tmp.persist(file).map(drop).map_err(|e| io(e.error))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;
    use crate::testing;

    /// A data folder with a store holding one link and some files beside it.
    fn data_folder(root: &Path) -> PathBuf {
        let data = root.join("data");
        let mut store = Store::open(Some(&data)).unwrap();
        let now = chrono::Utc::now();
        let (_, account) = testing::link_with_account(&mut store, "sandbox", now);
        let day = chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
        let lines: Vec<_> = (0..250)
            .map(|i| testing::line(day + chrono::Days::new(i / 5), -100, None, "ｶｰﾄﾞ", Some(&format!("k{i}"))))
            .collect();
        testing::store_lines(&mut store, account, &lines, now);
        drop(store);
        std::fs::write(data.join("keyring-namespace"), "0123456789abcdef").unwrap();
        std::fs::write(data.join("preferences.json"), "{}").unwrap();
        data
    }

    fn transactions(dir: &Path) -> i64 {
        let store = Store::open(Some(dir)).unwrap();
        store.conn().query_row("SELECT count(*) FROM transactions", [], |r| r.get(0)).unwrap()
    }

    #[test]
    fn a_move_asked_for_happens_at_the_next_start_with_everything() {
        let root = tempfile::tempdir().unwrap();
        let (config, from, to) = (root.path().join("config"), data_folder(root.path()), root.path().join("new/Kura"));
        assert_eq!(data_dir_with(None, Some(&config)).unwrap().file_name(), Some("kura".as_ref()));

        request_move(&config, &from, &to).unwrap();
        assert_eq!(pending_move(&config), Some(to.clone()));
        assert!(from.join(DB_FILE_NAME).exists(), "nothing moves before the next start");

        assert_eq!(finish_move(&config, &from).unwrap(), Some(to.clone()));
        assert_eq!(transactions(&to), 250);
        assert_eq!(std::fs::read_to_string(to.join("keyring-namespace")).unwrap(), "0123456789abcdef");
        assert!(to.join("preferences.json").exists());
        assert!(!to.join(INCOMPLETE_MARKER).exists());
        assert!(!from.exists(), "the old folder is gone");
        assert_eq!(pending_move(&config), None);
        assert_eq!(data_dir_with(None, Some(&config)).unwrap(), to);
        // An explicit folder still wins.
        assert_eq!(data_dir_with(Some(&from), Some(&config)).unwrap(), from);
        assert_eq!(finish_move(&config, &to).unwrap(), None, "nothing pending");
    }

    #[test]
    fn a_move_is_refused_where_it_could_overwrite_or_nest() {
        let root = tempfile::tempdir().unwrap();
        let (config, from) = (root.path().join("config"), data_folder(root.path()));
        let full = root.path().join("full");
        std::fs::create_dir_all(&full).unwrap();
        std::fs::write(full.join("thesis.docx"), "mine").unwrap();
        assert!(matches!(request_move(&config, &from, &full), Err(MoveError::NotEmpty(_))));
        assert!(matches!(request_move(&config, &from, &from.join("inner")), Err(MoveError::Nested { .. })));
        assert!(matches!(request_move(&config, &from, root.path()), Err(MoveError::Nested { .. })));
        assert!(matches!(request_move(&config, &from, &from), Err(MoveError::Same(_))));
        assert!(matches!(request_move(&config, &from, Path::new("relative/dir")), Err(MoveError::NotAbsolute(_))));
        assert_eq!(pending_move(&config), None);
        // An empty folder is fine.
        let empty = root.path().join("empty");
        std::fs::create_dir_all(&empty).unwrap();
        request_move(&config, &from, &empty).unwrap();
        cancel_move(&config).unwrap();
        assert_eq!(pending_move(&config), None);
    }

    #[test]
    fn a_failed_move_leaves_the_data_where_it_was_and_is_not_retried() {
        let root = tempfile::tempdir().unwrap();
        let (config, from) = (root.path().join("config"), data_folder(root.path()));
        let to = root.path().join("later");
        request_move(&config, &from, &to).unwrap();
        // Between the request and the start, something else took the folder.
        std::fs::create_dir_all(&to).unwrap();
        std::fs::write(to.join("other.txt"), "not Kura's").unwrap();
        assert!(matches!(finish_move(&config, &from), Err(MoveError::NotEmpty(_))));
        assert_eq!(std::fs::read_to_string(to.join("other.txt")).unwrap(), "not Kura's");
        assert_eq!(transactions(&from), 250);
        assert_eq!(pending_move(&config), None);
        assert_eq!(data_dir_with(None, Some(&config)).unwrap().file_name(), Some("kura".as_ref()));
    }

    #[test]
    fn a_move_stopped_half_way_is_redone_over_its_own_leftovers() {
        let root = tempfile::tempdir().unwrap();
        let (config, from, to) = (root.path().join("config"), data_folder(root.path()), root.path().join("to"));
        std::fs::create_dir_all(&to).unwrap();
        std::fs::write(to.join(INCOMPLETE_MARKER), "").unwrap();
        std::fs::write(to.join(DB_FILE_NAME), "half a database").unwrap();
        request_move(&config, &from, &to).unwrap();
        assert_eq!(finish_move(&config, &from).unwrap(), Some(to.clone()));
        assert_eq!(transactions(&to), 250);
    }
}
