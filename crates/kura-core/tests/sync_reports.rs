//! The shells' view of syncing: `SyncReports` hears every finished sync, also from the scheduler a
//! new polling interval restarts (the desktop's UI refresh, tray and monthly export follow it), and
//! ends when syncing stops. A link whose profile is unknown fails at once, without a network.

use std::time::Duration;

use chrono::Utc;
use kura_core::app::sync::SyncReports;
use kura_core::app::{AppContext, dispatch};
use kura_core::store::Store;
use kura_core::testing::{BANK_CODE, new_link};
use serde_json::json;

/// A deadline only so a hang fails instead of blocking CI; no timing is asserted.
async fn next(reports: &mut SyncReports) -> Option<Result<std::sync::Arc<kura_core::sync::LinkReport>, u64>> {
    tokio::time::timeout(Duration::from_secs(60), reports.next()).await.expect("a report or the end")
}

#[tokio::test]
async fn reports_follow_a_restarted_scheduler_and_end_when_syncing_stops() {
    let data = tempfile::tempdir().unwrap();
    let config = tempfile::tempdir().unwrap();
    // SAFETY: the only test of this binary, set before any task that reads the environment.
    unsafe { std::env::set_var("KURA_CONFIG_DIR", config.path()) };
    Store::open(Some(data.path())).unwrap().add_link(&new_link(BANK_CODE, "no-such-profile"), Utc::now()).unwrap();
    let ctx = AppContext::open(data.path().to_owned()).unwrap();

    let mut never_started = SyncReports::new(&ctx);
    assert!(next(&mut never_started).await.is_none(), "no scheduler: no reports");

    ctx.start_syncing().unwrap();
    let mut reports = SyncReports::new(&ctx);
    assert!(matches!(next(&mut reports).await, Some(Ok(_))), "the first sync's report");

    // A new interval restarts the scheduler, which syncs at once: the same listener hears it.
    dispatch(&ctx, "settingsSet", json!({"preferences": {"pollIntervalMinutes": 30}})).await.unwrap();
    assert!(matches!(next(&mut reports).await, Some(Ok(_))), "the restarted scheduler's report");

    ctx.stop_syncing();
    while let Some(report) = next(&mut reports).await {
        assert!(report.is_ok(), "only reports already sent come before the end");
    }
}
