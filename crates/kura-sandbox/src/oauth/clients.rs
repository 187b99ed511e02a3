//! The registered clients, their redirect URIs and client authentication at the token and
//! revocation endpoints.

use std::net::{Ipv4Addr, Ipv6Addr};

use axum::http::{HeaderMap, header};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use url::{Host, Url};

use super::errors::OAuthError;
use super::params::Params;
use super::secrets::{Digest, digest};

/// Kura itself: a public native client that catches the redirect on a loopback port.
pub const KURA_DESKTOP: &str = "kura-desktop";
/// A confidential client for tests of `client_secret_basic`.
pub const TEST_CONFIDENTIAL: &str = "kura-test-confidential";
const TEST_CONFIDENTIAL_SECRET: &str = "kura-test-secret";
/// Kura as a contracted intermediary (電子決済等代行業者) deploys it: a confidential client whose
/// secret the intermediary hands to its users' installations, registered like the desktop client
/// for loopback redirects on any port. A profile in `profiles.toml` names it (see README).
pub const INTERMEDIARY_NATIVE: &str = "kura-intermediary-native";
/// Its secret. Public on purpose: this is the sandbox, and `kura sandbox` prints it.
pub const INTERMEDIARY_NATIVE_SECRET: &str = "kura-sandbox-intermediary-secret";

/// The same kind of client with an id and a secret full of characters that HTTP Basic
/// authentication must form-encode first (RFC 6749 §2.3.1): `:` separates id and secret, `+`
/// decodes as a space, `%` starts an escape.
pub const INTERMEDIARY_RESERVED: &str = "kura:intermediary+reserved";
/// Its secret (public, like the other sandbox secret).
pub const INTERMEDIARY_RESERVED_SECRET: &str = "k+ra/sand%25box:secret=&? ü";

pub struct Client {
    pub id: &'static str,
    /// Shown on the login and consent pages.
    pub name: &'static str,
    /// `None` for a public client, which cannot keep a secret and must use PKCE.
    secret: Option<Digest>,
    /// A native app on the user's machine (RFC 8252): loopback redirects on any port.
    native: bool,
    redirect_uris: &'static [&'static str],
}

impl Client {
    pub fn is_public(&self) -> bool {
        self.secret.is_none()
    }

    /// Whether the authorization server may send the browser to `candidate`. Exact string match,
    /// except that a native client's loopback IP literal may carry any port (RFC 8252 §7.3).
    /// `localhost` is never accepted: it can resolve elsewhere (RFC 8252 §8.3).
    pub fn accepts_redirect(&self, candidate: &str) -> bool {
        if self.redirect_uris.contains(&candidate) {
            return true;
        }
        if !self.native {
            return false;
        }
        let Ok(mut url) = Url::parse(candidate) else { return false };
        // Only the canonical spelling, so the URI we redirect to is exactly the one we checked.
        if url.as_str() != candidate || url.fragment().is_some() {
            return false;
        }
        let loopback = match url.host() {
            Some(Host::Ipv4(ip)) => ip == Ipv4Addr::LOCALHOST,
            Some(Host::Ipv6(ip)) => ip == Ipv6Addr::LOCALHOST,
            _ => false,
        };
        loopback && url.set_port(None).is_ok() && self.redirect_uris.contains(&url.as_str())
    }
}

/// Every client the sandbox knows.
pub struct Clients(Vec<Client>);

impl Clients {
    pub fn registered() -> Self {
        Clients(vec![
            Client {
                id: KURA_DESKTOP,
                name: "Kura",
                secret: None,
                native: true,
                redirect_uris: &["http://127.0.0.1/callback", "http://[::1]/callback"],
            },
            Client {
                id: TEST_CONFIDENTIAL,
                name: "Kura テストクライアント (test client)",
                secret: Some(digest(TEST_CONFIDENTIAL_SECRET)),
                native: false,
                redirect_uris: &["https://client.example.test/callback"],
            },
            Client {
                id: INTERMEDIARY_NATIVE,
                name: "Kura (電子決済等代行業者 / intermediary)",
                secret: Some(digest(INTERMEDIARY_NATIVE_SECRET)),
                native: true,
                redirect_uris: &["http://127.0.0.1/callback", "http://[::1]/callback"],
            },
            Client {
                id: INTERMEDIARY_RESERVED,
                name: "Kura (電子決済等代行業者 / intermediary)",
                secret: Some(digest(INTERMEDIARY_RESERVED_SECRET)),
                native: true,
                redirect_uris: &["http://127.0.0.1/callback", "http://[::1]/callback"],
            },
        ])
    }

    pub fn find(&self, id: &str) -> Option<&Client> {
        self.0.iter().find(|c| c.id == id)
    }

    /// Authenticates the client of a token or revocation request: a confidential client with
    /// HTTP Basic (`client_secret_basic`), a public client by its `client_id` parameter alone.
    pub fn authenticate(&self, headers: &HeaderMap, params: &Params) -> Result<&Client, OAuthError> {
        if let Some(authorization) = headers.get(header::AUTHORIZATION) {
            let (id, secret) = basic_credentials(authorization.as_bytes()).ok_or_else(|| {
                OAuthError::invalid_client("malformed Authorization header: expected HTTP Basic client credentials")
            })?;
            let client = self
                .find(&id)
                .filter(|c| c.secret.is_some_and(|s| s == digest(&secret)))
                .ok_or_else(|| OAuthError::invalid_client("unknown client or wrong client secret"))?;
            if params.get("client_id").is_some_and(|param| param != client.id) {
                return Err(OAuthError::invalid_request("client_id does not match the authenticated client"));
            }
            if params.get("client_secret").is_some() {
                return Err(OAuthError::invalid_request("use exactly one client authentication method"));
            }
            return Ok(client);
        }
        if params.get("client_secret").is_some() {
            return Err(OAuthError::invalid_client(
                "client_secret_post is not supported: send the client credentials with HTTP Basic",
            ));
        }
        let id = params
            .get("client_id")
            .ok_or_else(|| OAuthError::invalid_client("client authentication required: send client_id"))?;
        let client = self.find(id).ok_or_else(|| OAuthError::invalid_client(format!("unknown client {id:?}")))?;
        if !client.is_public() {
            return Err(OAuthError::invalid_client("this client must authenticate with HTTP Basic"));
        }
        Ok(client)
    }
}

/// `Basic base64(urlencode(id):urlencode(secret))` (RFC 6749 §2.3.1).
fn basic_credentials(value: &[u8]) -> Option<(String, String)> {
    let value = std::str::from_utf8(value).ok()?;
    let (scheme, encoded) = value.split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = String::from_utf8(STANDARD.decode(encoded.trim()).ok()?).ok()?;
    let (id, secret) = decoded.split_once(':')?;
    Some((form_decode(id)?, form_decode(secret)?))
}

fn form_decode(value: &str) -> Option<String> {
    let spaced = value.replace('+', " ");
    percent_encoding::percent_decode_str(&spaced).decode_utf8().ok().map(|s| s.into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn desktop() -> Client {
        Clients::registered().0.remove(0)
    }

    #[test]
    fn native_loopback_any_port_same_path() {
        let c = desktop();
        assert!(c.accepts_redirect("http://127.0.0.1:49152/callback"));
        assert!(c.accepts_redirect("http://[::1]:8080/callback"));
        assert!(c.accepts_redirect("http://127.0.0.1/callback"));
        assert!(!c.accepts_redirect("http://localhost:49152/callback"));
        assert!(!c.accepts_redirect("http://127.0.0.1:49152/other"));
        assert!(!c.accepts_redirect("http://127.0.0.1:49152/callback?x=1"));
        assert!(!c.accepts_redirect("http://127.0.0.1:49152/callback#f"));
        assert!(!c.accepts_redirect("https://127.0.0.1:49152/callback"));
        assert!(!c.accepts_redirect("http://127.0.0.2:49152/callback"));
        assert!(!c.accepts_redirect("http://user@127.0.0.1:49152/callback"));
        assert!(!c.accepts_redirect("http://127.0.0.1:49152/./callback"));
    }

    #[test]
    fn others_match_exactly() {
        let clients = Clients::registered();
        let c = clients.find(TEST_CONFIDENTIAL).unwrap();
        assert!(c.accepts_redirect("https://client.example.test/callback"));
        assert!(!c.accepts_redirect("https://client.example.test:8443/callback"));
        assert!(!c.accepts_redirect("https://client.example.test/callback/"));
    }

    #[test]
    fn the_intermediary_client_is_confidential_and_native() {
        let clients = Clients::registered();
        let c = clients.find(INTERMEDIARY_NATIVE).unwrap();
        assert!(!c.is_public());
        assert!(c.accepts_redirect("http://127.0.0.1:49152/callback"));
        assert!(c.accepts_redirect("http://[::1]:8080/callback"));
        assert!(!c.accepts_redirect("http://localhost:49152/callback"));
        assert!(!c.accepts_redirect("https://client.example.test/callback"));
    }

    #[test]
    fn the_reserved_client_authenticates_only_with_form_encoded_credentials() {
        let clients = Clients::registered();
        let basic = |id: &str, secret: &str| {
            let mut headers = HeaderMap::new();
            let value = format!("Basic {}", STANDARD.encode(format!("{id}:{secret}")));
            headers.insert(header::AUTHORIZATION, value.parse().unwrap());
            headers
        };
        let encode = |s: &str| url::form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>();
        let none = Params::parse(b"");
        let encoded = basic(&encode(INTERMEDIARY_RESERVED), &encode(INTERMEDIARY_RESERVED_SECRET));
        assert_eq!(clients.authenticate(&encoded, &none).map(|c| c.id).ok(), Some(INTERMEDIARY_RESERVED));
        let raw = basic(INTERMEDIARY_RESERVED, INTERMEDIARY_RESERVED_SECRET);
        assert_eq!(clients.authenticate(&raw, &none).map(|c| c.id).err().map(|e| e.code), Some("invalid_client"));
    }

    #[test]
    fn basic_credentials_are_form_decoded() {
        let header = format!("Basic {}", STANDARD.encode("a%3Ab:s+c%25"));
        assert_eq!(basic_credentials(header.as_bytes()), Some(("a:b".into(), "s c%".into())));
        assert_eq!(basic_credentials(b"Bearer abc"), None);
    }
}
