//! Looks at the store for what the person should hear about outside the window — kura-core's
//! alert policy decides what and in which words — and shows it: the last sync time in the tray,
//! the rest as OS notifications. It looks after every sync this app makes, and on a timer so
//! syncs by the CLI (or `kura serve`) against the same database are seen too.

use std::time::Duration;

use chrono::Utc;
use kura_core::app::AppContext;
use tauri::{AppHandle, Manager};

use crate::{notify, tray};

/// How often the store is looked at.
const INTERVAL: Duration = Duration::from_secs(60);

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
    let check = match tauri::async_runtime::spawn_blocking(move || ctx.check_alerts(Utc::now())).await {
        Ok(Ok(check)) => check,
        Ok(Err(e)) => {
            tracing::warn!(error = %e, "cannot read the links for the tray and notifications");
            return;
        }
        Err(e) => {
            tracing::warn!(error = %e, "the store check did not finish");
            return;
        }
    };
    tray::refresh(app, check.last_sync);
    for alert in &check.alerts {
        notify::show(app, &alert.title, &alert.body);
    }
}
