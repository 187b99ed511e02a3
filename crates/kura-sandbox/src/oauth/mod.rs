//! The authorization server: clients, the login and consent pages, codes, tokens, revocation
//! and RFC 8414 metadata. (Skeleton: the OAuth work fills this in.)

use crate::config::SandboxConfig;

/// What a valid access token grants.
#[derive(Debug, Clone)]
pub struct Grant {
    pub username: String,
    pub bank_code: String,
    /// The accounts the user chose to share on the consent page.
    pub account_ids: Vec<String>,
    pub scopes: Vec<String>,
}

/// Why a bearer token was refused; maps to 401 INVALID_TOKEN / TOKEN_EXPIRED.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenRejection {
    Invalid,
    Expired,
}

pub struct OAuthServer {}

impl OAuthServer {
    pub fn new(_config: &SandboxConfig) -> Self {
        OAuthServer {}
    }

    /// Checks a bearer access token at time `now`.
    pub fn authenticate(
        &self,
        _token: &str,
        _now: chrono::DateTime<chrono::FixedOffset>,
    ) -> Result<Grant, TokenRejection> {
        Err(TokenRejection::Invalid)
    }
}

/// The authorization server's endpoints.
pub fn routes() -> axum::Router<crate::state::AppState> {
    axum::Router::new()
}
