//! Login sessions of the `sessionGrants` mode: a browser that signed in at the union stays
//! signed in, and each client's authorizations from it share one grant, as many real servers
//! tie tokens to the user's session.

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};

use super::secrets::{Digest, digest, new_secret};
use super::tokens::GrantId;

/// How long a browser stays signed in.
const SESSION_TTL: Duration = Duration::hours(12);
/// The session cookie; sent to every authorization page.
pub const COOKIE: &str = "kura_session";

#[derive(Debug, Clone)]
pub struct Session {
    pub username: String,
    pub bank_code: String,
    /// The grant each client's authorizations from this session are issued under.
    pub grants: HashMap<&'static str, GrantId>,
    expires_at: DateTime<Utc>,
}

#[derive(Default)]
pub struct SessionStore(HashMap<Digest, Session>);

impl SessionStore {
    /// Signs a browser in; returns the cookie value.
    pub fn start(&mut self, username: &str, bank_code: &str, now: DateTime<Utc>) -> String {
        self.0.retain(|_, s| now < s.expires_at);
        let secret = new_secret();
        let session = Session {
            username: username.to_owned(),
            bank_code: bank_code.to_owned(),
            grants: HashMap::new(),
            expires_at: now + SESSION_TTL,
        };
        self.0.insert(digest(&secret), session);
        secret
    }

    /// The live session of the cookie value `secret`.
    pub fn get_mut(&mut self, secret: &str, now: DateTime<Utc>) -> Option<&mut Session> {
        self.0.get_mut(&digest(secret)).filter(|s| now < s.expires_at)
    }
}
