//! Linking and unlinking a union end to end: the browser flow, the credential store, the local
//! store and the first account listing. Shared by the CLI and the desktop shell.

use std::time::Duration;

use chrono::Utc;
use url::Url;

use super::browser::Browser;
use super::client::OAuthClient;
use super::error::OAuthError;
use super::flow::AuthorizationAttempt;
use super::lifecycle::LinkTokens;
use crate::api::{ApiClient, ApiError, ClientConfig};
use crate::model::{LinkId, LinkStatus, NewLink, RemoteAccount};
use crate::profile::{Profile, Profiles};
use crate::secrets::SecretStore;
use crate::store::{LinkRow, Store, StoreError};

#[derive(Debug, thiserror::Error)]
pub enum LinkError {
    #[error(transparent)]
    OAuth(#[from] OAuthError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("Linked, but listing the accounts failed: {0}. Run `kura sync` to try again.")]
    Accounts(ApiError),
    #[error("The union's authorization server granted access to union {granted}, not {requested}; nothing was linked.")]
    WrongUnion { requested: String, granted: String },
    /// The union refused a client secret given with the attempt (see [`link_with_client_secret`]).
    #[error("{refused} Nothing was linked; {kept}.")]
    SecretRefused { refused: OAuthError, kept: KeptSecret },
}

/// Which client secret stays in the credential store after the union refused a new one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeptSecret {
    /// The secret stored before the attempt is back in place.
    Previous,
    /// There was none before, and the refused one was not kept.
    None,
}

impl std::fmt::Display for KeptSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            KeptSecret::Previous => "the previously stored secret is kept",
            KeptSecret::None => "the secret just given was not kept",
        })
    }
}

/// What a finished link holds.
#[derive(Debug)]
pub struct Linked {
    pub link: LinkRow,
    /// The accounts the user consented to share.
    pub accounts: Vec<RemoteAccount>,
}

/// Links `profile`'s union: opens `browser` (after `show_url` has shown the address, so the user
/// can open it by hand), waits up to `timeout`, keeps the tokens in the credential store and
/// records the link and its accounts. Re-linking a union updates its link; accounts seen before
/// keep their history.
pub async fn link(
    store: &mut Store,
    secrets: &SecretStore,
    profile: Profile,
    browser: &Browser,
    timeout: Duration,
    show_url: impl FnOnce(&Url),
) -> Result<Linked, LinkError> {
    // Stop before the user logs in when the tokens would have nowhere to go.
    secrets.check_available().await.map_err(OAuthError::from)?;
    let client = OAuthClient::new(profile.clone(), secrets).await?;
    let attempt = AuthorizationAttempt::start(&client).await?;
    show_url(attempt.url());
    if let Err(e) = attempt.open(browser) {
        // The printed address still works; keep waiting.
        tracing::warn!(error = %e, "could not open the browser");
    }
    let grant = attempt.finish(timeout).await?;
    if let Some(granted) = grant.bank_code.as_deref().filter(|g| *g != profile.bank_code) {
        return Err(LinkError::WrongUnion { requested: profile.bank_code.clone(), granted: granted.to_owned() });
    }
    let scope = grant.tokens.scope.clone().unwrap_or_else(|| profile.scope_string());
    let link_id = store.upsert_link(
        &NewLink {
            bank_code: profile.bank_code.clone(),
            profile: profile.name.clone(),
            scope,
            consent_expires_at: grant.consent_expires_at.map(|t| t.with_timezone(&Utc)),
        },
        Utc::now(),
    )?;
    let previous = secrets.load_tokens(link_id.0).await.map_err(OAuthError::from)?;
    if let Err(e) = secrets.save_tokens(link_id.0, &grant.tokens).await {
        // The link cannot sync without its tokens; say so where the user looks.
        store.set_link_status(link_id, LinkStatus::ReauthRequired, Some(&e.to_string()), Utc::now())?;
        return Err(OAuthError::from(e).into());
    }
    if let Some(previous) = previous {
        // A re-link replaces the old grant: tell the bank it is no longer used.
        if let Err(e) = client.revoke(&previous).await {
            tracing::warn!(error = %e, "could not revoke the replaced tokens");
        }
    }
    let api = ApiClient::new(ClientConfig::new(profile.api_base.as_str())).map_err(LinkError::Accounts)?;
    let tokens = LinkTokens::new(link_id, client, secrets.clone());
    let listed = api.accounts(&tokens).await.map_err(LinkError::Accounts)?;
    let now = Utc::now();
    let mut accounts = Vec::with_capacity(listed.accounts.len());
    for a in listed.accounts {
        let account = RemoteAccount {
            account_id: a.account_id,
            bank_code: a.bank_code,
            branch_code: a.branch_code,
            branch_name: a.branch_name,
            account_type_code: a.account_type_code,
            account_type_name: a.account_type_name,
            account_number: a.account_number,
            account_name_kana: a.account_name_kana,
            currency_code: a.currency_code,
        };
        store.upsert_account(link_id, &account, now)?;
        accounts.push(account);
    }
    Ok(Linked { link: store.link(link_id)?, accounts })
}

/// [`link`] with a client secret for `profile` (a confidential client) given by the user. The
/// token exchange reads the secret from the credential store, so it is stored first; if the
/// attempt fails before the union has accepted it, the secret it replaced (or none) is put
/// back, so a mistyped secret never goes on to fail every sync.
pub async fn link_with_client_secret(
    store: &mut Store,
    secrets: &SecretStore,
    profile: Profile,
    secret: &str,
    browser: &Browser,
    timeout: Duration,
    show_url: impl FnOnce(&Url),
) -> Result<Linked, LinkError> {
    if !profile.confidential {
        return Err(OAuthError::NotConfidential(profile.name).into());
    }
    let secret = secret.trim();
    if secret.is_empty() {
        return Err(OAuthError::EmptyClientSecret.into());
    }
    let name = profile.name.clone();
    let replaced = secrets.client_secret(&name).await.map_err(OAuthError::from)?;
    secrets.set_client_secret(&name, secret).await.map_err(OAuthError::from)?;
    match link(store, secrets, profile, browser, timeout, show_url).await {
        // Every OAuth failure comes before or at the token exchange: the secret is unproven.
        Err(LinkError::OAuth(e)) => {
            let kept = match replaced {
                Some(previous) => {
                    secrets.set_client_secret(&name, &previous).await.map_err(OAuthError::from)?;
                    KeptSecret::Previous
                }
                None => {
                    secrets.delete_client_secret(&name).await.map_err(OAuthError::from)?;
                    KeptSecret::None
                }
            };
            Err(match e {
                refused @ OAuthError::ClientRefused { .. } => LinkError::SecretRefused { refused, kept },
                other => LinkError::OAuth(other),
            })
        }
        outcome => outcome,
    }
}

/// The [`LinkTokens`] of a stored link, for the sync engine.
pub async fn tokens_for(link: &LinkRow, profiles: &Profiles, secrets: &SecretStore) -> Result<LinkTokens, OAuthError> {
    let profile = profiles.by_name(&link.profile, &link.bank_code)?;
    let client = OAuthClient::new(profile, secrets).await?;
    Ok(LinkTokens::new(link.id, client, secrets.clone()))
}

/// What to do with a link's cached accounts and history on unlink.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CachedData {
    Keep,
    Purge,
}

/// How an unlink went.
#[derive(Debug)]
pub struct Unlinked {
    /// Whether the bank confirmed the revocation (RFC 7009); `false` when it has no revocation
    /// endpoint or could not be reached (the grant then lapses on its own).
    pub revoked: bool,
    /// Why revocation failed, when it did.
    pub revoke_error: Option<OAuthError>,
    /// Whether the profile's client secret was deleted: it was stored and no other link that is
    /// still in use (active or waiting for a re-link) needs it.
    pub client_secret_deleted: bool,
}

/// Revokes the link's tokens at the bank (with the client's authentication, so before any secret
/// goes), deletes them and, when no other link still uses its profile, the profile's client
/// secret from the credential store, and keeps (detached, for reading and a later re-link) or
/// purges its accounts and history.
pub async fn unlink(
    store: &mut Store,
    secrets: &SecretStore,
    profiles: &Profiles,
    id: LinkId,
    data: CachedData,
) -> Result<Unlinked, LinkError> {
    let link = store.link(id)?;
    let tokens = secrets.load_tokens(id.0).await.map_err(OAuthError::from)?;
    let (revoked, revoke_error) = match tokens {
        None => (false, None),
        Some(tokens) => {
            let revoked = async {
                let profile = profiles.by_name(&link.profile, &link.bank_code)?;
                OAuthClient::new(profile, secrets).await?.revoke(&tokens).await
            }
            .await;
            match revoked {
                Ok(revoked) => (revoked, None),
                Err(e) => (false, Some(e)),
            }
        }
    };
    secrets.delete_tokens(id.0).await.map_err(OAuthError::from)?;
    match data {
        // The row stays, marked revoked: `kura links` shows it and a re-link reactivates it.
        CachedData::Keep => store.set_link_status(id, LinkStatus::Revoked, None, Utc::now())?,
        CachedData::Purge => store.purge_link(id)?,
    }
    let profile_in_use = store.links()?.iter().any(|l| l.profile == link.profile && l.status != LinkStatus::Revoked);
    let client_secret_deleted =
        !profile_in_use && secrets.delete_client_secret(&link.profile).await.map_err(OAuthError::from)?;
    Ok(Unlinked { revoked, revoke_error, client_secret_deleted })
}
