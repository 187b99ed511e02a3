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
        monthly_export::follow_syncs(ctx.clone(), |run| {
            let month = month_ja(&run.status.month);
            match &run.status.outcome {
                MonthlyExportOutcome::Written { path, rows } => notify(
                    &app,
                    "毎月の自動書き出し / Monthly export",
                    &format!("{month}分を保存しました（{rows} 件）/ Saved {} ({rows} rows): {path}", run.status.month),
                ),
                MonthlyExportOutcome::Failed { error } => {
                    // The core's message is English; the person is told in Japanese what to do.
                    let folder = ctx.preferences().monthly_export.map(|m| m.folder).unwrap_or_default();
                    notify(
                        &app,
                        "毎月の自動書き出しに失敗しました / Monthly export failed",
                        &format!(
                            "{month}分を保存できませんでした。保存先フォルダー {folder} があり書き込めるかを確かめるか、\
                             Kura の「設定」→「毎月の自動書き出し」で別のフォルダーを選んでください。\
                             次の同期のあとにもう一度試します。/ {}",
                            error.message
                        ),
                    )
                }
                _ => {}
            }
        })
        .await;
    });
}

/// `2026-10` as `2026年10月`.
fn month_ja(month: &str) -> String {
    match month.split_once('-') {
        Some((year, m)) => format!("{year}年{}月", m.trim_start_matches('0')),
        None => month.to_owned(),
    }
}
