//! User preferences, kept as `settings.json` in the data folder beside the database.

use std::io::Write;
use std::path::Path;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::data_folder::{self, DataFolderStatus};
use super::monthly_export::{self, MonthlyExportSettings, MonthlyExportStatus};
use super::{AppContext, CommandError, RequestError};
pub use crate::i18n::Language;

const FILE_NAME: &str = "settings.json";
/// The shortest polling interval Kura accepts: the federation's API is not for tight loops.
pub const MIN_POLL_MINUTES: u32 = 15;
pub const MAX_POLL_MINUTES: u32 = 24 * 60;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum Theme {
    /// Follow the OS's light/dark preference.
    System,
    Light,
    Dark,
}

/// What the user can change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
pub struct Preferences {
    pub poll_interval_minutes: u32,
    pub language: Language,
    pub theme: Theme,
    /// The scheduled monthly export; off (`null`) unless the user turns it on.
    pub monthly_export: Option<MonthlyExportSettings>,
}

impl Default for Preferences {
    fn default() -> Self {
        Preferences { poll_interval_minutes: 60, language: Language::Ja, theme: Theme::System, monthly_export: None }
    }
}

impl Preferences {
    /// Reads the file in `data_dir`; a missing or unreadable file gives the defaults, so a
    /// damaged settings file never keeps Kura from starting.
    pub fn load(data_dir: &Path) -> Preferences {
        let path = data_dir.join(FILE_NAME);
        match std::fs::read(&path) {
            Ok(bytes) => serde_json::from_slice(&bytes).unwrap_or_else(|e| {
                tracing::warn!(path = %path.display(), error = %e, "ignoring unreadable settings; using defaults");
                Preferences::default()
            }),
            Err(_) => Preferences::default(),
        }
    }

    fn save(&self, data_dir: &Path) -> Result<(), CommandError> {
        let path = data_dir.join(FILE_NAME);
        let json = serde_json::to_vec_pretty(self).expect("preferences serialise");
        crate::export::write_atomically(&path, |w| w.write_all(&json).map_err(Into::into)).map_err(|e| {
            CommandError::SettingsIo { path: path.display().to_string(), source: std::io::Error::other(e) }
        })
    }

    fn validate(&self) -> Result<(), CommandError> {
        if !(MIN_POLL_MINUTES..=MAX_POLL_MINUTES).contains(&self.poll_interval_minutes) {
            return Err(
                RequestError::PollInterval { min_minutes: MIN_POLL_MINUTES, max_hours: MAX_POLL_MINUTES / 60 }.into()
            );
        }
        if let Some(monthly) = &self.monthly_export {
            monthly.validate()?;
        }
        Ok(())
    }
}

/// The language a terminal command speaks, for the data folder `explicit` names (else Kura's
/// usual one): see [`terminal_language`].
pub fn terminal_language_for(explicit: Option<&Path>) -> Language {
    match crate::store::data_dir(explicit) {
        Ok(dir) => terminal_language(&dir),
        Err(_) => Language::of_environment(),
    }
}

/// The language a terminal command speaks: the one chosen in the app's Settings where the
/// person chose one, else the OS locale's.
pub fn terminal_language(data_dir: &Path) -> Language {
    #[derive(Deserialize)]
    struct Chosen {
        language: Option<Language>,
    }
    let chosen = std::fs::read(data_dir.join(FILE_NAME))
        .ok()
        .and_then(|bytes| serde_json::from_slice::<Chosen>(&bytes).ok())
        .and_then(|c| c.language);
    chosen.unwrap_or_else(Language::of_environment)
}

#[derive(Debug, Clone, Default, Deserialize, TS)]
pub struct SettingsGetRequest {}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SettingsResponse {
    pub preferences: Preferences,
    /// Where the data lives, and its move, if one was asked for.
    pub data_folder: DataFolderStatus,
    pub min_poll_minutes: u32,
    pub max_poll_minutes: u32,
    /// The latest check of the monthly export since Kura started (`null` when it is off or not
    /// checked yet): the file written or found, what it waits for, or why it failed.
    pub monthly_export_status: Option<MonthlyExportStatus>,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SettingsSetRequest {
    pub preferences: Preferences,
}

async fn response(ctx: &AppContext, preferences: Preferences) -> SettingsResponse {
    SettingsResponse {
        monthly_export_status: ctx.monthly_export_status().lock().await.clone(),
        preferences,
        data_folder: data_folder::status(ctx),
        min_poll_minutes: MIN_POLL_MINUTES,
        max_poll_minutes: MAX_POLL_MINUTES,
    }
}

pub async fn get(ctx: &AppContext, _req: SettingsGetRequest) -> Result<SettingsResponse, CommandError> {
    Ok(response(ctx, ctx.preferences()).await)
}

pub async fn set(ctx: &AppContext, req: SettingsSetRequest) -> Result<SettingsResponse, CommandError> {
    req.preferences.validate()?;
    req.preferences.save(ctx.data_dir())?;
    let before = ctx.preferences();
    ctx.set_preferences(req.preferences.clone());
    if before.poll_interval_minutes != req.preferences.poll_interval_minutes && ctx.scheduler().is_some() {
        // The scheduler reads its interval when it starts.
        ctx.start_syncing()?;
    }
    if before.monthly_export != req.preferences.monthly_export {
        // Checked at once, so Settings shows what the new choice does (or that it is off).
        monthly_export::run_if_due_now(ctx).await;
    }
    Ok(response(ctx, req.preferences).await)
}
