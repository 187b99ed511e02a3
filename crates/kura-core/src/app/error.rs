//! The one error type every command returns. It crosses both transports as a typed object
//! `{kind, message, hint}`: `kind` lets the UI choose what to show (a re-link button, the offline
//! banner), `message` says what happened, `hint` what to do about it.

use std::path::PathBuf;

use chrono::NaiveDate;
use serde::{Serialize, Serializer};
use ts_rs::TS;

use super::linking::LinkError;
use crate::books::BooksError;
use crate::export::ExportError;
use crate::format::yen;
use crate::household::HouseholdError;
use crate::i18n::{Explain, Explanation, Language};
use crate::oauth::OAuthError;
use crate::profile::ProfileError;
use crate::secrets::SecretsError;
use crate::share::ShareError;
use crate::store::StoreError;
use crate::store::location::MoveError;
use crate::{explain, t};

#[derive(Debug, thiserror::Error)]
#[error("{}", self.explain(Language::En).summary())]
pub enum CommandError {
    UnknownCommand(String),
    BadRequest {
        command: String,
        detail: String,
    },
    /// The request asks for something that cannot be done as asked.
    #[error(transparent)]
    Request(#[from] RequestError),
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
    #[error(transparent)]
    Books(#[from] BooksError),
    #[error(transparent)]
    Household(#[from] HouseholdError),
    #[error(transparent)]
    Share(#[from] ShareError),
    SettingsIo {
        path: String,
        source: std::io::Error,
    },
}

/// A request the application layer cannot carry out as asked.
#[derive(Debug, thiserror::Error)]
#[error("{}", self.explain(Language::En).summary())]
pub enum RequestError {
    DatesReversed {
        from: NaiveDate,
        to: NaiveDate,
    },
    AmountsReversed {
        min: i64,
        max: i64,
    },
    UnknownAttempt(u64),
    /// `syncNow` in a process that runs no scheduler.
    NotSyncing,
    PollInterval {
        min_minutes: u32,
        max_hours: u32,
    },
    NoHomeFolder,
    MonthlyNoFolder,
    MonthlyRelative {
        folder: String,
        example: String,
    },
    MonthlyFolderGone(PathBuf),
    MonthlyFolderUnreadable {
        folder: PathBuf,
        reason: String,
    },
    MonthlyNotAFolder(PathBuf),
    /// The folder takes no file (the kind of the failure, never tempfile's probe name).
    MonthlyUnwritable {
        folder: PathBuf,
        reason: std::io::ErrorKind,
    },
    MonthlyShiftJisNotCsv {
        format: &'static str,
    },
    /// A month that is not `YYYY-MM`.
    Month(String),
}

impl RequestError {
    fn kind(&self) -> ErrorKind {
        match self {
            RequestError::UnknownAttempt(_) => ErrorKind::NotFound,
            _ => ErrorKind::Invalid,
        }
    }
}

impl Explain for RequestError {
    fn explain(&self, lang: Language) -> Explanation {
        use RequestError as R;
        let shown = |p: &PathBuf| p.display().to_string();
        match self {
            R::DatesReversed { from, to } => {
                explain!(lang, "request-dates-reversed", from = from.to_string(), to = to.to_string())
            }
            R::AmountsReversed { min, max } => {
                explain!(lang, "request-amounts-reversed", min = yen(*min), max = yen(*max))
            }
            R::UnknownAttempt(id) => explain!(lang, "request-unknown-attempt", id = *id),
            R::NotSyncing => explain!(lang, "request-not-syncing"),
            R::PollInterval { min_minutes, max_hours } => {
                explain!(lang, "request-poll-interval", min = *min_minutes, max = *max_hours)
            }
            R::NoHomeFolder => explain!(lang, "request-no-home-folder"),
            R::MonthlyNoFolder => explain!(lang, "monthly-no-folder"),
            R::MonthlyRelative { folder, example } => {
                explain!(lang, "monthly-relative", folder = format!("{folder:?}"), example = example.as_str())
            }
            R::MonthlyFolderGone(folder) => explain!(lang, "monthly-folder-gone", folder = shown(folder)),
            R::MonthlyFolderUnreadable { folder, reason } => {
                explain!(lang, "monthly-folder-unreadable", folder = shown(folder), reason = reason.as_str())
            }
            R::MonthlyNotAFolder(folder) => explain!(lang, "monthly-not-a-folder", folder = shown(folder)),
            R::MonthlyUnwritable { folder, reason } => {
                explain!(lang, "monthly-unwritable", folder = shown(folder), reason = reason.to_string())
            }
            R::MonthlyShiftJisNotCsv { format } => explain!(lang, "monthly-shift-jis-not-csv", format = *format),
            R::Month(month) => explain!(lang, "request-month", month = month.as_str()),
        }
    }
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
    /// A member's name that is empty or too long (`subject`: the name).
    MemberName,
    /// Another member already has the name (`subject`: the name).
    MemberNameTaken,
    Export,
    /// A rule's regular expression does not compile (`subject`: the regex library's words).
    InvalidPattern,
    /// A rule would meet every line.
    RuleTooBroad,
    /// A rule sets no category, memo or transfer mark.
    RuleDoesNothing,
    /// A category name that is empty or holds `:` or `/` (`subject`: the name).
    CategoryName,
    /// Another category beside it already has the name (`subject`: the name).
    CategoryNameTaken,
    /// Categories have two levels: the move or deletion asked for breaks that.
    CategoryLevels,
    /// A rules file that cannot be read (`subject`: where and why).
    RulesFile,
    /// A rules file naming categories or accounts this book lacks (`subject`: their names).
    RulesFileUnknown,
}

/// The serialised form of a [`CommandError`].
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CommandFailure {
    pub kind: ErrorKind,
    pub message: String,
    pub hint: Option<String>,
    /// What the failure is about, where the UI's text names it: a category's name, the names
    /// a rules file lacks, a regular expression's error.
    pub subject: Option<String>,
}

impl CommandFailure {
    /// A request the shell itself found unusable (e.g. a dialog's answer), in `message`'s words.
    pub fn invalid(message: String) -> Self {
        CommandFailure { kind: ErrorKind::Invalid, message, hint: None, subject: None }
    }
}

impl CommandError {
    /// Whether the file could not be written where asked (a folder missing or not writable),
    /// so the person should choose another place rather than other options.
    pub fn unwritable_destination(&self) -> bool {
        use std::io::ErrorKind as Io;
        matches!(self, CommandError::Export(ExportError::Io(io)) if matches!(
            io.kind(),
            Io::NotFound | Io::PermissionDenied | Io::NotADirectory | Io::ReadOnlyFilesystem
        ))
    }

    pub fn kind(&self) -> ErrorKind {
        match self {
            CommandError::UnknownCommand(_) => ErrorKind::UnknownCommand,
            CommandError::BadRequest { .. } => ErrorKind::BadRequest,
            CommandError::Request(e) => e.kind(),
            CommandError::Store(e) | CommandError::Link(LinkError::Store(e)) => store_kind(e),
            CommandError::SettingsIo { .. } => ErrorKind::Storage,
            CommandError::OAuth(e) | CommandError::Link(LinkError::OAuth(e)) => oauth_kind(e),
            CommandError::Link(LinkError::Accounts(_) | LinkError::WrongUnion { .. } | LinkError::Unchecked { .. }) => {
                ErrorKind::Remote
            }
            CommandError::Link(LinkError::FetchedElsewhere { .. }) => ErrorKind::Invalid,
            CommandError::Household(e) | CommandError::Link(LinkError::Household(e)) => household_kind(e),
            CommandError::Link(LinkError::SecretRefused { .. }) => ErrorKind::ClientSecret,
            CommandError::Secrets(_) => ErrorKind::Keyring,
            CommandError::Profile(_) => ErrorKind::Config,
            CommandError::Export(e) if e.is_unwritable_choice() => ErrorKind::Invalid,
            CommandError::Export(_) => ErrorKind::Export,
            CommandError::DataFolder(e) => move_kind(e),
            CommandError::Books(e) => books_kind(e),
            CommandError::Share(e) => share_kind(e),
        }
    }

    /// The name, names or detail the failure is about, for the UI's text.
    fn subject(&self) -> Option<String> {
        use BooksError as B;
        use HouseholdError as H;
        if let CommandError::Household(e) | CommandError::Link(LinkError::Household(e)) = self {
            return match e {
                H::NameTooLong { name } | H::NameTaken { name } => Some(name.clone()),
                _ => None,
            };
        }
        let CommandError::Books(e) = self else { return None };
        match e {
            B::InvalidRegex { detail, .. } => Some(detail.clone()),
            B::CategoryNameSeparator { name } | B::DuplicateCategoryName { name } => Some(name.clone()),
            B::RulesFile { detail } => Some(detail.clone()),
            B::RulesFileUnknownCategories { names } => Some(names.join(", ")),
            B::RulesFileInvalidRule { number, source } => {
                Some(format!("#{number}: {}", source.explain(Language::En).summary()))
            }
            _ => None,
        }
    }

    /// What the person can do in the app next, where the message alone does not say it.
    fn hint(&self, lang: Language) -> Option<String> {
        Some(match self.kind() {
            ErrorKind::Network => t!(lang, "hint-network"),
            ErrorKind::ReauthRequired => t!(lang, "hint-reauth"),
            ErrorKind::Keyring => t!(lang, "hint-keyring"),
            ErrorKind::UnknownCommand | ErrorKind::BadRequest => t!(lang, "hint-builds"),
            _ => return None,
        })
    }

    /// Whether the export failed on a character Shift_JIS cannot hold, so the person may let
    /// Kura replace it.
    pub fn unmappable_character(&self) -> bool {
        matches!(self, CommandError::Export(ExportError::Unmappable { .. }))
    }

    /// The failure as it crosses to the UI: the kind it explains in the person's language, and
    /// the core's English message and hint for a report.
    pub fn to_failure(&self) -> CommandFailure {
        CommandFailure {
            kind: self.kind(),
            message: self.to_string(),
            hint: self.hint(Language::En),
            subject: self.subject(),
        }
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

fn books_kind(e: &BooksError) -> ErrorKind {
    use BooksError as B;
    match e {
        B::Store(e) => store_kind(e),
        B::InvalidRegex { .. } => ErrorKind::InvalidPattern,
        B::RuleMatchesEverything => ErrorKind::RuleTooBroad,
        B::RuleDoesNothing => ErrorKind::RuleDoesNothing,
        B::EmptyCategoryName | B::CategoryNameSeparator { .. } => ErrorKind::CategoryName,
        B::DuplicateCategoryName { .. } => ErrorKind::CategoryNameTaken,
        B::TooDeep { .. } | B::HasChildren { .. } | B::MoveIntoDeleted { .. } => ErrorKind::CategoryLevels,
        B::RulesFile { .. } | B::RulesFileInvalidRule { .. } => ErrorKind::RulesFile,
        B::RulesFileUnknownCategories { .. } => ErrorKind::RulesFileUnknown,
        B::UnknownCategory(_) | B::UnknownRule(_) | B::UnknownTransaction(_) | B::UnknownCategoryName(_) => {
            ErrorKind::NotFound
        }
        B::AmountsReversed { .. }
        | B::NegativeAmount(_)
        | B::AmbiguousCategoryName { .. }
        | B::BudgetNotSpending { .. }
        | B::BudgetAmount(_)
        | B::JournalAccountName { .. } => ErrorKind::Invalid,
    }
}

fn household_kind(e: &HouseholdError) -> ErrorKind {
    use HouseholdError as H;
    match e {
        H::Store(e) => store_kind(e),
        H::EmptyName | H::NameTooLong { .. } => ErrorKind::MemberName,
        H::NameTaken { .. } => ErrorKind::MemberNameTaken,
        H::UnknownMember(_) | H::UnknownMemberName { .. } | H::UnknownLink(_) => ErrorKind::NotFound,
        H::BadColour { .. } | H::LastMember { .. } | H::MoveToSelf { .. } | H::NoAccounts { .. } => ErrorKind::Invalid,
    }
}

fn share_kind(e: &ShareError) -> ErrorKind {
    use ShareError as S;
    match e {
        S::Store(e) => store_kind(e),
        S::Secrets(_) | S::SecretMissing => ErrorKind::Keyring,
        S::NotShared
        | S::AlreadyShared { .. }
        | S::FolderTaken { .. }
        | S::NoHousehold { .. }
        | S::BadHouseholdFile { .. }
        | S::BadCode
        | S::WrongCode { .. } => ErrorKind::Invalid,
        S::Io { .. } => ErrorKind::Storage,
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

impl Explain for CommandError {
    fn explain(&self, lang: Language) -> Explanation {
        use CommandError as C;
        match self {
            C::UnknownCommand(name) => explain!(lang, "command-unknown", name = name.as_str()),
            C::BadRequest { command, detail } => {
                explain!(lang, "command-bad-request", command = command.as_str()).detail(detail.as_str())
            }
            C::Request(e) => e.explain(lang),
            C::Store(e) => e.explain(lang),
            C::OAuth(e) => e.explain(lang),
            C::Link(e) => e.explain(lang),
            C::Secrets(e) => e.explain(lang),
            C::Profile(e) => e.explain(lang),
            C::Export(e) => e.explain(lang),
            C::DataFolder(e) => e.explain(lang),
            C::Books(e) => e.explain(lang),
            C::Household(e) => e.explain(lang),
            C::Share(e) => e.explain(lang),
            C::SettingsIo { path, source } => {
                explain!(lang, "command-settings-io", path = path.as_str()).detail(source.to_string())
            }
        }
    }
}

impl Serialize for CommandError {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.to_failure().serialize(serializer)
    }
}
