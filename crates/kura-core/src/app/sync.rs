//! Syncing from the UI: the scheduler that runs while the app (or `kura serve`) is open, how it
//! reaches each link's union, and "sync now".

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use tokio::sync::broadcast;
use ts_rs::TS;

use super::{AppContext, CommandError, RequestError};
use crate::api::{ApiClient, ClientConfig, TokenError, TokenFuture, TokenSource};
use crate::model::{LinkId, LinkStatus};
use crate::oauth::{self, LinkTokens};
use crate::profile::Profiles;
use crate::secrets::SecretStore;
use crate::store::LinkRow;
use crate::sync::{LinkConnector, Scheduler, SchedulerConfig, SchedulerHandle, SyncEngine, SyncOptions};

/// What a sync reports, as every front end reads it.
pub use crate::sync::{AccountReport, LinkReport, SyncError, Warning};

/// Reaches a link's union through its profile: one [`ApiClient`] per API host (so the host's
/// in-flight limit holds across links) and the link's tokens from the credential store.
pub struct ProfileConnector {
    profiles: Profiles,
    secrets: SecretStore,
    clients: Mutex<HashMap<String, ApiClient>>,
    /// Each link's tokens, kept across syncs so the OAuth client (and its discovery) is set up
    /// once, and a sync while offline fails on the API call ("network") rather than on discovery.
    /// Keyed by the link's `updated_at` too: a re-link writes new tokens, and the old cache must
    /// not refresh with the revoked refresh token.
    tokens: Mutex<HashMap<TokensKey, Arc<LazyTokens>>>,
}

/// A link and the `updated_at` of its tokens.
type TokensKey = (LinkId, DateTime<Utc>);

impl ProfileConnector {
    pub fn new(profiles: Profiles, secrets: SecretStore) -> Self {
        ProfileConnector { profiles, secrets, clients: Mutex::default(), tokens: Mutex::default() }
    }
}

impl LinkConnector for ProfileConnector {
    fn connect(&self, link: &LinkRow) -> Result<(ApiClient, Arc<dyn TokenSource>), SyncError> {
        let profile = self.profiles.by_name(&link.profile, &link.bank_code)?;
        let base = profile.api_base.to_string();
        let client = {
            let mut clients = self.clients.lock().unwrap_or_else(|p| p.into_inner());
            match clients.get(&base) {
                Some(c) => c.clone(),
                None => {
                    let c = ApiClient::new(ClientConfig::new(base.clone()))?;
                    clients.insert(base, c.clone());
                    c
                }
            }
        };
        let tokens = {
            let mut cache = self.tokens.lock().unwrap_or_else(|p| p.into_inner());
            cache.retain(|(id, updated), _| *id != link.id || *updated == link.updated_at);
            cache
                .entry((link.id, link.updated_at))
                .or_insert_with(|| {
                    Arc::new(LazyTokens {
                        link: link.clone(),
                        profiles: self.profiles.clone(),
                        secrets: self.secrets.clone(),
                        inner: tokio::sync::OnceCell::new(),
                    })
                })
                .clone()
        };
        Ok((client, tokens))
    }
}

/// A link's tokens, set up on first use: the OAuth client may need RFC 8414 discovery, which
/// is async, while [`LinkConnector::connect`] is not.
struct LazyTokens {
    link: LinkRow,
    profiles: Profiles,
    secrets: SecretStore,
    inner: tokio::sync::OnceCell<LinkTokens>,
}

impl LazyTokens {
    async fn get(&self) -> Result<&LinkTokens, TokenError> {
        self.inner
            .get_or_try_init(|| oauth::tokens_for(&self.link, &self.profiles, &self.secrets))
            .await
            .map_err(oauth::lifecycle::token_error)
    }
}

impl TokenSource for LazyTokens {
    fn access_token(&self) -> TokenFuture<'_> {
        Box::pin(async move { self.get().await?.access_token().await })
    }

    fn refresh<'a>(&'a self, rejected: &'a str) -> TokenFuture<'a> {
        Box::pin(async move { self.get().await?.refresh(rejected).await })
    }
}

/// Starts the scheduler over `ctx`'s store with the polling interval of its preferences.
pub(super) fn spawn_scheduler(ctx: &AppContext, profiles: Profiles) -> SchedulerHandle {
    let engine = SyncEngine::new(ctx.shared_store(), SyncOptions::default());
    let connector = Arc::new(ProfileConnector::new(profiles, ctx.secrets().clone()));
    let config = SchedulerConfig {
        interval: Duration::from_secs(u64::from(ctx.preferences().poll_interval_minutes) * 60),
        ..SchedulerConfig::default()
    };
    let (handle, _task) = Scheduler::spawn(engine, connector, config);
    handle
}

/// Every finished sync's report from a context's scheduler, across restarts (a new polling
/// interval restarts it), for the shells' notifications and refreshes.
pub struct SyncReports {
    reports: Option<broadcast::Receiver<Option<Arc<LinkReport>>>>,
}

impl SyncReports {
    /// Reports from now on; none at all when syncing has not started.
    pub fn new(ctx: &AppContext) -> Self {
        SyncReports { reports: ctx.scheduler().map(|_| ctx.sync_reports().subscribe()) }
    }

    /// The next report, or `Err(n)` when `n` were missed (a refresh is due all the same);
    /// `None` once syncing has stopped, or when it had not started.
    pub async fn next(&mut self) -> Option<Result<Arc<LinkReport>, u64>> {
        match self.reports.as_mut()?.recv().await {
            Ok(Some(report)) => Some(Ok(report)),
            Err(broadcast::error::RecvError::Lagged(missed)) => Some(Err(missed)),
            Ok(None) | Err(broadcast::error::RecvError::Closed) => None,
        }
    }
}

/// Relays `handle`'s reports to the context's channel until that scheduler ends. Subscribed
/// before the caller returns, so the new scheduler's first report is not lost.
pub(super) fn relay_reports(handle: &SchedulerHandle, to: broadcast::Sender<Option<Arc<LinkReport>>>) {
    let mut reports = handle.subscribe();
    tokio::spawn(async move {
        loop {
            match reports.recv().await {
                Ok(report) => {
                    let _ = to.send(Some(report));
                }
                // The relay's own subscribers lag on their side; this one only skips ahead.
                Err(broadcast::error::RecvError::Lagged(_)) => {}
                Err(broadcast::error::RecvError::Closed) => return,
            }
        }
    });
}

/// One link's part of [`sync_links`].
#[derive(Debug)]
pub struct LinkSync {
    pub link: LinkRow,
    /// `None`: not synced, because the link is not active (it needs a new link first).
    pub report: Option<LinkReport>,
}

/// Syncs every active link, or only link `only` (also when it is not active, so the person
/// hears why), in this process and at once: what `kura sync` does without a scheduler.
pub async fn sync_links(ctx: &AppContext, only: Option<i64>) -> Result<Vec<LinkSync>, CommandError> {
    let links: Vec<LinkRow> = match only {
        Some(id) => vec![ctx.store().link(LinkId(id))?],
        None => ctx.store().links()?,
    };
    // Another desktop of the household holds those links' tokens and polls them.
    let links: Vec<LinkRow> = links.into_iter().filter(LinkRow::polled_here).collect();
    if links.is_empty() {
        return Ok(Vec::new());
    }
    let engine = SyncEngine::new(ctx.shared_store(), SyncOptions::default());
    let connector = ProfileConnector::new(Profiles::load()?, ctx.secrets().clone());
    let mut synced = Vec::with_capacity(links.len());
    for link in links {
        let report = if link.status == LinkStatus::Active || only.is_some() {
            Some(engine.sync_connected(&link, &connector).await)
        } else {
            None
        };
        synced.push(LinkSync { link, report });
    }
    Ok(synced)
}

#[derive(Debug, Clone, Default, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SyncNowRequest {
    /// One link, or every active link when absent.
    #[serde(default)]
    pub link_id: Option<i64>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SyncNowResponse {
    /// The sync was queued; its outcome appears in the sync log and the overview.
    pub queued: bool,
}

pub async fn sync_now(ctx: &AppContext, req: SyncNowRequest) -> Result<SyncNowResponse, CommandError> {
    let handle = ctx.scheduler().ok_or(RequestError::NotSyncing)?;
    handle.sync_now(req.link_id.map(LinkId));
    Ok(SyncNowResponse { queued: true })
}
