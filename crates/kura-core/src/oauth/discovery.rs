//! Authorization server metadata: where a profile with only an `issuer` finds its endpoints,
//! and which optional behaviours the server announces.
//!
//! For an issuer `https://auth.example.jp/fed/2011` Kura asks, in this order, and takes the
//! first answer that is metadata naming exactly that issuer (RFC 8414 §3.3):
//! 1. `https://auth.example.jp/.well-known/oauth-authorization-server/fed/2011` (RFC 8414 §3.1:
//!    the well-known part inserted before the issuer's path);
//! 2. `https://auth.example.jp/fed/2011/.well-known/openid-configuration` (RFC 8414 §5, as
//!    OpenID Connect Discovery 1.0 places it: appended to the issuer);
//! 3. `https://auth.example.jp/fed/2011/.well-known/oauth-authorization-server` (appended too, as
//!    many servers serve it).
//!
//! For an issuer without a path the first and the third are the same URL, asked once.

use serde::Deserialize;
use url::Url;

use super::error::{DiscoveryAttempt, DiscoveryMiss, OAuthError};
use super::http::Http;
use crate::profile::{AuthServer, Endpoints, require_secure};

#[derive(Debug, Deserialize)]
struct Metadata {
    issuer: String,
    authorization_endpoint: String,
    token_endpoint: String,
    revocation_endpoint: Option<String>,
    introspection_endpoint: Option<String>,
    #[serde(default)]
    code_challenge_methods_supported: Vec<String>,
    #[serde(default)]
    authorization_response_iss_parameter_supported: bool,
}

/// What Kura knows of a profile's authorization server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerInfo {
    pub endpoints: Endpoints,
    /// The issuer identifier, when the profile names one.
    pub issuer: Option<String>,
    /// RFC 9207: the server puts `iss` in every authorization response, so one without it (or
    /// with another issuer) is refused.
    pub iss_parameter_supported: bool,
}

/// The endpoints of `server`: given, or found from its issuer.
pub(crate) async fn server_info(http: &Http, server: &AuthServer) -> Result<ServerInfo, OAuthError> {
    match server {
        AuthServer::Explicit(endpoints) => {
            Ok(ServerInfo { endpoints: (**endpoints).clone(), issuer: None, iss_parameter_supported: false })
        }
        AuthServer::Discover { issuer } => discover(http, issuer).await,
    }
}

/// The metadata locations of `issuer`, in the order they are tried (see the module's doc).
pub fn metadata_urls(issuer: &str) -> Result<Vec<Url>, url::ParseError> {
    let parsed = Url::parse(issuer)?;
    let path = parsed.path().trim_end_matches('/');
    let mut inserted = parsed.clone();
    inserted.set_path(&format!("/.well-known/oauth-authorization-server{path}"));
    let appended = |suffix: &str| Url::parse(&format!("{}{suffix}", issuer.trim_end_matches('/')));
    let mut urls: Vec<Url> = Vec::with_capacity(3);
    for url in
        [inserted, appended("/.well-known/openid-configuration")?, appended("/.well-known/oauth-authorization-server")?]
    {
        if !urls.contains(&url) {
            urls.push(url);
        }
    }
    Ok(urls)
}

async fn discover(http: &Http, issuer: &str) -> Result<ServerInfo, OAuthError> {
    let urls = metadata_urls(issuer).map_err(|e| OAuthError::Protocol(format!("issuer {issuer:?}: {e}")))?;
    let mut tried = Vec::with_capacity(urls.len());
    for url in urls {
        let response = match http.0.get(url.clone()).send().await {
            Ok(response) => response,
            // The server is unreachable: the other locations are on the same host.
            Err(e) => return Err(OAuthError::Network(e.to_string())),
        };
        let attempt = |miss| DiscoveryAttempt { url: url.to_string(), miss };
        if !response.status().is_success() {
            tried.push(attempt(DiscoveryMiss::Status(response.status().as_u16())));
            continue;
        }
        let meta: Metadata = match response.json().await {
            Ok(meta) => meta,
            Err(e) => {
                tried.push(attempt(DiscoveryMiss::NotMetadata(e.to_string())));
                continue;
            }
        };
        // RFC 8414 §3.3: metadata naming another issuer must not be used.
        if meta.issuer != issuer {
            tried.push(attempt(DiscoveryMiss::OtherIssuer(meta.issuer)));
            continue;
        }
        return server_info_from(&url, issuer, meta);
    }
    Err(OAuthError::Discovery { issuer: issuer.to_owned(), tried })
}

/// The endpoints and announced behaviours of metadata found at `url`.
fn server_info_from(url: &Url, issuer: &str, meta: Metadata) -> Result<ServerInfo, OAuthError> {
    let bad = |detail: String| OAuthError::UnusableMetadata { url: url.to_string(), detail };
    if !meta.code_challenge_methods_supported.is_empty()
        && !meta.code_challenge_methods_supported.iter().any(|m| m == "S256")
    {
        return Err(bad("the server does not offer PKCE with S256, which Kura requires".into()));
    }
    let endpoint = |what: &str, raw: &str| -> Result<Url, OAuthError> {
        let parsed = Url::parse(raw).map_err(|e| bad(format!("{what} {raw:?} is not a URL: {e}")))?;
        require_secure(&format!("{what} from {url}"), &parsed)?;
        Ok(parsed)
    };
    let optional = |what: &str, raw: &Option<String>| raw.as_deref().map(|r| endpoint(what, r)).transpose();
    Ok(ServerInfo {
        endpoints: Endpoints {
            authorization: endpoint("authorization_endpoint", &meta.authorization_endpoint)?,
            token: endpoint("token_endpoint", &meta.token_endpoint)?,
            revocation: optional("revocation_endpoint", &meta.revocation_endpoint)?,
            introspection: optional("introspection_endpoint", &meta.introspection_endpoint)?,
        },
        issuer: Some(issuer.to_owned()),
        iss_parameter_supported: meta.authorization_response_iss_parameter_supported,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn urls(issuer: &str) -> Vec<String> {
        metadata_urls(issuer).unwrap().into_iter().map(String::from).collect()
    }

    #[test]
    fn metadata_is_looked_for_inserted_then_appended() {
        assert_eq!(
            urls("http://127.0.0.1:7878"),
            [
                "http://127.0.0.1:7878/.well-known/oauth-authorization-server",
                "http://127.0.0.1:7878/.well-known/openid-configuration",
            ]
        );
        assert_eq!(
            urls("https://auth.example.jp/fed/2011"),
            [
                "https://auth.example.jp/.well-known/oauth-authorization-server/fed/2011",
                "https://auth.example.jp/fed/2011/.well-known/openid-configuration",
                "https://auth.example.jp/fed/2011/.well-known/oauth-authorization-server",
            ]
        );
    }
}
