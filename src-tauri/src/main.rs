//! Kura's desktop app: a thin Tauri shell around kura-core. The window shows the web UI in
//! `ui/`; every request it makes goes through one IPC command into kura-core's command layer,
//! the same layer `kura serve` exposes over HTTP.

// Release builds on Windows get no console window.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

mod consent;
mod ipc;
mod monthly;
mod sync;
mod tray;
mod watch;

use std::path::PathBuf;

use anyhow::Context as _;
use kura_core::commands::AppContext;
use kura_core::oauth::{Browser, Opener};
use tauri::{Manager, WindowEvent};
use tauri_plugin_opener::OpenerExt;

fn main() -> anyhow::Result<()> {
    software_rendering_fallback();
    let data_dir = data_dir()?;
    let ctx = AppContext::open(data_dir.clone())
        .with_context(|| format!("cannot open Kura's data in {}", data_dir.display()))?;

    tauri::Builder::default()
        // First, so a second launch hands over to the running app before anything else starts.
        .plugin(tauri_plugin_single_instance::init(|app, _argv, _cwd| tray::show_main_window(app)))
        .plugin(tauri_plugin_window_state::Builder::default().build())
        .plugin(tauri_plugin_notification::init())
        .plugin(tauri_plugin_dialog::init())
        // Only the shell opens URLs (the union's login page, for linking); the UI's links are
        // not handed to the opener, and the webview has no opener permission.
        .plugin(tauri_plugin_opener::Builder::new().open_js_links_on_click(false).build())
        .manage(consent::Reminders::load(&ctx))
        .manage(ctx)
        .manage(watch::Watcher::default())
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
    tauri::WebviewWindowBuilder::from_config(app, &config)?
        .on_new_window(move |url, _features| {
            if matches!(url.scheme(), "http" | "https")
                && let Err(e) = opener.opener().open_url(url.as_str(), None::<&str>)
            {
                tracing::warn!(error = %e, "cannot open a link in the default browser");
            }
            tauri::webview::NewWindowResponse::Deny
        })
        .build()?;
    Ok(())
}

/// `KURA_DATA_DIR` when set (the CLI honours it too, so both share one database), else the
/// platform's data folder.
fn data_dir() -> anyhow::Result<PathBuf> {
    let explicit = std::env::var_os("KURA_DATA_DIR").filter(|v| !v.is_empty()).map(PathBuf::from);
    kura_core::store::data_dir(explicit.as_deref()).context("cannot find a folder for Kura's data")
}

/// Without a GPU render node, WebKitGTK's DMA-BUF renderer falls back to a slow software path:
/// the history scrolls at a few frames a second and the web process takes 90–180 MiB more
/// (docs/PERFORMANCE.md). Its plain renderer is smooth there. A user's own setting wins.
fn software_rendering_fallback() {
    #[cfg(target_os = "linux")]
    {
        const VAR: &str = "WEBKIT_DISABLE_DMABUF_RENDERER";
        let has_render_node = std::fs::read_dir("/dev/dri")
            .map(|dir| dir.flatten().any(|e| e.file_name().to_string_lossy().starts_with("renderD")))
            .unwrap_or(false);
        if !has_render_node && std::env::var_os(VAR).is_none() {
            // SAFETY: first thing in main, before any thread exists that could read the environment.
            unsafe { std::env::set_var(VAR, "1") };
        }
    }
}
