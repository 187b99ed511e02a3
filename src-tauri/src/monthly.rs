//! The monthly export while the app is open: kura-core checks it at start and after every
//! finished sync; a file written or a new failure becomes a notification (Settings shows the
//! latest outcome either way).

use kura_core::app::AppContext;
use kura_core::app::monthly_export::{self, MonthlyExportOutcome};
use kura_core::t;
use tauri::{AppHandle, Manager};

use crate::notify;

/// Checks now and follows the scheduler `crate::sync::start` started, until syncing stops.
pub fn start(app: AppHandle) {
    tauri::async_runtime::spawn(async move {
        let ctx = app.state::<AppContext>().inner().clone();
        monthly_export::follow_syncs(ctx.clone(), |run| {
            let lang = ctx.language();
            let month = monthly_export::month_label(lang, &run.status.month);
            match &run.status.outcome {
                MonthlyExportOutcome::Written { path, rows } => notify::show(
                    &app,
                    &t!(lang, "notify-monthly-written-title"),
                    &t!(lang, "notify-monthly-written-body", month, rows = *rows, path = path.as_str()),
                ),
                MonthlyExportOutcome::Failed { error } => {
                    let folder = ctx.preferences().monthly_export.map(|m| m.folder).unwrap_or_default();
                    let detail = error.message.as_str();
                    notify::show(
                        &app,
                        &t!(lang, "notify-monthly-failed-title"),
                        &t!(lang, "notify-monthly-failed-body", month, folder, detail),
                    )
                }
                _ => {}
            }
        })
        .await;
    });
}
