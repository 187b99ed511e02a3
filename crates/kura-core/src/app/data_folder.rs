//! The data folder in Settings: where it is, moving it (done at the next start, see
//! [`crate::store::location`]), and how the move at this start went.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{AppContext, CommandError, CommandFailure};
use crate::store::location;

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DataFolderStatus {
    /// Where the database, the settings and the keyring namespace live.
    pub path: String,
    pub database_file: String,
    /// False when Kura was started with `--data-dir` / `KURA_DATA_DIR`: that decides the folder.
    pub movable: bool,
    /// The folder the data moves to when Kura starts next, if a move was asked for.
    pub pending_move: Option<String>,
    /// The move done (or failed) when Kura started, if one was asked for.
    pub last_move: Option<DataFolderMoved>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase", rename_all_fields = "camelCase", tag = "state")]
pub enum DataFolderMoved {
    /// Everything moved from `from`, which is gone.
    Moved { from: String },
    /// Nothing moved; the data is where it was.
    Failed { error: CommandFailure },
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DataFolderMoveRequest {
    /// The folder to move the data to at the next start: a new or empty folder, given as a full
    /// path. `null` withdraws a move asked for earlier.
    pub folder: Option<String>,
}

pub(super) fn status(ctx: &AppContext) -> DataFolderStatus {
    let config = ctx.movable_with();
    DataFolderStatus {
        path: ctx.data_dir().display().to_string(),
        database_file: ctx.database_file().display().to_string(),
        movable: config.is_some(),
        pending_move: config.and_then(location::pending_move).map(|p| p.display().to_string()),
        last_move: ctx.last_move().cloned(),
    }
}

pub async fn move_folder(ctx: &AppContext, req: DataFolderMoveRequest) -> Result<DataFolderStatus, CommandError> {
    let config = ctx.movable_with().ok_or(location::MoveError::Explicit)?;
    match req.folder.as_deref().map(str::trim) {
        Some(folder) => location::request_move(config, ctx.data_dir(), folder.as_ref())?,
        None => location::cancel_move(config)?,
    }
    Ok(status(ctx))
}
