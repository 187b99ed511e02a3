fn main() {
    // Declaring the app's commands makes Tauri generate one permission per command
    // (`allow-invoke-command`, ...), so capabilities can grant exactly these and nothing else.
    tauri_build::try_build(tauri_build::Attributes::new().app_manifest(tauri_build::AppManifest::new().commands(&[
        "invoke_command",
        "pick_save_path",
        "pick_folder",
    ])))
    .expect("tauri-build failed");
}
