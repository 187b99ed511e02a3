//! Watches the store for what the person should hear about outside the window: the last sync
//! time (tray), and links that need re-authentication, keep failing or whose consent lapses
//! soon (OS notifications).
//! It runs after every sync this app makes, and on a timer so syncs by the CLI (or
//! `kura serve`) against the same database are seen too.

use std::collections::HashSet;
use std::sync::Mutex;
use std::time::Duration;

use chrono::{DateTime, Utc};
use kura_core::commands::AppContext;
use kura_core::model::{LinkId, LinkStatus};
use kura_core::store::LinkRow;
use tauri::{AppHandle, Manager};
use tauri_plugin_notification::NotificationExt;

use crate::tray::{LastSyncItem, last_sync_label};

/// How often the store is looked at.
const INTERVAL: Duration = Duration::from_secs(60);

/// A link whose syncs have failed for this long (with no success since) "keeps failing".
const FAILING_FOR: chrono::TimeDelta = chrono::TimeDelta::hours(6);

/// Which links the person has already been told about: once per episode, which ends when the
/// link is healthy again.
#[derive(Default)]
pub struct Watcher {
    told: Mutex<Told>,
}

#[derive(Default)]
struct Told {
    reauth: HashSet<LinkId>,
    failing: HashSet<LinkId>,
}

/// What one look at the store found.
#[derive(Debug, PartialEq, Eq)]
struct Findings {
    last_sync: Option<DateTime<Utc>>,
    reauth: Vec<LinkId>,
    failing: Vec<LinkId>,
}

/// Starts the periodic check.
pub fn start(app: AppHandle) {
    tauri::async_runtime::spawn(async move {
        loop {
            check_now(&app).await;
            tokio::time::sleep(INTERVAL).await;
        }
    });
}

/// Looks at the store once and updates the tray and notifications.
pub async fn check_now(app: &AppHandle) {
    let ctx = app.state::<AppContext>().inner().clone();
    let links = tauri::async_runtime::spawn_blocking(move || ctx.store().links()).await;
    let links = match links {
        Ok(Ok(links)) => links,
        Ok(Err(e)) => {
            tracing::warn!(error = %e, "cannot read the links for the tray and notifications");
            return;
        }
        Err(e) => {
            tracing::warn!(error = %e, "the store check did not finish");
            return;
        }
    };
    let now = Utc::now();
    crate::consent::remind(app, &links, now);
    let found = assess(&links, now);
    if let Some(item) = app.try_state::<LastSyncItem>()
        && let Err(e) = item.0.set_text(last_sync_label(found.last_sync))
    {
        tracing::warn!(error = %e, "cannot update the tray's last sync time");
    }
    let watcher = app.state::<Watcher>();
    let (reauth, failing) = {
        let mut told = watcher.told.lock().unwrap_or_else(|p| p.into_inner());
        (newly(&mut told.reauth, &found.reauth), newly(&mut told.failing, &found.failing))
    };
    for id in reauth {
        notify(
            app,
            &links,
            id,
            "再認証が必要です / Re-authentication needed",
            "の連携の有効期限が切れました。Kura を開いて再認証してください。 / Its consent has ended: open Kura and re-authenticate.",
        );
    }
    for id in failing {
        notify(
            app,
            &links,
            id,
            "同期に失敗し続けています / Sync keeps failing",
            "の同期が6時間以上失敗しています。Kura の同期ログを確認してください。 / Syncing has failed for over 6 hours: see the sync log in Kura.",
        );
    }
}

fn assess(links: &[LinkRow], now: DateTime<Utc>) -> Findings {
    let last_sync = links.iter().filter_map(|l| l.last_sync_at).max();
    let reauth = links.iter().filter(|l| l.status == LinkStatus::ReauthRequired).map(|l| l.id).collect();
    let failing = links
        .iter()
        .filter(|l| {
            l.status == LinkStatus::Active
                && l.last_error.is_some()
                && now - l.last_sync_at.unwrap_or(l.created_at) > FAILING_FOR
        })
        .map(|l| l.id)
        .collect();
    Findings { last_sync, reauth, failing }
}

/// The ids in `current` not told before; forgets the ones no longer current.
fn newly(told: &mut HashSet<LinkId>, current: &[LinkId]) -> Vec<LinkId> {
    told.retain(|id| current.contains(id));
    current.iter().copied().filter(|id| told.insert(*id)).collect()
}

fn notify(app: &AppHandle, links: &[LinkRow], id: LinkId, title: &str, body: &str) {
    let union = links
        .iter()
        .find(|l| l.id == id)
        .map(|l| {
            kura_core::institutions::by_code(&l.bank_code).map_or_else(|| l.bank_code.clone(), |i| i.name.to_string())
        })
        .unwrap_or_default();
    if let Err(e) = app.notification().builder().title(title).body(format!("{union}{body}")).show() {
        tracing::warn!(error = %e, "cannot show a notification");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn link(id: i64, status: LinkStatus, last_sync_at: Option<&str>, last_error: Option<&str>) -> LinkRow {
        let t = |s: &str| DateTime::parse_from_rfc3339(s).unwrap().to_utc();
        LinkRow {
            id: LinkId(id),
            bank_code: "2011".into(),
            profile: "sandbox".into(),
            status,
            scope: "balance transactions".into(),
            consent_expires_at: None,
            created_at: t("2026-11-01T00:00:00Z"),
            updated_at: t("2026-11-01T00:00:00Z"),
            last_sync_at: last_sync_at.map(t),
            last_error: last_error.map(str::to_owned),
        }
    }

    #[test]
    fn finds_the_last_sync_and_the_links_to_tell_about() {
        let now = DateTime::parse_from_rfc3339("2026-11-24T12:00:00Z").unwrap().to_utc();
        let links = [
            link(1, LinkStatus::Active, Some("2026-11-24T11:00:00Z"), None),
            link(2, LinkStatus::ReauthRequired, Some("2026-11-20T00:00:00Z"), Some("invalid_grant")),
            link(3, LinkStatus::Active, Some("2026-11-24T01:00:00Z"), Some("network")),
            link(4, LinkStatus::Active, Some("2026-11-24T10:00:00Z"), Some("rate limited")),
            link(5, LinkStatus::Revoked, None, Some("revoked")),
        ];
        let found = assess(&links, now);
        assert_eq!(found.last_sync, links[0].last_sync_at);
        assert_eq!(found.reauth, vec![LinkId(2)]);
        assert_eq!(found.failing, vec![LinkId(3)]);
    }

    #[test]
    fn tells_once_per_episode() {
        let mut told = HashSet::new();
        assert_eq!(newly(&mut told, &[LinkId(1), LinkId(2)]), vec![LinkId(1), LinkId(2)]);
        assert_eq!(newly(&mut told, &[LinkId(1), LinkId(2)]), vec![]);
        assert_eq!(newly(&mut told, &[LinkId(2)]), vec![]);
        assert_eq!(newly(&mut told, &[LinkId(1), LinkId(2)]), vec![LinkId(1)]);
    }
}
