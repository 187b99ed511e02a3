//! Sharing one household between desktops through a folder that an existing sync engine keeps
//! in step (Syncthing, or any folder the person already syncs). Kura never puts its live
//! database there: each desktop writes an append-only log of its own changes, sealed with the
//! household's key, and applies the others' (store/share.rs says how).
//!
//! ```text
//! <folder>/kura-household.json        the household's id and a sealed key check (no data)
//! <folder>/desktops/<desktop>/<seq>.kseg   a desktop's log, one sealed segment per file
//! ```

pub mod code;
mod folder;
pub mod records;
pub mod segment;

pub use folder::{Folder, Found, HouseholdFile};

use std::path::PathBuf;

use crate::explain;
use crate::i18n::{Explain, Explanation, Language};
use crate::secrets::SecretsError;
use crate::store::StoreError;

/// Why sharing could not do what was asked. The store and the folder stay as they were.
#[derive(Debug, thiserror::Error)]
#[error("{}", self.explain(Language::En).summary())]
pub enum ShareError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Secrets(#[from] SecretsError),
    NotShared,
    AlreadyShared {
        folder: PathBuf,
    },
    /// The folder already holds a household (join it with its pairing code instead).
    FolderTaken {
        folder: PathBuf,
    },
    /// No household in the folder (yet: the sync engine may still be bringing it).
    NoHousehold {
        folder: PathBuf,
    },
    /// The household file is not one Kura can read (another program's, or a newer Kura's).
    BadHouseholdFile {
        folder: PathBuf,
        detail: String,
    },
    BadCode,
    /// The code is well formed but does not open this household.
    WrongCode {
        folder: PathBuf,
    },
    /// The household's secret is gone from the keyring (a new keyring, another user account).
    SecretMissing,
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

impl Explain for ShareError {
    fn explain(&self, lang: Language) -> Explanation {
        use ShareError as E;
        let shown = |p: &PathBuf| p.display().to_string();
        match self {
            E::Store(e) => e.explain(lang),
            E::Secrets(e) => e.explain(lang),
            E::NotShared => explain!(lang, "share-not-shared"),
            E::AlreadyShared { folder } => explain!(lang, "share-already", folder = shown(folder)),
            E::FolderTaken { folder } => explain!(lang, "share-folder-taken", folder = shown(folder)),
            E::NoHousehold { folder } => explain!(lang, "share-no-household", folder = shown(folder)),
            E::BadHouseholdFile { folder, detail } => {
                explain!(lang, "share-bad-household-file", folder = shown(folder)).detail(detail.clone())
            }
            E::BadCode => explain!(lang, "share-bad-code"),
            E::WrongCode { folder } => explain!(lang, "share-wrong-code", folder = shown(folder)),
            E::SecretMissing => explain!(lang, "share-secret-missing"),
            E::Io { path, source } => explain!(lang, "share-io", path = shown(path)).detail(source.to_string()),
        }
    }
}
