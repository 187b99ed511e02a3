//! Linking a union the way RFC 8252 tells native apps to: the authorization-code flow with PKCE
//! in the system browser, the redirect caught on 127.0.0.1, and the token lifecycle behind every
//! sync.

pub mod browser;
pub mod client;
mod client_auth;
pub mod consent;
pub mod discovery;
pub mod error;
pub mod flow;
mod http;
pub mod lifecycle;
pub mod linking;
pub mod loopback;

pub use browser::{Browser, Opener};
pub use client::{IssuerCheck, OAuthClient, TokenGrant};
pub use error::OAuthError;
pub use flow::{AuthorizationAttempt, DEFAULT_TIMEOUT};
pub use lifecycle::LinkTokens;
pub use linking::{
    CachedData, KeptSecret, LinkError, Linked, Unlinked, link, link_with_client_secret, tokens_for, unlink,
};
