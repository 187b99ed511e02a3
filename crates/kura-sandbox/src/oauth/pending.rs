//! Authorization requests between the first page and the redirect back to the client. Each is
//! bound to the browser that opened it by a cookie, so another site cannot submit the login or
//! consent form of a request it did not start (CSRF).

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};

use super::scopes::Scope;
use super::secrets::{Digest, digest, new_secret};

/// Time a user has to sign in and consent.
const PENDING_TTL: Duration = Duration::minutes(10);
/// After this many wrong passwords the request ends with `access_denied`.
pub const MAX_FAILED_SIGN_INS: u32 = 5;

/// A validated authorization request (RFC 6749 §4.1.1 with PKCE and the union's code).
#[derive(Debug, Clone)]
pub struct AuthorizationRequest {
    pub client_id: &'static str,
    pub client_name: &'static str,
    pub redirect_uri: String,
    pub scopes: Vec<Scope>,
    pub state: Option<String>,
    pub code_challenge: Option<String>,
    /// The union named by the client; `None` makes the login page ask for it.
    pub bank_code: Option<String>,
}

#[derive(Debug, Clone)]
pub struct SignedIn {
    pub username: String,
    pub bank_code: String,
}

pub struct Pending {
    pub request: AuthorizationRequest,
    browser: Digest,
    created_at: DateTime<Utc>,
    pub signed_in: Option<SignedIn>,
    /// The browser's login session (its cookie value), in the `sessionGrants` mode.
    pub session: Option<String>,
    pub failed_sign_ins: u32,
}

/// Why a form submission does not belong to a live request of this browser.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PendingError {
    /// Unknown, finished or older than [`PENDING_TTL`].
    Gone,
    /// The browser's cookie is missing or belongs to another request.
    OtherBrowser,
}

/// A new request's id (sent in the page) and browser secret (sent as a cookie).
pub struct Started {
    pub id: String,
    pub browser_secret: String,
}

#[derive(Default)]
pub struct PendingStore(HashMap<String, Pending>);

impl PendingStore {
    pub fn start(&mut self, request: AuthorizationRequest, now: DateTime<Utc>) -> Started {
        self.0.retain(|_, p| now < p.created_at + PENDING_TTL);
        let (id, browser_secret) = (new_secret(), new_secret());
        let pending = Pending {
            request,
            browser: digest(&browser_secret),
            created_at: now,
            signed_in: None,
            session: None,
            failed_sign_ins: 0,
        };
        self.0.insert(id.clone(), pending);
        Started { id, browser_secret }
    }

    pub fn get_mut(
        &mut self,
        id: &str,
        browser_secret: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<&mut Pending, PendingError> {
        let pending = self.0.get_mut(id).filter(|p| now < p.created_at + PENDING_TTL).ok_or(PendingError::Gone)?;
        if browser_secret.map(digest) != Some(pending.browser) {
            return Err(PendingError::OtherBrowser);
        }
        Ok(pending)
    }

    pub fn finish(&mut self, id: &str) -> Option<Pending> {
        self.0.remove(id)
    }
}

/// The cookie that binds request `id` to its browser; one per request, so two sign-ins in
/// two tabs (or two sandboxes on one host) do not overwrite each other.
pub fn cookie_name(id: &str) -> String {
    format!("kura_authz_{id}")
}
