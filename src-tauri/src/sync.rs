//! The scheduler while the app is open, and what the UI and the person hear when a sync ends.

use kura_core::app::AppContext;
use kura_core::app::sync::SyncReports;
use kura_core::i18n::Explain;
use kura_core::t;
use tauri::{AppHandle, Emitter, Manager};

use crate::{monthly, notify, watch};

/// The event the UI hears after every finished sync of a link: the scheduler's `LinkReport`
/// (camelCase JSON), so it can refresh what it shows.
pub const SYNC_REPORT_EVENT: &str = "kura://sync-report";

/// Starts kura-core's scheduler (syncs now, then on the interval from the settings) and the
/// monthly export that follows it, and relays each report to the UI, the tray and the
/// notifications.
pub fn start(app: AppHandle) {
    tauri::async_runtime::spawn(async move {
        let ctx = app.state::<AppContext>().inner().clone();
        let started = ctx.start_syncing();
        // Once the scheduler exists, so the monthly export can follow its syncs.
        monthly::start(app.clone());
        if let Err(e) = started {
            tracing::error!(error = %e, "syncing cannot start; cached data is still shown");
            let lang = ctx.language();
            notify::show(&app, &t!(lang, "notify-sync-cannot-start"), &e.explain(lang).summary());
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
