//! Why linking or a token refresh failed, in words a user can act on (the catalog's `oauth-*`
//! messages). No variant carries a token, a code or a client secret.

use std::time::Duration;

use crate::explain;
use crate::i18n::{Explain, Explanation, Language};
use crate::profile::ProfileError;
use crate::secrets::SecretsError;

#[derive(Debug, thiserror::Error)]
#[error("{}", self.explain(Language::En).summary())]
pub enum OAuthError {
    AccessDenied,
    Authorization {
        error: String,
        description: Option<String>,
    },
    StateMismatch,
    IssuerMismatch {
        expected: String,
        received: Option<String>,
    },
    MalformedCallback,
    TimedOut(Duration),
    Listen(std::io::Error),
    Browser {
        command: String,
        detail: String,
    },
    InvalidGrant(Option<String>),
    TokenEndpoint {
        error: String,
        description: Option<String>,
    },
    ClientRefused {
        profile: String,
        error: String,
        description: Option<String>,
        confidential: bool,
    },
    Network(String),
    Protocol(String),
    Discovery {
        issuer: String,
        tried: Vec<DiscoveryAttempt>,
    },
    UnusableMetadata {
        url: String,
        detail: String,
    },
    MissingClientSecret(String),
    NotConfidential(String),
    EmptyClientSecret,
    NoRefreshToken,
    #[error(transparent)]
    Profile(#[from] ProfileError),
    #[error(transparent)]
    Secrets(#[from] SecretsError),
}

/// One metadata location discovery tried, and why it did not serve.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiscoveryAttempt {
    pub url: String,
    pub miss: DiscoveryMiss,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DiscoveryMiss {
    /// The answer's HTTP status.
    Status(u16),
    /// Not authorization server metadata (the parser's words).
    NotMetadata(String),
    /// Metadata of another issuer (RFC 8414 §3.3).
    OtherIssuer(String),
}

impl Explain for OAuthError {
    fn explain(&self, lang: Language) -> Explanation {
        use OAuthError as E;
        match self {
            E::AccessDenied => explain!(lang, "oauth-access-denied"),
            E::Authorization { error, description } => {
                explain!(lang, "oauth-authorization", error = server_words(error, description))
            }
            E::StateMismatch => explain!(lang, "oauth-state-mismatch"),
            E::IssuerMismatch { expected, received } => match received {
                Some(received) => {
                    explain!(lang, "oauth-issuer-mismatch", expected = expected.as_str(), received = received.as_str())
                }
                None => explain!(lang, "oauth-issuer-missing", expected = expected.as_str()),
            },
            E::MalformedCallback => explain!(lang, "oauth-malformed-callback"),
            E::TimedOut(wait) => match wait.as_secs() {
                secs @ 60.. => explain!(lang, "oauth-timed-out-minutes", minutes = secs.div_ceil(60)),
                secs => explain!(lang, "oauth-timed-out-seconds", seconds = secs.max(1)),
            },
            E::Listen(e) => explain!(lang, "oauth-listen").detail(e.to_string()),
            E::Browser { command, detail } => {
                explain!(lang, "oauth-browser", command = command.as_str(), detail = detail.as_str())
            }
            E::InvalidGrant(description) => match description {
                Some(d) => explain!(lang, "oauth-invalid-grant", words = format!(": {d}")),
                None => explain!(lang, "oauth-invalid-grant", words = ""),
            },
            E::TokenEndpoint { error, description } => {
                explain!(lang, "oauth-token-endpoint", error = server_words(error, description))
            }
            E::ClientRefused { profile, error, description, confidential } => {
                let error = server_words(error, description);
                match confidential {
                    true => explain!(lang, "oauth-client-refused-secret", profile = profile.as_str(), error),
                    false => explain!(lang, "oauth-client-refused", profile = profile.as_str(), error),
                }
            }
            E::Network(detail) => explain!(lang, "oauth-network").detail(detail.as_str()),
            E::Protocol(detail) => explain!(lang, "oauth-protocol", detail = detail.as_str()),
            E::Discovery { issuer, tried } => {
                let tried = tried.iter().map(|t| t.describe(lang)).collect::<Vec<_>>().join(", ");
                explain!(lang, "oauth-discovery", issuer = issuer.as_str(), tried)
            }
            E::UnusableMetadata { url, detail } => {
                explain!(lang, "oauth-unusable-metadata", url = url.as_str(), detail = detail.as_str())
            }
            E::MissingClientSecret(profile) => explain!(lang, "oauth-missing-secret", profile = profile.as_str()),
            E::NotConfidential(profile) => explain!(lang, "oauth-not-confidential", profile = profile.as_str()),
            E::EmptyClientSecret => explain!(lang, "oauth-empty-secret"),
            E::NoRefreshToken => explain!(lang, "oauth-no-refresh-token"),
            E::Profile(e) => e.explain(lang),
            E::Secrets(e) => e.explain(lang),
        }
    }
}

impl DiscoveryAttempt {
    /// `URL (why it did not serve)`.
    fn describe(&self, lang: Language) -> String {
        let why = match &self.miss {
            DiscoveryMiss::Status(status) => format!("HTTP {status}"),
            DiscoveryMiss::NotMetadata(detail) => {
                crate::t!(lang, "oauth-discovery-not-metadata", detail = detail.as_str())
            }
            DiscoveryMiss::OtherIssuer(issuer) => {
                crate::t!(lang, "oauth-discovery-other-issuer", issuer = format!("{issuer:?}"))
            }
        };
        format!("{} ({why})", self.url)
    }
}

/// The server's error code with its description, as it sent them (`invalid_client: unknown client`).
fn server_words(error: &str, description: &Option<String>) -> String {
    match description {
        Some(d) => format!("{error}: {d}"),
        None => error.to_owned(),
    }
}
