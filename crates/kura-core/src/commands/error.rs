//! The one error type every command returns. It crosses both transports as a typed object
//! `{kind, message, hint}`: `kind` lets the UI choose what to show (a re-link button, the offline
//! banner), `message` says what happened, `hint` what to do about it.

use serde::{Serialize, Serializer};
use ts_rs::TS;

use crate::export::ExportError;
use crate::oauth::{LinkError, OAuthError};
use crate::profile::ProfileError;
use crate::secrets::SecretsError;
use crate::store::StoreError;
use crate::store::location::MoveError;

#[derive(Debug, thiserror::Error)]
pub enum CommandError {
    #[error("this version of Kura has no command `{0}`")]
    UnknownCommand(String),
    #[error("the request for `{command}` is malformed: {detail}")]
    BadRequest { command: String, detail: String },
    #[error("{0}")]
    Invalid(String),
    #[error("{0}")]
    NotFound(String),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    OAuth(#[from] OAuthError),
    #[error(transparent)]
    Link(#[from] LinkError),
    #[error(transparent)]
    Secrets(#[from] SecretsError),
    #[error(transparent)]
    Profile(#[from] ProfileError),
    #[error(transparent)]
    Export(#[from] ExportError),
    #[error(transparent)]
    DataFolder(#[from] MoveError),
    #[error("cannot save the settings to {path}: {source}")]
    SettingsIo { path: String, source: std::io::Error },
}

/// What went wrong, as a class the UI can act on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum ErrorKind {
    /// The UI and the core disagree (a bug or a stale UI build).
    UnknownCommand,
    BadRequest,
    /// The user asked for something that cannot be done (bad union code, bad filter).
    Invalid,
    NotFound,
    /// The union's server could not be reached: show cached data and the offline banner.
    Network,
    /// The consent must be given again in the browser.
    ReauthRequired,
    /// The user chose Deny on the consent page.
    AccessDenied,
    /// The browser never came back.
    TimedOut,
    /// The browser could not be opened: the user opens the login page's address themselves.
    Browser,
    /// Kura could not listen on 127.0.0.1 for the browser's redirect.
    Loopback,
    /// The OS credential store is missing or locked.
    Keyring,
    /// The union's profile is a confidential client whose secret is missing or was refused:
    /// the UI asks for it and starts the link again with it.
    ClientSecret,
    /// profiles.toml or the union's configuration is wrong.
    Config,
    /// The local database or a file could not be read or written.
    Storage,
    /// The union's server answered something Kura cannot use.
    Remote,
    /// A login at an already linked union was another person's (it shares none of the link's
    /// accounts): the existing link stays as it was.
    OtherPerson,
    Export,
}

/// The serialised form of a [`CommandError`].
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CommandFailure {
    pub kind: ErrorKind,
    pub message: String,
    pub hint: Option<String>,
}

impl CommandError {
    pub fn kind(&self) -> ErrorKind {
        match self {
            CommandError::UnknownCommand(_) => ErrorKind::UnknownCommand,
            CommandError::BadRequest { .. } => ErrorKind::BadRequest,
            CommandError::Invalid(_) => ErrorKind::Invalid,
            CommandError::NotFound(_) => ErrorKind::NotFound,
            CommandError::Store(e) | CommandError::Link(LinkError::Store(e)) => store_kind(e),
            CommandError::SettingsIo { .. } => ErrorKind::Storage,
            CommandError::OAuth(e) | CommandError::Link(LinkError::OAuth(e)) => oauth_kind(e),
            CommandError::Link(LinkError::Accounts(_) | LinkError::WrongUnion { .. } | LinkError::Unchecked { .. }) => {
                ErrorKind::Remote
            }
            CommandError::Link(LinkError::OtherPerson { .. }) => ErrorKind::OtherPerson,
            CommandError::Link(LinkError::SecretRefused { .. }) => ErrorKind::ClientSecret,
            CommandError::Secrets(_) => ErrorKind::Keyring,
            CommandError::Profile(_) => ErrorKind::Config,
            CommandError::Export(_) => ErrorKind::Export,
            CommandError::DataFolder(e) => move_kind(e),
        }
    }

    /// What the user can do next, where the message alone does not say it.
    fn hint(&self) -> Option<String> {
        let hint = match self.kind() {
            ErrorKind::Network => "Kura shows the data it has cached; it syncs again once the union can be reached.",
            ErrorKind::ReauthRequired => "Open Links and choose Re-authenticate; your cached history is kept.",
            ErrorKind::Keyring => {
                "Kura keeps tokens only in the OS credential store (Secret Service, Keychain, Credential Manager); unlock or install it and try again."
            }
            ErrorKind::UnknownCommand | ErrorKind::BadRequest => {
                "Restart Kura; if this persists, the UI and the core are from different builds."
            }
            _ => return None,
        };
        Some(hint.to_owned())
    }

    pub fn to_failure(&self) -> CommandFailure {
        CommandFailure { kind: self.kind(), message: self.to_string(), hint: self.hint() }
    }
}

fn store_kind(e: &StoreError) -> ErrorKind {
    match e {
        StoreError::UnknownLink(_) | StoreError::UnknownAccount(_) | StoreError::UnknownSyncRun(_) => {
            ErrorKind::NotFound
        }
        StoreError::InvalidCursor(_) => ErrorKind::Invalid,
        _ => ErrorKind::Storage,
    }
}

fn oauth_kind(e: &OAuthError) -> ErrorKind {
    use OAuthError as O;
    match e {
        O::AccessDenied => ErrorKind::AccessDenied,
        O::TimedOut(_) => ErrorKind::TimedOut,
        O::InvalidGrant(_) | O::NoRefreshToken => ErrorKind::ReauthRequired,
        O::Network(_) => ErrorKind::Network,
        O::Secrets(_) => ErrorKind::Keyring,
        O::MissingClientSecret(_) | O::ClientRefused { confidential: true, .. } => ErrorKind::ClientSecret,
        O::EmptyClientSecret => ErrorKind::Invalid,
        O::Profile(_)
        | O::Discovery { .. }
        | O::UnusableMetadata { .. }
        | O::ClientRefused { .. }
        | O::NotConfidential(_) => ErrorKind::Config,
        O::Browser { .. } => ErrorKind::Browser,
        O::Listen(_) => ErrorKind::Loopback,
        O::Authorization { .. }
        | O::StateMismatch
        | O::IssuerMismatch { .. }
        | O::MalformedCallback
        | O::TokenEndpoint { .. }
        | O::Protocol(_) => ErrorKind::Remote,
    }
}

fn move_kind(e: &MoveError) -> ErrorKind {
    use MoveError as M;
    match e {
        M::NotAbsolute(_) | M::Same(_) | M::Nested { .. } | M::NotEmpty(_) => ErrorKind::Invalid,
        M::Explicit | M::NoConfigDir => ErrorKind::Config,
        M::Store(e) => store_kind(e),
        M::Io { .. } | M::Copy { .. } | M::Mismatch { .. } => ErrorKind::Storage,
    }
}

impl Serialize for CommandError {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.to_failure().serialize(serializer)
    }
}
