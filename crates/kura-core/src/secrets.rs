//! Tokens and client secrets, kept only in the OS credential store (Secret Service on Linux,
//! Keychain on macOS, Credential Manager on Windows) through the `keyring` crate.
//!
//! Nothing here is ever written to SQLite, a log, a URL or an error message: [`TokenSet`]'s
//! `Debug` redacts, and errors name the entry, never its content. There is deliberately no
//! plain-text fallback.

use std::fmt;
use std::path::Path;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::explain;
use crate::i18n::{Explain, Explanation, Language};

/// The service name every Kura entry is filed under in the credential store.
const SERVICE: &str = "kura";

/// What the credential store holds for one link. Stored as one entry so a rotated refresh token
/// and its access token are replaced together.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenSet {
    pub access_token: String,
    pub refresh_token: Option<String>,
    /// When the access token stops working (computed from `expires_in` on receipt).
    pub expires_at: Option<DateTime<Utc>>,
    /// The scopes granted, space-separated.
    pub scope: Option<String>,
}

impl fmt::Debug for TokenSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenSet")
            .field("access_token", &"[redacted]")
            .field("refresh_token", &self.refresh_token.as_ref().map(|_| "[redacted]"))
            .field("expires_at", &self.expires_at)
            .field("scope", &self.scope)
            .finish()
    }
}

#[derive(Debug, thiserror::Error)]
#[error("{}", self.explain(Language::En).summary())]
pub enum SecretsError {
    Unavailable,
    Locked { entry: String, detail: String },
    Store { entry: String, detail: String },
    Corrupt { entry: String },
    Namespace { path: String, source: std::io::Error },
}

impl Explain for SecretsError {
    fn explain(&self, lang: Language) -> Explanation {
        match self {
            SecretsError::Unavailable => explain!(lang, "secrets-unavailable"),
            SecretsError::Locked { entry, detail } => {
                explain!(lang, "secrets-locked", entry = entry.as_str()).detail(detail.as_str())
            }
            SecretsError::Store { entry, detail } => {
                explain!(lang, "secrets-store", entry = entry.as_str()).detail(detail.as_str())
            }
            SecretsError::Corrupt { entry } => explain!(lang, "secrets-corrupt", entry = entry.as_str()),
            SecretsError::Namespace { path, source } => {
                explain!(lang, "secrets-namespace", path = path.as_str()).detail(source.to_string())
            }
        }
    }
}

/// Kura's entries in the OS credential store, for one data folder.
///
/// Link ids are only unique within one database, so entries are namespaced by a random id kept
/// in the data folder: two data folders (or test runs) never read each other's tokens.
#[derive(Debug, Clone)]
pub struct SecretStore {
    namespace: String,
}

impl SecretStore {
    /// The store for the data folder `data_dir`, creating its namespace id on first use.
    pub fn for_data_dir(data_dir: &Path) -> Result<Self, SecretsError> {
        let path = data_dir.join("keyring-namespace");
        let io = |source| SecretsError::Namespace { path: path.display().to_string(), source };
        match std::fs::read_to_string(&path) {
            Ok(id) if !id.trim().is_empty() => {
                return Ok(SecretStore { namespace: id.trim().to_owned() });
            }
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(io(e)),
        }
        std::fs::create_dir_all(data_dir).map_err(io)?;
        let id = hex::encode(rand::random::<[u8; 8]>());
        std::fs::write(&path, &id).map_err(io)?;
        Ok(SecretStore { namespace: id })
    }

    /// Fails with [`SecretsError::Unavailable`] when no credential store can be reached, so a
    /// link attempt stops before the user logs in rather than after.
    pub async fn check_available(&self) -> Result<(), SecretsError> {
        // A read of an absent entry proves the store answers (and is unlocked).
        let probe = self.entry_name("probe");
        blocking(move || match entry(&probe)?.get_password() {
            Ok(_) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(map_err(&probe, e)),
        })
        .await
    }

    /// Saves the tokens of link `link_id`, replacing earlier ones.
    pub async fn save_tokens(&self, link_id: i64, tokens: &TokenSet) -> Result<(), SecretsError> {
        let name = self.entry_name(&link_key(link_id));
        let json = serde_json::to_string(tokens).expect("a TokenSet serialises");
        blocking(move || entry(&name)?.set_password(&json).map_err(|e| map_err(&name, e))).await
    }

    /// The tokens of link `link_id`, `None` when none are stored.
    pub async fn load_tokens(&self, link_id: i64) -> Result<Option<TokenSet>, SecretsError> {
        let name = self.entry_name(&link_key(link_id));
        blocking(move || match entry(&name)?.get_password() {
            Ok(json) => serde_json::from_str(&json).map(Some).map_err(|_| SecretsError::Corrupt { entry: name }),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(map_err(&name, e)),
        })
        .await
    }

    /// Removes the tokens of link `link_id` (absent is fine).
    pub async fn delete_tokens(&self, link_id: i64) -> Result<(), SecretsError> {
        let name = self.entry_name(&link_key(link_id));
        blocking(move || match entry(&name)?.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(map_err(&name, e)),
        })
        .await
    }

    /// Saves the client secret of the confidential profile `profile`, replacing an earlier one.
    ///
    /// Kept per data folder like the tokens: unlinking the last link of a profile deletes it,
    /// which must not break another data folder's links.
    pub async fn set_client_secret(&self, profile: &str, secret: &str) -> Result<(), SecretsError> {
        self.set(&client_secret_key(profile), secret).await
    }

    /// The client secret of profile `profile`, `None` when none is stored.
    pub async fn client_secret(&self, profile: &str) -> Result<Option<String>, SecretsError> {
        self.get(&client_secret_key(profile)).await
    }

    /// Removes the client secret of profile `profile`; `false` when none was stored.
    pub async fn delete_client_secret(&self, profile: &str) -> Result<bool, SecretsError> {
        self.delete(&client_secret_key(profile)).await
    }

    /// Saves the secret of household `household` (what its pairing code carries, from which its
    /// key is derived), replacing an earlier one.
    pub async fn set_household_secret(&self, household: &str, secret: &str) -> Result<(), SecretsError> {
        self.set(&format!("household-{household}"), secret).await
    }

    pub async fn household_secret(&self, household: &str) -> Result<Option<String>, SecretsError> {
        self.get(&format!("household-{household}")).await
    }

    /// Removes the secret of household `household`; `false` when none was stored.
    pub async fn delete_household_secret(&self, household: &str) -> Result<bool, SecretsError> {
        self.delete(&format!("household-{household}")).await
    }

    async fn set(&self, key: &str, value: &str) -> Result<(), SecretsError> {
        let (name, value) = (self.entry_name(key), value.to_owned());
        blocking(move || entry(&name)?.set_password(&value).map_err(|e| map_err(&name, e))).await
    }

    async fn get(&self, key: &str) -> Result<Option<String>, SecretsError> {
        let name = self.entry_name(key);
        blocking(move || match entry(&name)?.get_password() {
            Ok(value) => Ok(Some(value)),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(map_err(&name, e)),
        })
        .await
    }

    async fn delete(&self, key: &str) -> Result<bool, SecretsError> {
        let name = self.entry_name(key);
        blocking(move || match entry(&name)?.delete_credential() {
            Ok(()) => Ok(true),
            Err(keyring::Error::NoEntry) => Ok(false),
            Err(e) => Err(map_err(&name, e)),
        })
        .await
    }

    fn entry_name(&self, key: &str) -> String {
        format!("{}/{key}", self.namespace)
    }
}

fn link_key(link_id: i64) -> String {
    format!("link-{link_id}")
}

fn client_secret_key(profile: &str) -> String {
    format!("client-secret-{profile}")
}

fn entry(name: &str) -> Result<keyring::Entry, SecretsError> {
    keyring::Entry::new(SERVICE, name).map_err(|e| map_err(name, e))
}

fn map_err(entry: &str, e: keyring::Error) -> SecretsError {
    let entry = entry.to_owned();
    match e {
        keyring::Error::NoDefaultStore => SecretsError::Unavailable,
        // The Secret Service reports a missing D-Bus session or daemon as a platform failure.
        keyring::Error::PlatformFailure(p) if is_unreachable(&p.to_string()) => SecretsError::Unavailable,
        keyring::Error::NoStorageAccess(p) => SecretsError::Locked { entry, detail: p.to_string() },
        keyring::Error::BadEncoding(_) | keyring::Error::BadDataFormat(..) => SecretsError::Corrupt { entry },
        // The remaining variants carry no secret data (BadEncoding/BadDataFormat, which do, are above).
        other => SecretsError::Store { entry, detail: other.to_string() },
    }
}

fn is_unreachable(detail: &str) -> bool {
    let d = detail.to_ascii_lowercase();
    ["dbus", "d-bus", "org.freedesktop.secrets", "serviceunknown", "no such file", "connection refused"]
        .iter()
        .any(|needle| d.contains(needle))
}

/// The credential stores block (D-Bus round trips, Keychain prompts): keep them off the runtime.
async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, SecretsError> + Send + 'static,
) -> Result<T, SecretsError> {
    tokio::task::spawn_blocking(f).await.expect("credential store call panicked")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_tokens() {
        let t = TokenSet {
            access_token: "at-secret-123".into(),
            refresh_token: Some("rt-secret-456".into()),
            expires_at: None,
            scope: Some("balance".into()),
        };
        let shown = format!("{t:?}");
        assert!(!shown.contains("at-secret-123") && !shown.contains("rt-secret-456"), "{shown}");
        assert!(shown.contains("[redacted]"));
    }

    #[test]
    fn the_namespace_is_created_once_per_data_folder() {
        let dir = std::env::temp_dir().join(format!("kura-ns-{}-{}", std::process::id(), rand::random::<u64>()));
        let a = SecretStore::for_data_dir(&dir).unwrap();
        let b = SecretStore::for_data_dir(&dir).unwrap();
        assert_eq!(a.namespace, b.namespace);
        assert_eq!(a.namespace.len(), 16);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
