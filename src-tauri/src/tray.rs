//! The tray icon: sync now, the last sync time, open, quit.

use tauri::menu::{Menu, MenuItem, PredefinedMenuItem};
use tauri::tray::TrayIconBuilder;
use tauri::{AppHandle, Manager, Wry};

use crate::sync;

/// The tray's menu item that shows the last sync time; the watcher updates its text.
pub struct LastSyncItem(pub MenuItem<Wry>);

pub fn install(app: &AppHandle) -> tauri::Result<()> {
    let sync_now = MenuItem::with_id(app, "sync", "今すぐ同期 / Sync now", true, None::<&str>)?;
    let last_sync = MenuItem::with_id(app, "last-sync", last_sync_label(None).as_str(), false, None::<&str>)?;
    let open = MenuItem::with_id(app, "open", "開く / Open", true, None::<&str>)?;
    let quit = MenuItem::with_id(app, "quit", "終了 / Quit", true, None::<&str>)?;
    let separator = PredefinedMenuItem::separator(app)?;
    let menu = Menu::with_items(app, &[&sync_now, &last_sync, &separator, &open, &quit])?;

    let mut tray = TrayIconBuilder::with_id("kura").tooltip("Kura").menu(&menu).show_menu_on_left_click(true);
    if let Some(icon) = app.default_window_icon() {
        tray = tray.icon(icon.clone());
    }
    tray.on_menu_event(|app, event| match event.id().as_ref() {
        "sync" => sync::sync_now(app.clone()),
        "open" => show_main_window(app),
        "quit" => app.exit(0),
        _ => {}
    })
    .build(app)?;
    app.manage(LastSyncItem(last_sync));
    Ok(())
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
pub fn last_sync_label(at: Option<chrono::DateTime<chrono::Utc>>) -> String {
    match at {
        None => "最終同期: まだありません / Last sync: never".to_owned(),
        Some(at) => {
            let jst = at.with_timezone(&chrono::FixedOffset::east_opt(9 * 3600).expect("JST is a valid offset"));
            format!("最終同期 / Last sync: {}", jst.format("%Y/%m/%d %H:%M"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_the_last_sync_in_jst() {
        assert_eq!(last_sync_label(None), "最終同期: まだありません / Last sync: never");
        let at = chrono::DateTime::parse_from_rfc3339("2026-11-24T15:30:00Z").unwrap().to_utc();
        assert_eq!(last_sync_label(Some(at)), "最終同期 / Last sync: 2026/11/25 00:30");
    }
}
