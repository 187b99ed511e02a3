//! The floor under Kura's desktop memory: a Tauri 2 window as large as Kura's, with the same
//! WebKitGTK settings (the shell's own `webview` module), showing one static page from a custom
//! protocol as Kura's UI comes from one. `scripts/bench-ui` measures it beside kura-desktop, so
//! docs/PERFORMANCE.md can say what Kura adds and what WebKitGTK costs anyway.

#[path = "../src/webview.rs"]
mod webview;

const PAGE: &str = "<!doctype html><html lang=\"ja\"><meta charset=\"utf-8\"><title>floor</title><p>蔵</p></html>";

fn main() {
    webview::configure_process();
    tauri::Builder::default()
        .register_uri_scheme_protocol("floor", |_, _| {
            tauri::http::Response::builder()
                .header("Content-Type", "text/html; charset=utf-8")
                .body(PAGE.as_bytes().to_vec())
                .expect("a static response")
        })
        .setup(|app| {
            let url = tauri::WebviewUrl::CustomProtocol("floor://localhost/".parse()?);
            let window =
                tauri::WebviewWindowBuilder::new(app, "main", url).title("floor").inner_size(1200.0, 800.0).build()?;
            webview::tune(&window)?;
            Ok(())
        })
        .run(tauri::generate_context!())
        .expect("the floor window runs");
}
