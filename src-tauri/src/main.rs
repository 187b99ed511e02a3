//! Kura's desktop app: a thin Tauri shell around kura-core. The window shows the web UI in
//! `ui/`; every request it makes goes through one IPC command into kura-core's command layer,
//! the same layer `kura serve` exposes over HTTP.

// Release builds on Windows get no console window.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

mod ipc;
mod monthly;
mod notify;
mod sync;
mod tray;
mod watch;
mod webview;

use std::path::PathBuf;

use anyhow::Context as _;
use kura_core::app::AppContext;
use kura_core::oauth::{Browser, Opener};
use tauri::{Manager, WindowEvent};
use tauri_plugin_opener::OpenerExt;

fn main() -> anyhow::Result<()> {
    webview::configure_process();
    // `KURA_DATA_DIR` when set (the CLI honours it too, so both share one database), else where
    // Settings moved the data (a move asked for is done here), else the platform's data folder.
    let explicit = std::env::var_os("KURA_DATA_DIR").filter(|v| !v.is_empty()).map(PathBuf::from);
    let ctx = AppContext::start(explicit).context("cannot open Kura's data")?;

    tauri::Builder::default()
        // First, so a second launch hands over to the running app before anything else starts.
        .plugin(tauri_plugin_single_instance::init(|app, _argv, _cwd| tray::show_main_window(app)))
        .plugin(tauri_plugin_window_state::Builder::default().build())
        .plugin(tauri_plugin_notification::init())
        .plugin(tauri_plugin_dialog::init())
        // Only the shell opens URLs (the union's login page, for linking); the UI's links are
        // not handed to the opener, and the webview has no opener permission.
        .plugin(tauri_plugin_opener::Builder::new().open_js_links_on_click(false).build())
        .manage(ctx)
        .invoke_handler(tauri::generate_handler![ipc::invoke_command, ipc::pick_save_path, ipc::pick_folder])
        .setup(|app| {
            let opener = app.handle().clone();
            app.state::<AppContext>()
                .set_system_browser(Browser::Opener(Opener::new("the desktop's default browser", move |url: &str| {
                    opener.opener().open_url(url, None::<&str>).map_err(|e| e.to_string())
                })));
            open_main_window(app.handle())?;
            tray::install(app.handle())?;
            sync::start(app.handle().clone());
            watch::start(app.handle().clone());
            Ok(())
        })
        .on_window_event(|window, event| {
            // Closing the window keeps Kura in the tray so scheduled syncs go on; "Quit" ends it.
            if let WindowEvent::CloseRequested { api, .. } = event
                && window.app_handle().tray_by_id("kura").is_some()
            {
                api.prevent_close();
                let _ = window.hide();
            }
        })
        .run(tauri::generate_context!())
        .context("the desktop app stopped with an error")
}

/// Creates the main window from its configuration (tauri.conf.json has `"create": false` so
/// it can be given a new-window handler here). Links the UI opens in a new window (the union's
/// login page, offered in case the browser did not open) go to the default browser through the
/// opener; the webview never opens a window or loads a page from outside.
fn open_main_window(app: &tauri::AppHandle) -> anyhow::Result<()> {
    let config = app
        .config()
        .app
        .windows
        .iter()
        .find(|w| w.label == "main")
        .context("tauri.conf.json has no main window")?
        .clone();
    let opener = app.clone();
    let window = tauri::WebviewWindowBuilder::from_config(app, &config)?
        .on_new_window(move |url, _features| {
            if matches!(url.scheme(), "http" | "https")
                && let Err(e) = opener.opener().open_url(url.as_str(), None::<&str>)
            {
                tracing::warn!(error = %e, "cannot open a link in the default browser");
            }
            tauri::webview::NewWindowResponse::Deny
        })
        .build()?;
    webview::tune(&window)?;
    Ok(())
}
