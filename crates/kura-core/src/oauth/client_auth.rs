//! How Kura authenticates as a profile's client, the same way at every endpoint that asks
//! (token, revocation, introspection): a public client names itself with `client_id` in the
//! form; a confidential client sends HTTP Basic (`client_secret_basic`) with its id and secret
//! each form-urlencoded first, as RFC 6749 §2.3.1 requires, so a secret holding `+`, `/`, `%` or
//! `:` arrives as it was issued.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use http::HeaderValue;
use oauth2::ClientSecret;
use url::form_urlencoded;

#[derive(Clone)]
pub(crate) struct ClientAuth {
    client_id: String,
    secret: Option<ClientSecret>,
}

impl ClientAuth {
    pub fn new(client_id: String, secret: Option<ClientSecret>) -> Self {
        ClientAuth { client_id, secret }
    }

    /// Adds the client's credentials to a request: `client_id` to `form` for a public client,
    /// the `Authorization` header for a confidential one (which then names itself there only).
    pub fn apply(&self, form: &mut Vec<(String, String)>) -> Option<HeaderValue> {
        form.retain(|(name, _)| name != "client_id" && name != "client_secret");
        match &self.secret {
            None => {
                form.push(("client_id".into(), self.client_id.clone()));
                None
            }
            Some(secret) => Some(basic(&self.client_id, secret.secret())),
        }
    }
}

/// `Basic base64(urlencode(id) ":" urlencode(secret))`.
fn basic(id: &str, secret: &str) -> HeaderValue {
    let encode = |s: &str| form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>();
    let credentials = STANDARD.encode(format!("{}:{}", encode(id), encode(secret)));
    let mut value = HeaderValue::from_str(&format!("Basic {credentials}")).expect("base64 is a valid header value");
    value.set_sensitive(true);
    value
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
    }

    #[test]
    fn a_public_client_names_itself_in_the_form() {
        let auth = ClientAuth::new("kura-desktop".into(), None);
        let mut f = form(&[("token", "t"), ("client_id", "other")]);
        assert!(auth.apply(&mut f).is_none());
        assert_eq!(f, form(&[("token", "t"), ("client_id", "kura-desktop")]));
    }

    #[test]
    fn a_confidential_client_form_encodes_its_credentials_before_basic() {
        let auth = ClientAuth::new("a:b+c".into(), Some(ClientSecret::new("s+/%: é".into())));
        let mut f = form(&[("token", "t"), ("client_id", "a:b+c")]);
        let header = auth.apply(&mut f).unwrap();
        assert_eq!(f, form(&[("token", "t")]));
        let encoded = header.to_str().unwrap().strip_prefix("Basic ").unwrap();
        let decoded = String::from_utf8(STANDARD.decode(encoded).unwrap()).unwrap();
        assert_eq!(decoded, "a%3Ab%2Bc:s%2B%2F%25%3A+%C3%A9");
        assert!(header.is_sensitive());
    }
}
