//! Everything that can go wrong talking to a union's Open API, with messages a user can act on.

use std::time::Duration;

/// Why an access token could not be obtained; produced by a [`super::TokenSource`].
#[derive(Debug, Clone, thiserror::Error)]
pub enum TokenError {
    /// The consent can no longer be refreshed (expired, revoked, `invalid_grant`): only a new
    /// link helps. Stored data is untouched.
    #[error("the bank no longer accepts this link's consent ({detail}); link the account again")]
    ReauthRequired { detail: String },
    /// The token could not be read or refreshed for a reason that may pass (network, keyring).
    #[error("could not obtain an access token: {detail}")]
    Unavailable { detail: String },
    /// The union refused this app's client credentials, or a confidential client's secret is
    /// missing: re-authenticating with the right secret helps, the consent is fine.
    #[error("could not obtain an access token: {detail}")]
    ClientCredentials { detail: String },
    /// The authorization server could not be reached to renew the token (offline, union down):
    /// a network failure like an API call's, not a problem with the consent.
    #[error(
        "could not reach the union's authorization server to renew the access token: {detail} (check the network connection; Kura will retry on the next sync)"
    )]
    Unreachable { detail: String },
}

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error(
        "refusing the API address {url}: plain http:// is only allowed on loopback (127.0.0.1, ::1, localhost); use https://"
    )]
    InsecureUrl { url: String },

    #[error("the API address {url} is not usable: {detail}")]
    InvalidUrl { url: String, detail: String },

    #[error("cannot set up the HTTPS client: {detail}")]
    Tls { detail: String },

    #[error("could not reach {url}: {detail} (check the network connection; Kura will retry on the next sync)")]
    Network { url: String, detail: String },

    #[error("{url} did not answer in time (the bank may be slow; Kura will retry on the next sync)")]
    Timeout { url: String },

    #[error("{url} answered HTTP {status}{}: {}", code_suffix(error_code), message.as_deref().unwrap_or("no error message"))]
    Http {
        url: String,
        status: u16,
        error_code: Option<String>,
        message: Option<String>,
        retry_after: Option<Duration>,
        body: String,
    },

    #[error("the bank is limiting requests (HTTP 429){}; Kura will try again later", wait_suffix(*retry_after))]
    RateLimited { url: String, retry_after: Option<Duration>, body: String },

    #[error("the bank's API is under maintenance{}{}", wait_suffix(*retry_after), message.as_deref().map(|m| format!(": {m}")).unwrap_or_default())]
    Maintenance { url: String, retry_after: Option<Duration>, message: Option<String>, body: String },

    /// The access token was refused even after a refresh.
    #[error("the bank refused the access token ({}) even after refreshing it; link the account again", error_code.as_deref().unwrap_or("HTTP 401"))]
    Unauthorized { url: String, error_code: Option<String>, body: String },

    #[error(transparent)]
    Token(#[from] TokenError),

    #[error("{url} speaks API version {}, but Kura speaks only version 1.x; update Kura or check the profile's API address", found.as_deref().unwrap_or("(none: no X-API-Version header)"))]
    IncompatibleVersion { url: String, found: Option<String> },

    #[error("the bank sent an invalid response from {url}: {field}: {detail}")]
    Malformed { url: String, field: String, detail: String, body: String },

    #[error("the response from {url} is larger than {limit} bytes; refusing to read it")]
    TooLarge { url: String, limit: u64 },

    #[error("paging through {url} went wrong: {detail}; the bank's API is misbehaving, try again later")]
    Paging { url: String, detail: String },
}

fn code_suffix(code: &Option<String>) -> String {
    code.as_deref().map(|c| format!(" {c}")).unwrap_or_default()
}

fn wait_suffix(wait: Option<Duration>) -> String {
    wait.map(|d| format!(" (retry after {} s)", d.as_secs())).unwrap_or_default()
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
            ApiError::Token(TokenError::ReauthRequired { .. }) => "reauth_required",
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
        matches!(self, ApiError::Token(TokenError::ReauthRequired { .. }) | ApiError::Unauthorized { .. })
    }
}
