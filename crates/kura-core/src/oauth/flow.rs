//! One link attempt: PKCE S256 and a random state, the loopback listener, the browser, and the
//! code exchange.

use std::time::Duration;

use oauth2::{CsrfToken, PkceCodeChallenge, PkceCodeVerifier};
use url::Url;

use super::browser::Browser;
use super::client::{OAuthClient, TokenGrant};
use super::error::OAuthError;
use super::loopback::LoopbackListener;

/// How long Kura waits for the browser by default.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(5 * 60);

/// A started link attempt: its listener is bound and its URL is ready to open.
pub struct AuthorizationAttempt<'a> {
    client: &'a OAuthClient,
    listener: LoopbackListener,
    state: CsrfToken,
    verifier: PkceCodeVerifier,
    url: Url,
}

impl<'a> AuthorizationAttempt<'a> {
    /// Binds a fresh listener and prepares a fresh state and PKCE pair: attempts never share
    /// either, so two at once do not interfere.
    pub async fn start(client: &'a OAuthClient) -> Result<Self, OAuthError> {
        let listener = LoopbackListener::bind().await?.expect_issuer(client.issuer_check());
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let state = CsrfToken::new_random();
        let url = client.authorize_url(listener.redirect_uri(), &state, challenge);
        Ok(AuthorizationAttempt { client, listener, state, verifier, url })
    }

    /// The authorization URL (it carries no secret: only the state and the PKCE challenge).
    pub fn url(&self) -> &Url {
        &self.url
    }

    /// Opens the URL with `browser`.
    pub fn open(&self, browser: &Browser) -> Result<(), OAuthError> {
        browser.open(self.url.as_str())
    }

    /// Waits for the callback (at most `timeout`) and exchanges its code for tokens.
    pub async fn finish(self, timeout: Duration) -> Result<TokenGrant, OAuthError> {
        let redirect = self.listener.redirect_uri().clone();
        let code = self.listener.wait(self.state.secret(), timeout).await?;
        self.client.exchange_code(code, &redirect, self.verifier).await
    }
}
