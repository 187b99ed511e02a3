//! OAuth the way RFC 8252 tells native apps to: the authorization-code flow with PKCE in the
//! system browser, the redirect caught on 127.0.0.1, discovery, client authentication, and the
//! token lifecycle behind every sync. The linking workflow built on it is `app::linking`.

pub mod browser;
pub mod client;
mod client_auth;
pub mod discovery;
pub mod error;
pub mod flow;
mod http;
pub mod lifecycle;
pub mod loopback;

pub use browser::{Browser, Opener};
pub use client::{IssuerCheck, OAuthClient, TokenGrant};
pub use error::OAuthError;
pub use flow::{AuthorizationAttempt, DEFAULT_TIMEOUT};
pub use lifecycle::{LinkTokens, tokens_for};
