//! How a sandbox is started: address, seed, simulated date, token lifetimes, TLS, data size,
//! authorization server modes.

use std::net::SocketAddr;
use std::path::PathBuf;

use chrono::{Duration, NaiveDate};

use serde::{Deserialize, Serialize};

use crate::faults::Faults;

#[derive(Debug, Clone)]
pub struct SandboxConfig {
    /// Where to listen. Plain HTTP is refused on anything but loopback.
    pub addr: SocketAddr,
    /// Seed of the deterministic demo data.
    pub seed: u64,
    /// Simulated JST date to start on; `None` means the real date.
    pub today: Option<NaiveDate>,
    pub access_token_ttl: Duration,
    pub refresh_token_ttl: Duration,
    pub consent_ttl: Duration,
    /// Serve HTTPS with a certificate generated at start; its CA certificate is written here.
    pub tls_ca_out: Option<PathBuf>,
    /// Large-data mode: a `bench`/`bench` user with one account holding this many transactions
    /// inside the 90-day window.
    pub large_transactions: Option<u64>,
    /// Faults switched on from the start (the admin API changes them later).
    pub faults: Faults,
    /// How the authorization server departs from the federation's default, within the RFCs.
    pub oauth: OAuthModes,
}

impl Default for SandboxConfig {
    fn default() -> Self {
        Self {
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            seed: 2011,
            today: None,
            access_token_ttl: Duration::hours(1),
            refresh_token_ttl: Duration::days(30),
            consent_ttl: Duration::days(90),
            tls_ca_out: None,
            large_transactions: None,
            faults: Faults::default(),
            oauth: OAuthModes::default(),
        }
    }
}

/// Ways a standards-conforming authorization server may differ from the federation's default,
/// switched on at start so that a test pins how Kura copes with each (`kura sandbox --help`,
/// "Authorization server" flags).

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct OAuthModes {
    /// A browser that signed in keeps a session at the union (a cookie). A new authorization
    /// from that browser skips the login page and is issued under the grant the session already
    /// holds for the client; as RFC 7009 §2.1 allows, revoking any refresh token of a grant ends
    /// the whole grant, tokens issued after it included.
    pub session_grants: bool,
    /// The issuer has this path (e.g. `/fed/2011`), and its metadata is served only where many
    /// servers put it: `{issuer}/.well-known/openid-configuration` (RFC 8414 §5) and
    /// `{issuer}/.well-known/oauth-authorization-server`, not at RFC 8414 §3.1's location.
    pub issuer_path: Option<String>,
    /// Token responses carry no refresh token: a new login is needed whenever the access token
    /// expires.
    pub no_refresh_token: bool,
    /// RFC 9207: the metadata advertises `authorization_response_iss_parameter_supported` and
    /// every authorization response carries `iss`.
    pub iss_parameter: bool,
    /// Token responses carry only RFC 6749's fields, without the federation's
    /// `consent_expires_at` and `bank_code`; the consent expiry is published only through token
    /// introspection (RFC 7662).
    pub plain_token_response: bool,
}

impl OAuthModes {
    /// The issuer path without a trailing slash, `""` for the plain issuer.
    pub fn issuer_path(&self) -> &str {
        self.issuer_path.as_deref().map(|p| p.trim_end_matches('/')).unwrap_or_default()
    }
}
