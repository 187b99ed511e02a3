//! The IPC surface the UI sees: one command that forwards to kura-core's command layer (the
//! same one `kura serve` exposes over HTTP), the OS save dialog for exports and the folder dialog
//! for the monthly export and the data folder.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};
use serde_json::Value;
use tauri::{AppHandle, Manager, State, Wry};
use tauri_plugin_dialog::{DialogExt, FileDialogBuilder, FilePath};

use kura_core::app::{self, AppContext, CommandError, CommandFailure};
use kura_core::i18n::{Args, text};
use kura_core::t;

/// Runs the named command of kura-core's command layer with `args` (its typed request as JSON)
/// and returns its typed response, or its `CommandError` as the rejected value.
#[tauri::command]
pub async fn invoke_command(
    ctx: State<'_, AppContext>,
    name: String,
    args: Option<Value>,
) -> Result<Value, CommandError> {
    app::dispatch(&ctx, &name, args.unwrap_or(Value::Null)).await
}

/// A file type the save dialog offers.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SaveFilter {
    pub name: String,
    pub extensions: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SaveRequest {
    pub title: Option<String>,
    pub default_file_name: Option<String>,
    #[serde(default)]
    pub filters: Vec<SaveFilter>,
}

/// Where the user chose (a file to save, or a folder), or nothing when they cancelled.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Choice {
    pub path: Option<PathBuf>,
}

/// Shows the OS save dialog (for exports) and returns the chosen path. The UI then asks the
/// command layer to write the export there, so the webview itself never touches the file system.
#[tauri::command]
pub async fn pick_save_path(app: AppHandle, request: SaveRequest) -> Result<Choice, DialogError> {
    let mut dialog = file_dialog(&app, request.title.as_deref());
    if let Some(name) = &request.default_file_name {
        dialog = dialog.set_file_name(name);
    }
    for f in &request.filters {
        let exts: Vec<&str> = f.extensions.iter().map(String::as_str).collect();
        dialog = dialog.add_filter(&f.name, &exts);
    }
    let (tx, rx) = tokio::sync::oneshot::channel();
    dialog.save_file(move |path| {
        let _ = tx.send(path);
    });
    choice(&app, rx, "dialog-save-closed").await
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FolderRequest {
    pub title: Option<String>,
}

/// Shows the OS folder dialog (for the monthly export's folder and a new data folder) and
/// returns the chosen folder; the command that takes it checks that Kura can use it.
#[tauri::command]
pub async fn pick_folder(app: AppHandle, request: FolderRequest) -> Result<Choice, DialogError> {
    let (tx, rx) = tokio::sync::oneshot::channel();
    file_dialog(&app, request.title.as_deref()).pick_folder(move |path| {
        let _ = tx.send(path);
    });
    choice(&app, rx, "dialog-folder-closed").await
}

/// A file or folder dialog titled `title`, opening in [`starting_folder`].
fn file_dialog(app: &AppHandle, title: Option<&str>) -> FileDialogBuilder<Wry> {
    let mut dialog = app.dialog().file();
    if let Some(title) = title {
        dialog = dialog.set_title(title);
    }
    if let Some(folder) = starting_folder(app) {
        dialog = dialog.set_directory(folder);
    }
    dialog
}

/// The dialog's answer as a [`Choice`], or why there is none: the dialog closed without one (the
/// catalog's message `closed`), or the place chosen cannot be used.
async fn choice(
    app: &AppHandle,
    answer: tokio::sync::oneshot::Receiver<Option<FilePath>>,
    closed: &str,
) -> Result<Choice, DialogError> {
    let lang = app.state::<AppContext>().language();
    let answer = answer.await.map_err(|_| DialogError(text(lang, closed, &Args::new())))?;
    let path = answer
        .map(|p| p.into_path())
        .transpose()
        .map_err(|e| DialogError(format!("{} ({e})", t!(lang, "dialog-unusable"))))?;
    Ok(Choice { path })
}

/// Why a dialog gave no usable answer, in the app's language; crosses IPC as a command failure
/// of kind `invalid`.
#[derive(Debug)]
pub struct DialogError(String);

impl Serialize for DialogError {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        CommandFailure::invalid(self.0.clone()).serialize(serializer)
    }
}

/// Where the OS dialogs open: Documents, else the home folder. Without an existing folder GTK's
/// chooser opens on "Recent", where a typed path does nothing until a place is clicked.
fn starting_folder(app: &AppHandle) -> Option<std::path::PathBuf> {
    [app.path().document_dir(), app.path().home_dir()].into_iter().flatten().find(|dir| dir.is_dir())
}
