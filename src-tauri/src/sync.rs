//! The scheduler while the app is open, "Sync now" from the tray, and what the UI and the
//! person are told when a sync finishes.

use serde_json::Value;
use tauri::{AppHandle, Emitter, Manager};
use tauri_plugin_notification::NotificationExt;

use kura_core::commands::sync::SyncReports;
use kura_core::commands::{self, AppContext};

use crate::{monthly, watch};

/// The event the UI hears after every finished sync of a link: the scheduler's `LinkReport`
/// (camelCase JSON), so it can refresh what it shows.
pub const SYNC_REPORT_EVENT: &str = "kura://sync-report";

/// Starts kura-core's scheduler (syncs now, then on the interval from the settings) and relays
/// each report to the UI, the tray and the notifications.
pub fn start(app: AppHandle) {
    tauri::async_runtime::spawn(async move {
        let ctx = app.state::<AppContext>().inner().clone();
        let started = ctx.start_syncing();
        // Once the scheduler exists, so the monthly export can follow its syncs.
        monthly::start(app.clone());
        if let Err(e) = started {
            tracing::error!(error = %e, "syncing cannot start; cached data is still shown");
            notify(&app, "同期を開始できません / Syncing cannot start", &e.to_string());
            return;
        }
        // Follows the scheduler when a new polling interval restarts it.
        let mut reports = SyncReports::new(&ctx);
        while let Some(report) = reports.next().await {
            // Missed reports only mean a refresh is due, which the check brings.
            if let Ok(report) = report
                && let Err(e) = app.emit(SYNC_REPORT_EVENT, &*report)
            {
                tracing::warn!(error = %e, "cannot tell the UI about a finished sync");
            }
            watch::check_now(&app).await;
        }
    });
}

/// Tray "Sync now": asks the scheduler to sync every active link at once.
pub fn sync_now(app: AppHandle) {
    tauri::async_runtime::spawn(async move {
        let ctx = app.state::<AppContext>().inner().clone();
        if let Err(e) = commands::dispatch(&ctx, "syncNow", Value::Null).await {
            tracing::warn!(error = %e, "sync from the tray failed");
            notify(&app, "同期できません / Cannot sync", &e.to_string());
        }
    });
}

pub(crate) fn notify(app: &AppHandle, title: &str, body: &str) {
    if let Err(e) = app.notification().builder().title(title).body(body).show() {
        tracing::warn!(error = %e, "cannot show a notification");
    }
}
