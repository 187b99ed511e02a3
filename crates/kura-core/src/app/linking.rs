//! Linking and unlinking a union end to end: the browser flow, the check of what the union
//! answered, the credential store, the local store and the first account listing. Every front
//! end links through here.

use std::time::Duration;

use chrono::{DateTime, Utc};
use url::Url;

use crate::api::{ApiClient, ApiError, ClientConfig, TokenError, TokenFuture, TokenSource};
use crate::household::HouseholdError;
use crate::i18n::{Explain, Explanation, Language};
use crate::model::{LinkId, LinkStatus, MemberId, NewLink, RemoteAccount};
use crate::oauth::{AuthorizationAttempt, Browser, OAuthClient, OAuthError, TokenGrant};
use crate::profile::{Profile, Profiles};
use crate::secrets::SecretStore;
use crate::store::{LinkRow, Store, StoreError};
use crate::{explain, institutions, t};

#[derive(Debug, thiserror::Error)]
#[error("{}", self.explain(Language::En).summary())]
pub enum LinkError {
    #[error(transparent)]
    OAuth(#[from] OAuthError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Household(#[from] HouseholdError),
    /// The union issued tokens, then refused them (or answered nonsense) when asked for the
    /// accounts: they are of no use, so nothing was linked.
    Accounts(ApiError),
    WrongUnion {
        requested: String,
        granted: String,
    },
    /// The union refused a client secret given with the attempt (see [`link_with_client_secret`]).
    SecretRefused {
        refused: OAuthError,
        kept: KeptSecret,
    },
    /// The link is fetched by another desktop of the household (it holds the tokens): unlinking
    /// happens there.
    FetchedElsewhere {
        link: i64,
    },
    /// The accounts could not be listed, so Kura cannot tell whether the login is the person of
    /// one of the union's existing links: nothing changes.
    Unchecked {
        bank_code: String,
        link: i64,
        source: Box<ApiError>,
        withdrawn: bool,
    },
}

impl Explain for LinkError {
    fn explain(&self, lang: Language) -> Explanation {
        let union = |code: &str| t!(lang, "link-union", name = institutions::name_of(code), code);
        let withdrawn = |done: bool| match done {
            true => t!(lang, "link-withdrawn"),
            false => t!(lang, "link-not-withdrawn"),
        };
        match self {
            LinkError::OAuth(e) => e.explain(lang),
            LinkError::Store(e) => e.explain(lang),
            LinkError::Household(e) => e.explain(lang),
            LinkError::Accounts(e) => explain!(lang, "link-accounts", reason = e.explain(lang).what),
            LinkError::WrongUnion { requested, granted } => {
                explain!(lang, "link-wrong-union", requested = requested.as_str(), granted = granted.as_str())
            }
            LinkError::SecretRefused { refused, kept } => {
                let refused = refused.explain(lang);
                let kept = match kept {
                    KeptSecret::Previous => t!(lang, "link-kept-previous"),
                    KeptSecret::None => t!(lang, "link-kept-none"),
                };
                Explanation {
                    what: t!(lang, "link-secret-refused", refused = refused.what, kept),
                    todo: refused.todo,
                    detail: refused.detail,
                }
            }
            LinkError::FetchedElsewhere { link } => explain!(lang, "link-fetched-elsewhere", link = *link),
            LinkError::Unchecked { bank_code, link, source, withdrawn: done } => explain!(
                lang,
                "link-unchecked",
                union = union(bank_code),
                link = *link,
                reason = source.explain(lang).what,
                withdrawn = withdrawn(*done),
            ),
        }
    }
}

/// Which client secret stays in the credential store after the union refused a new one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeptSecret {
    /// The secret stored before the attempt is back in place.
    Previous,
    /// There was none before, and the refused one was not kept.
    None,
}

/// What a finished link holds.
#[derive(Debug)]
pub struct Linked {
    pub link: LinkRow,
    /// Whether the login renewed an existing link (the same person again) rather than adding one.
    pub renewed: bool,
    /// The accounts the user consented to share.
    pub accounts: Vec<RemoteAccount>,
    /// Why the accounts are not listed yet, when the union could not list them for a reason
    /// that passes (offline, maintenance): the next sync lists them.
    pub accounts_deferred: Option<ApiError>,
    /// Set when the union issued no refresh token: the link works until then, and afterwards
    /// only a new login helps. `None` when Kura renews the access itself.
    pub access_expires_at: Option<DateTime<Utc>>,
}

/// Links `profile`'s union: opens `browser` (after `show_url` has shown the address, so the user
/// can open it by hand), waits up to `timeout`, lists the login's accounts, keeps the tokens in
/// the credential store and records the link and its accounts; accounts seen before keep their
/// history.
///
/// A union can hold several links, one per person: a login that shares an account with one of
/// the union's links renews that link (the same person again); any other login is another
/// person's and becomes a link of its own, never replacing one. A new link belongs to `member`,
/// else to the household's first member; a renewed one moves to `member` when one is given.
///
/// The tokens a re-link replaces are forgotten, not revoked. A server may issue the new code
/// under the grant the browser's session at the union already holds, and revoking a refresh
/// token may end the whole grant (RFC 7009 §2.1): revoking the old tokens would then take the
/// new ones with them. Where the server made a new grant instead, the old one lapses with its
/// consent, its tokens deleted from the credential store. (Unlinking revokes: nothing follows.)
///
/// Until the union's answer is checked, the new tokens are held in memory only: a login whose
/// person cannot be told, a union that is not the one asked for, or tokens the union itself
/// refuses are withdrawn at the union and never stored.
pub async fn link(
    store: &mut Store,
    secrets: &SecretStore,
    profile: Profile,
    member: Option<MemberId>,
    browser: &Browser,
    timeout: Duration,
    show_url: impl FnOnce(&Url),
) -> Result<Linked, LinkError> {
    // Stop before the user logs in when the tokens would have nowhere to go.
    secrets.check_available().await.map_err(OAuthError::from)?;
    if let Some(m) = member {
        store.member(m)?;
    }
    let client = OAuthClient::new(profile.clone(), secrets).await?;
    let attempt = AuthorizationAttempt::start(&client).await?;
    show_url(attempt.url());
    if let Err(e) = attempt.open(browser) {
        // The printed address still works; keep waiting.
        tracing::warn!(error = %e, "could not open the browser");
    }
    let grant = attempt.finish(timeout).await?;
    let fresh = Fresh { client: &client, grant: &grant };
    if let Some(granted) = grant.bank_code.as_deref().filter(|g| *g != profile.bank_code) {
        fresh.withdraw().await;
        return Err(LinkError::WrongUnion { requested: profile.bank_code.clone(), granted: granted.to_owned() });
    }
    // The union's links through this profile and the accounts each holds: the login renews the
    // one it shares an account with.
    let mut existing = Vec::new();
    for l in store.links()?.into_iter().filter(|l| l.profile == profile.name && l.bank_code == profile.bank_code) {
        let held: Vec<String> = store.accounts_of_link(l.id)?.into_iter().map(|a| a.remote_account_id).collect();
        existing.push((l, held));
    }
    // A link the user ended (unlinked) holds nobody's consent any more.
    let consented = existing.iter().find(|(l, held)| l.status != LinkStatus::Revoked && !held.is_empty());
    let listed = match ApiClient::new(ClientConfig::new(profile.api_base.as_str())) {
        Ok(api) => api.accounts(&fresh).await.map(|list| list.accounts),
        Err(e) => Err(e),
    };
    let (accounts, accounts_deferred) = match listed {
        Ok(accounts) => (accounts, None),
        Err(source) if consented.is_some() => {
            let link = consented.map_or(0, |(l, _)| l.id.0);
            let withdrawn = fresh.withdraw().await;
            let bank_code = profile.bank_code.clone();
            return Err(LinkError::Unchecked { bank_code, link, source: Box::new(source), withdrawn });
        }
        Err(e) if e.is_transient() => (Vec::new(), Some(e)),
        Err(e) => {
            fresh.withdraw().await;
            return Err(LinkError::Accounts(e));
        }
    };
    // Without the federation's bank_code in the token response, the accounts say which union.
    if let Some(other) = accounts.iter().find(|a| a.identity.bank_code != profile.bank_code) {
        let granted = other.identity.bank_code.clone();
        fresh.withdraw().await;
        return Err(LinkError::WrongUnion { requested: profile.bank_code.clone(), granted });
    }
    let renews = existing.iter().find(|(_, held)| accounts.iter().any(|a| held.contains(&a.account_id)));
    // The same person's link, fetched by another desktop of the household: renewed there, never
    // taken over here (two desktops would poll one consent).
    if let Some((l, _)) = renews.filter(|(l, _)| !l.polled_here()) {
        fresh.withdraw().await;
        return Err(LinkError::FetchedElsewhere { link: l.id.0 });
    }
    let renews = renews.map(|(l, _)| l.id);
    let consent_expires_at = match grant.consent_expires_at {
        Some(at) => Some(at),
        // A server that keeps its token responses plain may publish the expiry elsewhere.
        None => client.introspected_consent_expiry(&grant.tokens).await.unwrap_or_else(|e| {
            tracing::warn!(error = %e, "could not ask the union when the consent expires");
            None
        }),
    };
    let scope = grant.tokens.scope.clone().unwrap_or_else(|| profile.scope_string());
    let consent_expires_at = consent_expires_at.map(|t| t.with_timezone(&Utc));
    let link_id = match renews {
        Some(id) => {
            store.renew_link(id, &scope, consent_expires_at, Utc::now())?;
            if let Some(m) = member {
                store.assign_link(id, m, Utc::now())?;
            }
            id
        }
        None => {
            let member = match member {
                Some(m) => m,
                None => store.first_member()?,
            };
            let new = NewLink {
                bank_code: profile.bank_code.clone(),
                member,
                profile: profile.name.clone(),
                scope,
                consent_expires_at,
            };
            store.add_link(&new, Utc::now())?
        }
    };
    if let Err(e) = secrets.save_tokens(link_id.0, &grant.tokens).await {
        // The link cannot sync without its tokens; say so where the user looks.
        store.set_link_status(link_id, LinkStatus::ReauthRequired, Some(&e.to_string()), Utc::now())?;
        fresh.withdraw().await;
        return Err(OAuthError::from(e).into());
    }
    let now = Utc::now();
    for account in &accounts {
        store.upsert_account(link_id, account, now)?;
    }
    let access_expires_at = grant.tokens.refresh_token.is_none().then_some(grant.tokens.expires_at).flatten();
    Ok(Linked { link: store.link(link_id)?, renewed: renews.is_some(), accounts, accounts_deferred, access_expires_at })
}

/// Tokens just granted, held in memory until the union's answer is checked.
struct Fresh<'a> {
    client: &'a OAuthClient,
    grant: &'a TokenGrant,
}

impl Fresh<'_> {
    /// Tells the union the tokens are not wanted (RFC 7009); whether it confirmed.
    async fn withdraw(&self) -> bool {
        match self.client.revoke(&self.grant.tokens).await {
            Ok(revoked) => revoked,
            Err(e) => {
                tracing::warn!(error = %e, "could not withdraw the new tokens at the union");
                false
            }
        }
    }
}

impl TokenSource for Fresh<'_> {
    fn access_token(&self) -> TokenFuture<'_> {
        let token = self.grant.tokens.access_token.clone();
        Box::pin(async move { Ok(token) })
    }

    fn refresh<'a>(&'a self, _rejected: &'a str) -> TokenFuture<'a> {
        Box::pin(async {
            Err(TokenError::ReauthRequired { detail: "the union refused the access token it had just issued".into() })
        })
    }
}

/// [`link`] with a client secret for `profile` (a confidential client) given by the user. The
/// token exchange reads the secret from the credential store, so it is stored first; if the
/// attempt fails before the union has accepted it, the secret it replaced (or none) is put
/// back, so a mistyped secret never goes on to fail every sync.
pub async fn link_with_client_secret(
    store: &mut Store,
    secrets: &SecretStore,
    profile: Profile,
    member: Option<MemberId>,
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
    match link(store, secrets, profile, member, browser, timeout, show_url).await {
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
    if !link.polled_here() {
        return Err(LinkError::FetchedElsewhere { link: id.0 });
    }
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
