//! Everything that can go wrong talking to a union's Open API, with messages a user can act on.

use std::time::Duration;

use crate::i18n::{Explain, Explanation, Language};
use crate::{explain, t};

/// Why an access token could not be obtained; produced by a [`super::TokenSource`]. `detail`
/// holds the other side's words (the union's error, the keyring's), shown inside the message.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{}", self.explain(Language::En).summary())]
pub enum TokenError {
    /// The consent can no longer be refreshed (expired, revoked, `invalid_grant`): only a new
    /// link helps. Stored data is untouched.
    ReauthRequired { detail: String },
    /// The union issued no refresh token and the access token has expired: only a new login
    /// helps, every time.
    NoRefreshToken,
    /// The token could not be read or refreshed for a reason that may pass (network, keyring).
    Unavailable { detail: String },
    /// The union refused this app's client credentials, or a confidential client's secret is
    /// missing: re-authenticating with the right secret helps, the consent is fine.
    ClientCredentials { detail: String },
    /// The authorization server could not be reached to renew the token (offline, union down):
    /// a network failure like an API call's, not a problem with the consent.
    Unreachable { detail: String },
}

impl Explain for TokenError {
    fn explain(&self, lang: Language) -> Explanation {
        match self {
            TokenError::ReauthRequired { detail } => explain!(lang, "token-reauth", detail = detail.as_str()),
            TokenError::NoRefreshToken => explain!(lang, "oauth-no-refresh-token"),
            TokenError::Unavailable { detail } => explain!(lang, "token-unavailable", detail = detail.as_str()),
            TokenError::ClientCredentials { detail } => explain!(lang, "token-client", detail = detail.as_str()),
            TokenError::Unreachable { detail } => explain!(lang, "token-unreachable").detail(detail.as_str()),
        }
    }
}

#[derive(Debug, thiserror::Error)]
#[error("{}", self.explain(Language::En).summary())]
pub enum ApiError {
    InsecureUrl {
        url: String,
    },
    InvalidUrl {
        url: String,
        detail: String,
    },
    Tls {
        detail: String,
    },
    Network {
        url: String,
        detail: String,
    },
    Timeout {
        url: String,
    },
    Http {
        url: String,
        status: u16,
        error_code: Option<String>,
        message: Option<String>,
        retry_after: Option<Duration>,
        body: String,
    },
    RateLimited {
        url: String,
        retry_after: Option<Duration>,
        body: String,
    },
    Maintenance {
        url: String,
        retry_after: Option<Duration>,
        message: Option<String>,
        body: String,
    },
    /// The access token was refused even after a refresh.
    Unauthorized {
        url: String,
        error_code: Option<String>,
        body: String,
    },
    #[error(transparent)]
    Token(#[from] TokenError),
    IncompatibleVersion {
        url: String,
        found: Option<String>,
    },
    Malformed {
        url: String,
        field: String,
        detail: String,
        body: String,
    },
    TooLarge {
        url: String,
        limit: u64,
    },
    Paging {
        url: String,
        detail: String,
    },
}

impl Explain for ApiError {
    fn explain(&self, lang: Language) -> Explanation {
        use ApiError as E;
        let wait = |retry_after: &Option<Duration>| match retry_after {
            Some(d) => t!(lang, "api-retry-after", seconds = d.as_secs()),
            None => String::new(),
        };
        match self {
            E::InsecureUrl { url } => explain!(lang, "api-insecure-url", url = url.as_str()),
            E::InvalidUrl { url, detail } => {
                explain!(lang, "api-invalid-url", url = url.as_str(), detail = detail.as_str())
            }
            E::Tls { detail } => explain!(lang, "api-tls").detail(detail.as_str()),
            E::Network { url, detail } => explain!(lang, "api-network", url = url.as_str()).detail(detail.as_str()),
            E::Timeout { url } => explain!(lang, "api-timeout", url = url.as_str()),
            E::Http { url, status, error_code, message, .. } => explain!(
                lang,
                "api-http",
                url = url.as_str(),
                status = status.to_string(),
                code = error_code.as_deref().map(|c| format!(" {c}")).unwrap_or_default(),
                message = message.clone().unwrap_or_else(|| t!(lang, "api-no-message")),
            ),
            E::RateLimited { retry_after, .. } => explain!(lang, "api-rate-limited", wait = wait(retry_after)),
            E::Maintenance { retry_after, message, .. } => explain!(
                lang,
                "api-maintenance",
                wait = wait(retry_after),
                message = message.as_deref().map(|m| format!(": {m}")).unwrap_or_default(),
            ),
            E::Unauthorized { error_code, .. } => {
                explain!(lang, "api-unauthorized", code = error_code.as_deref().unwrap_or("HTTP 401"))
            }
            E::Token(e) => e.explain(lang),
            E::IncompatibleVersion { url, found } => explain!(
                lang,
                "api-incompatible-version",
                url = url.as_str(),
                found = found.clone().unwrap_or_else(|| t!(lang, "api-no-version")),
            ),
            E::Malformed { url, field, detail, .. } => {
                explain!(lang, "api-malformed", url = url.as_str(), field = field.as_str(), detail = detail.as_str())
            }
            E::TooLarge { url, limit } => {
                explain!(lang, "api-too-large", url = url.as_str(), limit = limit.to_string())
            }
            E::Paging { url, detail } => explain!(lang, "api-paging", url = url.as_str(), detail = detail.as_str()),
        }
    }
}

impl ApiError {
    /// A stable machine name of the error kind, for the sync-run log.
    pub fn kind(&self) -> &'static str {
        match self {
            ApiError::InsecureUrl { .. } => "insecure_url",
            ApiError::InvalidUrl { .. } => "invalid_url",
            ApiError::Tls { .. } => "tls",
            ApiError::Network { .. } => "network",
            ApiError::Timeout { .. } => "timeout",
            ApiError::Http { .. } => "http",
            ApiError::RateLimited { .. } => "rate_limited",
            ApiError::Maintenance { .. } => "maintenance",
            ApiError::Unauthorized { .. } => "unauthorized",
            ApiError::Token(TokenError::ReauthRequired { .. } | TokenError::NoRefreshToken) => "reauth_required",
            ApiError::Token(TokenError::Unavailable { .. }) => "token_unavailable",
            ApiError::Token(TokenError::ClientCredentials { .. }) => "client_credentials",
            ApiError::Token(TokenError::Unreachable { .. }) => "network",
            ApiError::IncompatibleVersion { .. } => "incompatible_version",
            ApiError::Malformed { .. } => "malformed",
            ApiError::TooLarge { .. } => "too_large",
            ApiError::Paging { .. } => "paging",
        }
    }

    /// The HTTP status of the failed response, when there was one.
    pub fn http_status(&self) -> Option<u16> {
        match self {
            ApiError::Http { status, .. } => Some(*status),
            ApiError::RateLimited { .. } => Some(429),
            ApiError::Maintenance { .. } => Some(503),
            ApiError::Unauthorized { .. } => Some(401),
            _ => None,
        }
    }

    /// The raw body of the failed response, kept so a problem can be reported without another sync.
    pub fn raw_body(&self) -> Option<&str> {
        match self {
            ApiError::Http { body, .. }
            | ApiError::RateLimited { body, .. }
            | ApiError::Maintenance { body, .. }
            | ApiError::Unauthorized { body, .. }
            | ApiError::Malformed { body, .. } => Some(body),
            _ => None,
        }
    }

    /// How long the server asked us to wait before trying again.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            ApiError::RateLimited { retry_after, .. }
            | ApiError::Maintenance { retry_after, .. }
            | ApiError::Http { retry_after, .. } => *retry_after,
            _ => None,
        }
    }

    /// Whether the failure passes on its own (offline, the union busy, down or in maintenance),
    /// so the same request later can succeed.
    pub fn is_transient(&self) -> bool {
        match self {
            ApiError::Network { .. }
            | ApiError::Timeout { .. }
            | ApiError::RateLimited { .. }
            | ApiError::Maintenance { .. }
            | ApiError::Token(TokenError::Unreachable { .. }) => true,
            ApiError::Http { status, .. } => *status >= 500,
            _ => false,
        }
    }

    /// Whether only linking the account again can fix this.
    pub fn needs_relink(&self) -> bool {
        matches!(
            self,
            ApiError::Token(TokenError::ReauthRequired { .. } | TokenError::NoRefreshToken)
                | ApiError::Unauthorized { .. }
        )
    }
}
