//! RFC 8414 authorization server metadata: where a profile with only an `issuer` finds its
//! endpoints.

use serde::Deserialize;
use url::Url;

use super::error::OAuthError;
use super::http::Http;
use crate::profile::{AuthServer, Endpoints, require_secure};

#[derive(Debug, Deserialize)]
struct Metadata {
    issuer: String,
    authorization_endpoint: String,
    token_endpoint: String,
    revocation_endpoint: Option<String>,
    #[serde(default)]
    code_challenge_methods_supported: Vec<String>,
}

/// The endpoints of `server`: given, or fetched from its metadata.
pub(crate) async fn endpoints(http: &Http, server: &AuthServer) -> Result<Endpoints, OAuthError> {
    match server {
        AuthServer::Explicit(endpoints) => Ok(endpoints.clone()),
        AuthServer::Discover { issuer } => discover(http, issuer).await,
    }
}

/// The well-known metadata URL of `issuer` (RFC 8414 §3: inserted before any issuer path).
fn metadata_url(issuer: &Url) -> Url {
    let mut url = issuer.clone();
    let path = issuer.path().trim_end_matches('/');
    url.set_path(&format!("/.well-known/oauth-authorization-server{path}"));
    url.set_query(None);
    url
}

async fn discover(http: &Http, issuer: &Url) -> Result<Endpoints, OAuthError> {
    let url = metadata_url(issuer);
    let bad = |detail: String| OAuthError::Discovery { url: url.to_string(), detail };
    let response = http.0.get(url.clone()).send().await.map_err(|e| OAuthError::Network(e.to_string()))?;
    if !response.status().is_success() {
        return Err(bad(format!("HTTP {}", response.status())));
    }
    let meta: Metadata = response.json().await.map_err(|e| bad(format!("not RFC 8414 metadata: {e}")))?;
    // RFC 8414 §3.3: metadata for another issuer must not be used.
    if meta.issuer.trim_end_matches('/') != issuer.as_str().trim_end_matches('/') {
        return Err(bad(format!("it names issuer {} instead of {issuer}", meta.issuer)));
    }
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
    Ok(Endpoints {
        authorization: endpoint("authorization_endpoint", &meta.authorization_endpoint)?,
        token: endpoint("token_endpoint", &meta.token_endpoint)?,
        revocation: meta.revocation_endpoint.as_deref().map(|r| endpoint("revocation_endpoint", r)).transpose()?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metadata_lives_under_well_known_before_the_issuer_path() {
        let u = |s| metadata_url(&Url::parse(s).unwrap()).to_string();
        assert_eq!(u("http://127.0.0.1:7878"), "http://127.0.0.1:7878/.well-known/oauth-authorization-server");
        assert_eq!(
            u("https://auth.example.jp/tenant1"),
            "https://auth.example.jp/.well-known/oauth-authorization-server/tenant1"
        );
    }
}
