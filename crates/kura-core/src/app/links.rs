//! Linking a union from the UI: start the OAuth flow (browser + loopback listener) in the
//! background, report its progress, list links, unlink.
//!
//! Re-authentication is `linkStart` for the link's union: a login that shares an account with
//! one of the union's links renews that link, and its accounts keep their history; another
//! person's login becomes a link of its own (`app::linking`).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use std::sync::{Arc, Mutex};

use super::linking::{self, CachedData};
use super::sync_log::{SyncErrorKind, SyncProblem, latest_finished_run};
use super::{AppContext, CommandError, CommandFailure, RequestError};
use crate::institutions;
use crate::model::{LinkId, LinkStatus, MemberId};
use crate::oauth::{Browser, DEFAULT_TIMEOUT, OAuthError};
use crate::profile::Profiles;
use crate::store::{LinkRow, Store};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum LinkState {
    Active,
    ReauthRequired,
    Revoked,
}

impl From<LinkStatus> for LinkState {
    fn from(s: LinkStatus) -> Self {
        match s {
            LinkStatus::Active => LinkState::Active,
            LinkStatus::ReauthRequired => LinkState::ReauthRequired,
            LinkStatus::Revoked => LinkState::Revoked,
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize, TS)]
pub struct LinksListRequest {}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct LinkItem {
    pub id: i64,
    pub bank_code: String,
    pub bank_name: String,
    pub profile: String,
    /// The household member whose consent it is.
    pub member_id: i64,
    pub status: LinkState,
    pub consent_expires_at: Option<DateTime<Utc>>,
    pub last_sync_at: Option<DateTime<Utc>>,
    /// Why the link's last sync failed (or why it needs re-authentication), until a sync succeeds.
    pub last_error: Option<SyncProblem>,
    pub account_count: u32,
    /// The household's other desktop that holds this link's tokens and fetches it (its name), when
    /// it is not this one: its data arrives through that desktop's log, and it is renewed or
    /// unlinked there.
    pub fetched_by: Option<String>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct LinksListResponse {
    pub links: Vec<LinkItem>,
}

pub async fn list(ctx: &AppContext, _req: LinksListRequest) -> Result<LinksListResponse, CommandError> {
    let store = ctx.store();
    let links = store.links()?.into_iter().map(|l| item(&store, l)).collect::<Result<_, CommandError>>()?;
    Ok(LinksListResponse { links })
}

/// Link `id` as [`list`] shows it.
pub fn get(ctx: &AppContext, id: i64) -> Result<LinkItem, CommandError> {
    let store = ctx.store();
    let row = store.link(LinkId(id))?;
    item(&store, row)
}

fn item(store: &Store, l: LinkRow) -> Result<LinkItem, CommandError> {
    let account_count = store.accounts_of_link(l.id)?.len() as u32;
    let last_error = match (l.status, l.last_error) {
        (_, None) => None,
        // Whatever refused the consent (the sync's 401, a keyring failure when linking),
        // re-authenticating is the way out.
        (LinkStatus::ReauthRequired, Some(message)) => {
            Some(SyncProblem { kind: SyncErrorKind::ReauthRequired, http_status: None, message })
        }
        // Otherwise the message is the last finished run's (the store keeps them together).
        (_, Some(message)) => {
            Some(latest_finished_run(store, l.id)?.as_ref().and_then(SyncProblem::of_run).unwrap_or(SyncProblem {
                kind: SyncErrorKind::Other,
                http_status: None,
                message,
            }))
        }
    };
    let fetched_by = match &l.polled_by {
        None => None,
        Some(desktop) => Some(
            store
                .share_peers()?
                .into_iter()
                .find(|(id, ..)| id == desktop)
                .map_or_else(|| desktop.chars().take(8).collect(), |(_, name, ..)| name),
        ),
    };
    Ok(LinkItem {
        id: l.id.0,
        fetched_by,
        bank_name: institutions::name_of(&l.bank_code),
        bank_code: l.bank_code,
        profile: l.profile,
        member_id: l.member_id.0,
        status: l.status.into(),
        consent_expires_at: l.consent_expires_at,
        last_sync_at: l.last_sync_at,
        last_error,
        account_count,
    })
}

#[derive(Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct LinkStartRequest {
    /// The union's 4-digit code (also for re-authenticating an existing link).
    pub bank_code: String,
    /// The client secret of the union's profile (a confidential client), given by the user
    /// when the `clientSecret` error asked for it. Kept in the OS credential store only if
    /// the union accepts it.
    #[serde(default)]
    #[ts(optional)]
    pub client_secret: Option<String>,
    /// The member a new link belongs to (default: the household's first); a renewed link moves
    /// to them.
    #[serde(default)]
    #[ts(optional)]
    pub member_id: Option<i64>,
}

// By hand, so a logged request never shows the secret.
impl std::fmt::Debug for LinkStartRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LinkStartRequest")
            .field("bank_code", &self.bank_code)
            .field("client_secret", &self.client_secret.as_ref().map(|_| "<redacted>"))
            .field("member_id", &self.member_id)
            .finish()
    }
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct LinkStartResponse {
    /// Pass to `linkStatus`.
    pub attempt_id: u64,
    /// The union's login page. The UI shows it as a link in case no browser could be opened.
    pub authorization_url: String,
}

/// Which union a link attempt is for and how Kura reaches it (before anything is asked of the
/// person): its name, and whether its profile is a confidential client that needs a secret.
#[derive(Debug, Clone)]
pub struct LinkTarget {
    pub bank_code: String,
    pub union_name: String,
    pub profile: String,
    pub confidential: bool,
}

/// The union `bank_code` as linking would reach it.
pub fn target(bank_code: &str) -> Result<LinkTarget, CommandError> {
    let profile = Profiles::load()?.resolve(bank_code.trim())?;
    Ok(LinkTarget {
        union_name: institutions::name_of(&profile.bank_code),
        bank_code: profile.bank_code,
        profile: profile.name,
        confidential: profile.confidential,
    })
}

/// How a link attempt meets the person.
pub struct LinkNow {
    pub bank_code: String,
    /// A confidential client's secret, given with this attempt; kept only once the union accepts it.
    pub client_secret: Option<String>,
    /// Whose link a new one is (see [`linking::link`]).
    pub member: Option<MemberId>,
    /// Open the login page in the browser (else the address is only shown).
    pub open_browser: bool,
    pub timeout: std::time::Duration,
}

impl LinkTarget {
    /// Refuses a client secret for a public client, before the person is asked for one.
    pub fn check_takes_secret(&self) -> Result<(), CommandError> {
        match self.confidential {
            true => Ok(()),
            false => Err(OAuthError::NotConfidential(self.profile.clone()).into()),
        }
    }
}

/// A finished link as every front end reports it.
#[derive(Debug)]
pub struct LinkOutcome {
    pub link: LinkItem,
    /// An existing link renewed (the same person), rather than a new one.
    pub renewed: bool,
    /// The accounts the person chose to share.
    pub accounts: Vec<crate::model::RemoteAccount>,
    /// Why the accounts are not listed yet, when that passes (the next sync lists them).
    pub accounts_deferred: Option<crate::api::ApiError>,
    /// Set when the union gives no refresh token: when the next login is due.
    pub access_expires_at: Option<DateTime<Utc>>,
}

/// Links a union in the foreground: `show_url` gets the login page's address once the browser
/// was told to open it; returns once the login came back (or failed). The app's `linkStart`
/// runs the same in the background.
pub async fn link(
    ctx: &AppContext,
    req: LinkNow,
    show_url: impl FnOnce(&url::Url),
) -> Result<LinkOutcome, CommandError> {
    let profiles = Profiles::load()?;
    let profile = profiles.resolve(req.bank_code.trim())?;
    let browser = match req.open_browser {
        true => Browser::from_env_or_else(profiles.browser(), ctx.system_browser())?,
        false => Browser::Manual,
    };
    // Its own connection: the attempt waits minutes for the browser and must not hold the
    // shared one (WAL lets both write in turn).
    let mut store = Store::open_file(ctx.database_file())?;
    let secrets = ctx.secrets();
    let linked = match req.client_secret {
        Some(secret) => {
            let member = req.member;
            linking::link_with_client_secret(
                &mut store,
                secrets,
                profile,
                member,
                &secret,
                &browser,
                req.timeout,
                show_url,
            )
            .await
        }
        None => linking::link(&mut store, secrets, profile, req.member, &browser, req.timeout, show_url).await,
    }?;
    Ok(LinkOutcome {
        renewed: linked.renewed,
        link: item(&store, linked.link)?,
        accounts: linked.accounts,
        accounts_deferred: linked.accounts_deferred,
        access_expires_at: linked.access_expires_at,
    })
}

/// Starts a link attempt: opens the browser on the union's login page and returns its address
/// at once; the wait for the callback, the token exchange and the account listing run in the
/// background (see `linkStatus`).
pub async fn start(ctx: &AppContext, req: LinkStartRequest) -> Result<LinkStartResponse, CommandError> {
    let attempt_id = ctx.attempts().begin();
    let (url_tx, url_rx) = tokio::sync::oneshot::channel::<Result<String, CommandError>>();
    let url_tx = Arc::new(Mutex::new(Some(url_tx)));
    let task_ctx = ctx.clone();
    tokio::spawn(async move {
        let shown = url_tx.clone();
        let show_url = move |url: &url::Url| {
            if let Some(tx) = shown.lock().unwrap_or_else(|p| p.into_inner()).take() {
                let _ = tx.send(Ok(url.to_string()));
            }
        };
        let now = LinkNow {
            bank_code: req.bank_code,
            client_secret: req.client_secret,
            member: req.member_id.map(MemberId),
            open_browser: true,
            timeout: DEFAULT_TIMEOUT,
        };
        let outcome = link(&task_ctx, now, show_url).await.map(LinkAttemptStatus::linked);
        // Failed before the address was shown: the caller of `start` gets the error itself.
        let early = url_tx.lock().unwrap_or_else(|p| p.into_inner()).take();
        match (early, outcome) {
            (Some(tx), Err(e)) => {
                task_ctx.attempts().forget(attempt_id);
                let _ = tx.send(Err(e));
            }
            (_, outcome) => {
                if let (Ok(LinkAttemptStatus::Linked { link_id, .. }), Some(scheduler)) =
                    (&outcome, task_ctx.scheduler())
                {
                    // Fill the new link's accounts at once rather than at the next interval.
                    scheduler.sync_now(Some(LinkId(*link_id)));
                }
                task_ctx.attempts().finish(attempt_id, outcome)
            }
        }
    });
    match url_rx.await {
        Ok(Ok(authorization_url)) => Ok(LinkStartResponse { attempt_id, authorization_url }),
        Ok(Err(e)) => Err(e),
        Err(_) => unreachable!("the link task answers before it ends"),
    }
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct LinkStatusRequest {
    pub attempt_id: u64,
}

/// Where a link attempt stands.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase", rename_all_fields = "camelCase", tag = "state")]
pub enum LinkAttemptStatus {
    /// Waiting for the user to log in and consent in the browser.
    Waiting,
    Linked {
        link_id: i64,
        /// The login renewed this existing link (the same person) rather than adding one.
        renewed: bool,
        /// When the consent ends; `None` when the union did not say (no reminder can come).
        consent_expires_at: Option<DateTime<Utc>>,
        /// Set when the union issued no refresh token: the link works until then, and needs a
        /// new login afterwards (every time).
        access_expires_at: Option<DateTime<Utc>>,
        /// The union could not list the accounts yet (offline, maintenance): the next sync will.
        accounts_deferred: bool,
    },
    Failed {
        error: CommandFailure,
    },
}

impl LinkAttemptStatus {
    fn linked(linked: LinkOutcome) -> Self {
        LinkAttemptStatus::Linked {
            link_id: linked.link.id,
            renewed: linked.renewed,
            consent_expires_at: linked.link.consent_expires_at,
            access_expires_at: linked.access_expires_at,
            accounts_deferred: linked.accounts_deferred.is_some(),
        }
    }
}

pub async fn status(ctx: &AppContext, req: LinkStatusRequest) -> Result<LinkAttemptStatus, CommandError> {
    ctx.attempts().status(req.attempt_id).ok_or_else(|| RequestError::UnknownAttempt(req.attempt_id).into())
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct UnlinkRequest {
    pub link_id: i64,
    /// Delete the link's accounts and their stored history too (default: keep them readable).
    #[serde(default)]
    pub purge: bool,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct UnlinkResponse {
    /// Whether the union confirmed revoking the tokens. When false (offline, or the union offers
    /// no revocation) the consent lapses at its expiry date; Kura has forgotten the tokens.
    pub revoked_at_union: bool,
    /// Why the union could not be told, when it could not.
    pub revoke_error: Option<CommandFailure>,
    /// Whether the profile's client secret left the credential store with its last link.
    pub client_secret_deleted: bool,
}

/// Revokes the tokens at the union (RFC 7009), deletes them from the credential store, and
/// keeps or purges the cached accounts and history.
pub async fn unlink(ctx: &AppContext, req: UnlinkRequest) -> Result<UnlinkResponse, CommandError> {
    let profiles = Profiles::load()?;
    let mut store = Store::open_file(ctx.database_file())?;
    let data = if req.purge { CachedData::Purge } else { CachedData::Keep };
    let done = linking::unlink(&mut store, ctx.secrets(), &profiles, LinkId(req.link_id), data).await?;
    Ok(UnlinkResponse {
        revoked_at_union: done.revoked,
        revoke_error: done.revoke_error.map(|e| CommandError::from(e).to_failure()),
        client_secret_deleted: done.client_secret_deleted,
    })
}
