//! Ways a standards-conforming authorization server may differ from the federation's default,
//! switched on at start so that a test pins how Kura copes with each (`kura sandbox --help`,
//! "Authorization server" flags).

use serde::{Deserialize, Serialize};

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
