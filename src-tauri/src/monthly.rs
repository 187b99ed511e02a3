//! The monthly export while the app is open: kura-core checks it at start and after every
//! finished sync; a file written or a new failure becomes a notification (Settings shows the
//! latest outcome either way).

use tauri::{AppHandle, Manager};

use kura_core::commands::AppContext;
use kura_core::commands::monthly_export::{self, MonthlyExportOutcome};

use crate::sync::notify;

/// Checks now and follows the scheduler [`crate::sync::start`] started, until syncing stops.
pub fn start(app: AppHandle) {
    tauri::async_runtime::spawn(async move {
        let ctx = app.state::<AppContext>().inner().clone();
        monthly_export::follow_syncs(ctx, |run| match &run.status.outcome {
            MonthlyExportOutcome::Written { path, rows } => notify(
                &app,
                "毎月の自動書き出し / Monthly export",
                &format!(
                    "{} 月分を保存しました（{rows} 件）/ Saved {} ({rows} rows): {path}",
                    run.status.month, run.status.month
                ),
            ),
            MonthlyExportOutcome::Failed { error } => {
                notify(&app, "毎月の自動書き出しに失敗しました / Monthly export failed", &error.message)
            }
            _ => {}
        })
        .await;
    });
}
