//! The token lifecycle behind every sync: a [`TokenSource`] over the credential store that
//! refreshes ahead of expiry, saves a rotated refresh token before the new access token is used,
//! and turns `invalid_grant` into [`TokenError::ReauthRequired`].

use chrono::{Duration, Utc};
use tokio::sync::Mutex;

use super::client::OAuthClient;
use super::error::OAuthError;
use crate::api::{TokenError, TokenFuture, TokenSource};
use crate::model::LinkId;
use crate::secrets::{SecretStore, TokenSet};

/// Refresh when the access token has less than this left, so a request never starts with a
/// token about to lapse.
pub const REFRESH_AHEAD: Duration = Duration::seconds(60);

/// The tokens of one link (one profile at one union).
pub struct LinkTokens {
    link: LinkId,
    client: OAuthClient,
    secrets: SecretStore,
    /// The tokens last read or written; `None` until first needed.
    current: Mutex<Option<TokenSet>>,
}

impl LinkTokens {
    /// Tokens for `link`, made through `client`'s profile.
    pub fn new(link: LinkId, client: OAuthClient, secrets: SecretStore) -> Self {
        LinkTokens { link, client, secrets, current: Mutex::new(None) }
    }

    async fn load(&self) -> Result<TokenSet, TokenError> {
        self.secrets.load_tokens(self.link.0).await.map_err(unavailable)?.ok_or_else(|| TokenError::ReauthRequired {
            detail: "no tokens for this link are in the OS credential store".into(),
        })
    }

    async fn current_access_token(&self) -> Result<String, TokenError> {
        let mut current = self.current.lock().await;
        let tokens = match current.take() {
            Some(tokens) => tokens,
            None => self.load().await?,
        };
        let tokens = if expires_soon(&tokens) { self.refresh_locked(tokens).await? } else { tokens };
        let access = tokens.access_token.clone();
        *current = Some(tokens);
        Ok(access)
    }

    async fn refresh_after_rejection(&self, rejected: &str) -> Result<String, TokenError> {
        let mut current = self.current.lock().await;
        let tokens = match current.take() {
            Some(tokens) => tokens,
            None => self.load().await?,
        };
        // Another request already replaced the refused token.
        if tokens.access_token != rejected {
            let access = tokens.access_token.clone();
            *current = Some(tokens);
            return Ok(access);
        }
        let tokens = self.refresh_locked(tokens).await?;
        let access = tokens.access_token.clone();
        *current = Some(tokens);
        Ok(access)
    }

    /// Refreshes `tokens` (the caller holds the lock).
    async fn refresh_locked(&self, tokens: TokenSet) -> Result<TokenSet, TokenError> {
        // Another Kura process (the desktop app beside a CLI sync) may have rotated the refresh
        // token already; the credential store has the live one.
        let stored = self.load().await?;
        if stored.refresh_token != tokens.refresh_token && !expires_soon(&stored) {
            return Ok(stored);
        }
        let refresh_token = stored
            .refresh_token
            .clone()
            .ok_or_else(|| TokenError::ReauthRequired { detail: OAuthError::NoRefreshToken.to_string() })?;
        match self.client.refresh(&refresh_token).await {
            Ok(grant) => {
                // The old refresh token is dead once rotated: keep the new one before anything
                // uses the new access token, or a failure here would lose the link.
                self.secrets.save_tokens(self.link.0, &grant.tokens).await.map_err(unavailable)?;
                tracing::debug!(link = %self.link, "access token refreshed");
                Ok(grant.tokens)
            }
            Err(e @ OAuthError::InvalidGrant(_)) => {
                // The tokens can never work again; keep no dead secrets around.
                if let Err(delete) = self.secrets.delete_tokens(self.link.0).await {
                    tracing::warn!(error = %delete, "could not delete the refused tokens");
                }
                Err(TokenError::ReauthRequired { detail: e.to_string() })
            }
            Err(e) => Err(token_error(e)),
        }
    }
}

/// What a failed OAuth call means for getting a token: only a refused grant needs a new link; an
/// unreachable authorization server is a network failure like an unreachable API (offline at
/// start, when discovery or the first refresh is the first request).
pub(crate) fn token_error(e: OAuthError) -> TokenError {
    match e {
        OAuthError::InvalidGrant(_) | OAuthError::NoRefreshToken => {
            TokenError::ReauthRequired { detail: e.to_string() }
        }
        OAuthError::Network(detail) => TokenError::Unreachable { detail },
        OAuthError::ClientRefused { .. } | OAuthError::MissingClientSecret(_) => {
            TokenError::ClientCredentials { detail: e.to_string() }
        }
        e => TokenError::Unavailable { detail: e.to_string() },
    }
}

impl TokenSource for LinkTokens {
    fn access_token(&self) -> TokenFuture<'_> {
        Box::pin(self.current_access_token())
    }

    fn refresh<'a>(&'a self, rejected: &'a str) -> TokenFuture<'a> {
        Box::pin(self.refresh_after_rejection(rejected))
    }
}

fn expires_soon(tokens: &TokenSet) -> bool {
    tokens.expires_at.is_some_and(|at| at - Utc::now() < REFRESH_AHEAD)
}

fn unavailable(e: crate::secrets::SecretsError) -> TokenError {
    TokenError::Unavailable { detail: e.to_string() }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(expires_in_secs: Option<i64>) -> TokenSet {
        TokenSet {
            access_token: "a".into(),
            refresh_token: Some("r".into()),
            expires_at: expires_in_secs.map(|s| Utc::now() + Duration::seconds(s)),
            scope: None,
        }
    }

    #[test]
    fn refreshes_within_a_minute_of_expiry() {
        assert!(expires_soon(&tokens(Some(30))));
        assert!(expires_soon(&tokens(Some(-5))));
        assert!(!expires_soon(&tokens(Some(3600))));
        assert!(!expires_soon(&tokens(None)));
    }
}
