//! The authorization server: one for all 95 unions, as the federation runs it. Registered
//! clients, the login and consent pages, codes with PKCE, rotating refresh tokens, revocation
//! and RFC 8414 metadata. Everything is in memory and expires on the simulated clock.

mod authorize;
mod clients;
mod endpoints;
mod errors;
mod introspect;
mod pages;
mod params;
mod pending;
mod pkce;
mod scopes;
mod secrets;
mod sessions;
mod tokens;

use std::sync::{Mutex, MutexGuard, PoisonError};

use axum::Router;
use axum::routing::{get, post};
use chrono::{DateTime, Duration, FixedOffset, Utc};

pub use crate::config::OAuthModes;
pub use clients::{
    INTERMEDIARY_NATIVE, INTERMEDIARY_NATIVE_SECRET, INTERMEDIARY_RESERVED, INTERMEDIARY_RESERVED_SECRET, KURA_DESKTOP,
    TEST_CONFIDENTIAL,
};
pub use scopes::{Scope, UnknownScope};
pub use tokens::TokenResponse;

use crate::config::SandboxConfig;
use crate::state::AppState;
use clients::Clients;
use pending::PendingStore;
use sessions::SessionStore;
use tokens::{Consent, Issuance, TokenStore};

/// What a valid access token grants.
#[derive(Debug, Clone)]
pub struct Grant {
    pub username: String,
    pub bank_code: String,
    /// The accounts the user chose to share on the consent page.
    pub account_ids: Vec<String>,
    /// Scopes of this access token: `"balance"`, `"transactions"`.
    pub scopes: Vec<String>,
}

/// Why a bearer token was refused; maps to 401 INVALID_TOKEN / TOKEN_EXPIRED.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenRejection {
    /// Unknown or revoked.
    Invalid,
    Expired,
}

pub struct OAuthServer {
    clients: Clients,
    issuance: Issuance,
    consent_ttl: Duration,
    modes: OAuthModes,
    pending: Mutex<PendingStore>,
    tokens: Mutex<TokenStore>,
    sessions: Mutex<SessionStore>,
}

impl OAuthServer {
    pub fn new(config: &SandboxConfig) -> Self {
        OAuthServer {
            clients: Clients::registered(),
            issuance: Issuance {
                access: config.access_token_ttl,
                refresh: config.refresh_token_ttl,
                refresh_tokens: !config.oauth.no_refresh_token,
                federation_fields: !config.oauth.plain_token_response,
            },
            consent_ttl: config.consent_ttl,
            modes: config.oauth.clone(),
            pending: Mutex::default(),
            tokens: Mutex::default(),
            sessions: Mutex::default(),
        }
    }

    /// Checks a bearer access token at time `now`.
    pub fn authenticate(&self, token: &str, now: DateTime<FixedOffset>) -> Result<Grant, TokenRejection> {
        self.tokens().authenticate(token, now.with_timezone(&Utc))
    }

    /// Issues a grant as if `username` had consented to share `account_ids` at `bank_code` with
    /// `kura-desktop` at `now`, for the admin API and tests. `scope` is space-delimited.
    pub fn issue_direct(
        &self,
        username: &str,
        bank_code: &str,
        account_ids: Vec<String>,
        scope: &str,
        now: DateTime<FixedOffset>,
    ) -> Result<TokenResponse, UnknownScope> {
        let now = now.with_timezone(&Utc);
        let consent = Consent {
            username: username.to_owned(),
            bank_code: bank_code.to_owned(),
            account_ids,
            scopes: Scope::parse_list(scope)?,
            expires_at: now + self.consent_ttl,
        };
        Ok(self.tokens().issue_grant(KURA_DESKTOP, consent, now, self.issuance).1)
    }

    /// How many refresh-token grants the token endpoint has served.
    pub fn refreshes(&self) -> u64 {
        self.tokens().refreshes
    }

    /// How many grants of `username` still have a live token, for tests that check what a
    /// client revoked.
    pub fn live_grants_of(&self, username: &str, now: DateTime<FixedOffset>) -> usize {
        self.tokens().live_grants_of(username, now.with_timezone(&Utc))
    }

    /// Fault injection: every access token issued so far is reported expired; refresh works.
    pub fn expire_all_access_tokens(&self) {
        self.tokens().expire_all_access_tokens();
    }

    /// Fault injection: every grant is revoked, as if the user withdrew all consents.
    pub fn revoke_all(&self) {
        self.tokens().revoke_all();
    }

    // A handler that panics midway leaves at worst a token that was spent or issued but never
    // sent, which is harmless; refusing every later request over it would not be, so poisoning
    // is ignored.
    fn tokens(&self) -> MutexGuard<'_, TokenStore> {
        self.tokens.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn pending(&self) -> MutexGuard<'_, PendingStore> {
        self.pending.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn sessions(&self) -> MutexGuard<'_, SessionStore> {
        self.sessions.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// The authorization server's endpoints. Its metadata is at RFC 8414's well-known location, or
/// with an issuer path (`modes.issuer_path`) only at the two locations appended to the issuer.
pub fn routes(modes: &OAuthModes) -> Router<AppState> {
    let router = Router::new()
        .route("/oauth/authorize", get(authorize::start))
        .route("/oauth/authorize/login", post(authorize::sign_in))
        .route("/oauth/authorize/consent", post(authorize::decide))
        .route("/oauth/token", post(endpoints::token))
        .route("/oauth/revoke", post(endpoints::revoke))
        .route("/oauth/introspect", post(introspect::introspect));
    match modes.issuer_path() {
        "" => router.route("/.well-known/oauth-authorization-server", get(endpoints::metadata)),
        path => router
            .route(&format!("{path}/.well-known/openid-configuration"), get(endpoints::metadata))
            .route(&format!("{path}/.well-known/oauth-authorization-server"), get(endpoints::metadata)),
    }
}
