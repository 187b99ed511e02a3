//! The token lifecycle behind every sync: a [`TokenSource`] over the credential store that
//! refreshes ahead of expiry, saves a rotated refresh token before the new access token is used,
//! and turns `invalid_grant` into [`TokenError::ReauthRequired`].

use chrono::{Duration, Utc};
use tokio::sync::Mutex;

use super::client::OAuthClient;
use super::error::OAuthError;
use crate::api::{TokenError, TokenFuture, TokenSource};
use crate::model::LinkId;
use crate::profile::Profiles;
use crate::secrets::{SecretStore, TokenSet};
use crate::store::LinkRow;

/// Refresh when the access token has less than this left, so a request never starts with a
/// token about to lapse; for short-lived tokens, a quarter of their lifetime (see
/// [`refresh_margin`]).
pub const REFRESH_AHEAD: Duration = Duration::seconds(60);

/// How long before expiry a token of `lifetime` is renewed: [`REFRESH_AHEAD`], or a quarter of
/// the lifetime when that is less, so a 30-second token serves 22 seconds of requests instead
/// of being renewed before every one. A token whose lifetime Kura has not seen (read from the
/// credential store) gets the full margin.
pub fn refresh_margin(lifetime: Option<Duration>) -> Duration {
    lifetime.map_or(REFRESH_AHEAD, |l| REFRESH_AHEAD.min(l / 4))
}

/// The tokens of one link (one profile at one union).
pub struct LinkTokens {
    link: LinkId,
    client: OAuthClient,
    secrets: SecretStore,
    /// The tokens last read or written, and the lifetime of their access token when this
    /// process received it; `None` until first needed.
    current: Mutex<Option<Current>>,
}

struct Current {
    tokens: TokenSet,
    lifetime: Option<Duration>,
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
        let held = match current.take() {
            Some(held) => held,
            None => Current { tokens: self.load().await?, lifetime: None },
        };
        let held = if needs_renewal(&held.tokens, held.lifetime) { self.refresh_locked(held).await? } else { held };
        let access = held.tokens.access_token.clone();
        *current = Some(held);
        Ok(access)
    }

    async fn refresh_after_rejection(&self, rejected: &str) -> Result<String, TokenError> {
        let mut current = self.current.lock().await;
        let held = match current.take() {
            Some(held) => held,
            None => Current { tokens: self.load().await?, lifetime: None },
        };
        // Another request already replaced the refused token.
        if held.tokens.access_token != rejected {
            let access = held.tokens.access_token.clone();
            *current = Some(held);
            return Ok(access);
        }
        let held = self.refresh_locked(held).await?;
        let access = held.tokens.access_token.clone();
        *current = Some(held);
        Ok(access)
    }

    /// Refreshes the held tokens (the caller holds the lock).
    async fn refresh_locked(&self, held: Current) -> Result<Current, TokenError> {
        // Another Kura process (the desktop app beside a CLI sync) may have rotated the refresh
        // token already; the credential store has the live one.
        let stored = self.load().await?;
        if stored.refresh_token != held.tokens.refresh_token && !needs_renewal(&stored, None) {
            return Ok(Current { tokens: stored, lifetime: None });
        }
        // Without a refresh token the union wants a new login once the access token is gone:
        // that is re-authentication, not a failure to retry.
        let refresh_token = stored.refresh_token.clone().ok_or(TokenError::NoRefreshToken)?;
        match self.client.refresh(&refresh_token).await {
            Ok(grant) => {
                // The old refresh token is dead once rotated: keep the new one before anything
                // uses the new access token, or a failure here would lose the link.
                self.secrets.save_tokens(self.link.0, &grant.tokens).await.map_err(unavailable)?;
                tracing::debug!(link = %self.link, "access token refreshed");
                Ok(Current { tokens: grant.tokens, lifetime: grant.lifetime })
            }
            Err(e @ OAuthError::InvalidGrant(_)) => {
                // The tokens can never work again; keep no dead secrets around.
                if let Err(delete) = self.secrets.delete_tokens(self.link.0).await {
                    tracing::warn!(error = %delete, "could not delete the refused tokens");
                }
                Err(token_error(e))
            }
            Err(e) => Err(token_error(e)),
        }
    }
}

/// The [`LinkTokens`] of a stored link, for the sync engine.
pub async fn tokens_for(link: &LinkRow, profiles: &Profiles, secrets: &SecretStore) -> Result<LinkTokens, OAuthError> {
    let profile = profiles.by_name(&link.profile, &link.bank_code)?;
    let client = OAuthClient::new(profile, secrets).await?;
    Ok(LinkTokens::new(link.id, client, secrets.clone()))
}

/// What a failed OAuth call means for getting a token: only a refused grant needs a new link; an
/// unreachable authorization server is a network failure like an unreachable API (offline at
/// start, when discovery or the first refresh is the first request).
pub(crate) fn token_error(e: OAuthError) -> TokenError {
    match e {
        // The union's own words, which the message quotes.
        OAuthError::InvalidGrant(description) => TokenError::ReauthRequired {
            detail: description.map_or_else(|| "invalid_grant".to_owned(), |d| format!("invalid_grant: {d}")),
        },
        OAuthError::NoRefreshToken => TokenError::NoRefreshToken,
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

fn expires_within(tokens: &TokenSet, margin: Duration) -> bool {
    tokens.expires_at.is_some_and(|at| at - Utc::now() < margin)
}

/// Whether the access token must be replaced before the next request: soon, when a refresh
/// token can renew it; only once it has expired, when nothing can (it serves to the end).
fn needs_renewal(tokens: &TokenSet, lifetime: Option<Duration>) -> bool {
    match tokens.refresh_token {
        Some(_) => expires_within(tokens, refresh_margin(lifetime)),
        None => expires_within(tokens, Duration::zero()),
    }
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
    fn short_lived_tokens_are_renewed_in_the_last_quarter_of_their_life() {
        assert_eq!(refresh_margin(None), Duration::seconds(60));
        assert_eq!(refresh_margin(Some(Duration::hours(1))), Duration::seconds(60));
        assert_eq!(refresh_margin(Some(Duration::seconds(30))), Duration::milliseconds(7_500));
        let fresh = tokens(Some(29));
        assert!(!needs_renewal(&fresh, Some(Duration::seconds(30))));
        assert!(needs_renewal(&fresh, None), "a token of unknown lifetime gets the full minute");
        assert!(needs_renewal(&tokens(Some(5)), Some(Duration::seconds(30))));
    }

    #[test]
    fn without_a_refresh_token_the_access_token_serves_until_it_expires() {
        let mut t = tokens(Some(20));
        t.refresh_token = None;
        assert!(!needs_renewal(&t, None));
        t.expires_at = Some(Utc::now() - Duration::seconds(1));
        assert!(needs_renewal(&t, None));
    }

    #[test]
    fn refreshes_within_a_minute_of_expiry() {
        assert!(needs_renewal(&tokens(Some(30)), None));
        assert!(needs_renewal(&tokens(Some(-5)), None));
        assert!(!needs_renewal(&tokens(Some(3600)), None));
        assert!(!needs_renewal(&tokens(None), None));
    }
}
