//! The tray icon: sync now, the last sync time, open, quit — in the app's language.

use chrono::{DateTime, Utc};
use kura_core::app::{self, AppContext};
use kura_core::format::jst_datetime;
use kura_core::i18n::{Explain, Language};
use kura_core::t;
use tauri::menu::{Menu, MenuItem, PredefinedMenuItem};
use tauri::tray::TrayIconBuilder;
use tauri::{AppHandle, Manager, Wry};

use crate::notify;

/// The tray menu's items, whose texts follow the language and the last sync.
struct Items {
    sync_now: MenuItem<Wry>,
    last_sync: MenuItem<Wry>,
    open: MenuItem<Wry>,
    quit: MenuItem<Wry>,
}

pub fn install(app: &AppHandle) -> tauri::Result<()> {
    let lang = app.state::<AppContext>().language();
    let sync_now = MenuItem::with_id(app, "sync", t!(lang, "tray-sync-now"), true, None::<&str>)?;
    let last_sync = MenuItem::with_id(app, "last-sync", last_sync_label(lang, None), false, None::<&str>)?;
    let open = MenuItem::with_id(app, "open", t!(lang, "tray-open"), true, None::<&str>)?;
    let quit = MenuItem::with_id(app, "quit", t!(lang, "tray-quit"), true, None::<&str>)?;
    let separator = PredefinedMenuItem::separator(app)?;
    let menu = Menu::with_items(app, &[&sync_now, &last_sync, &separator, &open, &quit])?;

    let mut tray = TrayIconBuilder::with_id("kura").tooltip("Kura").menu(&menu).show_menu_on_left_click(true);
    if let Some(icon) = app.default_window_icon() {
        tray = tray.icon(icon.clone());
    }
    tray.on_menu_event(|app, event| match event.id().as_ref() {
        "sync" => request_sync(app.clone()),
        "open" => show_main_window(app),
        "quit" => app.exit(0),
        _ => {}
    })
    .build(app)?;
    app.manage(Items { sync_now, last_sync, open, quit });
    Ok(())
}

/// Brings the menu up to date: the last sync time, and every text in the app's language (which
/// Settings may have changed).
pub fn refresh(app: &AppHandle, last_sync: Option<DateTime<Utc>>) {
    let Some(items) = app.try_state::<Items>() else { return };
    let lang = app.state::<AppContext>().language();
    for (item, text) in [
        (&items.sync_now, t!(lang, "tray-sync-now")),
        (&items.last_sync, last_sync_label(lang, last_sync)),
        (&items.open, t!(lang, "tray-open")),
        (&items.quit, t!(lang, "tray-quit")),
    ] {
        if let Err(e) = item.set_text(text) {
            tracing::warn!(error = %e, "cannot update the tray menu");
        }
    }
}

/// "Sync now": asks the scheduler to sync every active link at once.
fn request_sync(app: AppHandle) {
    tauri::async_runtime::spawn(async move {
        let ctx = app.state::<AppContext>().inner().clone();
        if let Err(e) = app::sync::sync_now(&ctx, app::sync::SyncNowRequest::default()).await {
            tracing::warn!(error = %e, "sync from the tray failed");
            let lang = ctx.language();
            notify::show(&app, &t!(lang, "notify-cannot-sync"), &e.explain(lang).summary());
        }
    });
}

/// Shows, unminimises and focuses the main window (tray "Open", or a second launch).
pub fn show_main_window(app: &AppHandle) {
    if let Some(window) = app.get_webview_window("main") {
        // Failing to raise a window is cosmetic; the app keeps running either way.
        let _ = window.show();
        let _ = window.unminimize();
        let _ = window.set_focus();
    }
}

/// The menu text for the last successful sync of any link, in JST.
fn last_sync_label(lang: Language, at: Option<DateTime<Utc>>) -> String {
    match at {
        None => t!(lang, "tray-last-sync-never"),
        Some(at) => t!(lang, "tray-last-sync", at = jst_datetime(at)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_the_last_sync_in_jst() {
        assert_eq!(last_sync_label(Language::Ja, None), "最終同期: まだありません");
        assert_eq!(last_sync_label(Language::En, None), "Last sync: never");
        let at = chrono::DateTime::parse_from_rfc3339("2026-11-24T15:30:00Z").unwrap().to_utc();
        assert_eq!(last_sync_label(Language::Ja, Some(at)), "最終同期: 2026/11/25 00:30");
        assert_eq!(last_sync_label(Language::En, Some(at)), "Last sync: 2026/11/25 00:30");
    }
}
