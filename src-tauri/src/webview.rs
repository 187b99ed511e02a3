//! WebKitGTK settings for Kura's one window. Measured in docs/PERFORMANCE.md ("Desktop app and
//! UI"): what each changes in memory and scrolling, and what was tried and left out.

/// Sets WebKit's process-wide environment, which its web process inherits. Call first thing in
/// `main`, before any thread exists. A user's own setting of either variable wins.
///
/// - Without a GPU render node, WebKitGTK's DMA-BUF renderer falls back to a slow software path:
///   the history scrolls at a few frames a second and the web process takes 90–180 MiB more. Its
///   plain renderer is smooth there.
/// - JavaScriptCore's optimising DFG (and so FTL) tier costs ~40 MiB after a long scroll through
///   the history and ~3 MiB at the dashboard; the UI's scripts are light enough that the baseline
///   JIT draws each frame in the same CPU time.
pub fn configure_process() {
    #[cfg(target_os = "linux")]
    {
        if !has_render_node() {
            set_default("WEBKIT_DISABLE_DMABUF_RENDERER", "1");
        }
        set_default("JSC_useDFGJIT", "false");
    }
}

#[cfg(target_os = "linux")]
fn set_default(var: &str, value: &str) {
    if std::env::var_os(var).is_none() {
        // SAFETY: configure_process runs first thing in main, before any thread exists that could
        // read the environment.
        unsafe { std::env::set_var(var, value) };
    }
}

#[cfg(target_os = "linux")]
fn has_render_node() -> bool {
    std::fs::read_dir("/dev/dri")
        .map(|dir| dir.flatten().any(|e| e.file_name().to_string_lossy().starts_with("renderD")))
        .unwrap_or(false)
}

/// Trims the window's WebKit to what a single-page app reading its own bundled files needs.
pub fn tune(window: &tauri::WebviewWindow) -> tauri::Result<()> {
    #[cfg(target_os = "linux")]
    window.with_webview(|webview| {
        use webkit2gtk::{CacheModel, SettingsExt, WebContextExt, WebViewExt};
        let view = webview.inner();
        // The UI is one document loaded once from the app's own protocol: no back/forward page
        // cache and the smallest memory cache (WebKit's model for a local document viewer).
        if let Some(context) = view.context() {
            context.set_cache_model(CacheModel::DocumentViewer);
        }
        if let Some(settings) = WebViewExt::settings(&view) {
            settings.set_enable_page_cache(false);
            // wry turns these on for every app; Kura draws its charts in SVG and plays no sound.
            settings.set_enable_webgl(false);
            settings.set_enable_webaudio(false);
        }
    })?;
    #[cfg(not(target_os = "linux"))]
    let _ = window;
    Ok(())
}
