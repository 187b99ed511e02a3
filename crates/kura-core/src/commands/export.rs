//! Exports from the UI: the format and filters the dialog chose, written atomically to a file —
//! the path the OS save dialog returned in the desktop app, or the temporary file `kura serve`
//! then hands to the browser as a download. A request without a path (an API client's) writes a
//! new file in the Downloads folder.

use std::path::PathBuf;

use chrono::{NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::history::Flow;
use super::{AppContext, CommandError};
use crate::export::store::{Direction, ExportFilter, export_from_store};
use crate::export::{Encoding, ExportError, ExportOptions, Format, Lang, Unmappable, write_atomically};
use crate::format::jst_date;

/// The core's one list of formats, under the name the UI's bindings know it by.
pub use crate::export::Format as ExportFormat;

/// What `replace_unmappable` writes: the geta mark, Japanese typesetting's sign for a character
/// that could not be set (and the CLI's default for `--replace-unmappable`).
const UNMAPPABLE_REPLACEMENT: char = '〓';

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ExportRequest {
    pub format: ExportFormat,
    /// CSV only: Shift_JIS (CP932) for older Excel and kakeibo apps instead of UTF-8 with BOM.
    #[serde(default)]
    pub shift_jis: bool,
    /// With Shift_JIS: write 〓 for a character Shift_JIS cannot hold (an emoji, say) instead of
    /// failing on it.
    #[serde(default)]
    pub replace_unmappable: bool,
    /// Local account ids; empty exports every visible account.
    #[serde(default)]
    pub accounts: Vec<i64>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub flow: Option<Flow>,
    /// Column headers in English instead of Japanese.
    #[serde(default)]
    pub english: bool,
    /// Where to write; absent: a new file in the Downloads folder.
    pub destination: Option<String>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ExportResponse {
    pub path: String,
    pub rows: u64,
    pub accounts: u32,
}

pub async fn export(ctx: &AppContext, req: ExportRequest) -> Result<ExportResponse, CommandError> {
    if let (Some(from), Some(to)) = (req.from, req.to)
        && from > to
    {
        return Err(CommandError::Invalid(format!("the start date {from} is after the end date {to}")));
    }
    let options = ExportOptions {
        lang: if req.english { Lang::En } else { Lang::Ja },
        encoding: if req.shift_jis { Encoding::Cp932 } else { Encoding::Utf8Bom },
        unmappable: if req.replace_unmappable {
            Unmappable::Replace(UNMAPPABLE_REPLACEMENT)
        } else {
            Unmappable::Error
        },
        ..ExportOptions::new(req.format)
    };
    let path = match &req.destination {
        Some(p) if !p.trim().is_empty() => PathBuf::from(p),
        _ => default_destination(options.format)?,
    };
    let filter = ExportFilter {
        accounts: req.accounts.iter().map(i64::to_string).collect(),
        from: req.from,
        to: req.to,
        direction: match req.flow {
            None => Direction::All,
            Some(Flow::In) => Direction::In,
            Some(Flow::Out) => Direction::Out,
        },
    };
    // Its own connection, so a long export does not hold up the UI's queries.
    let store = crate::store::Store::open_file(ctx.database_file())?;
    let summary = tokio::task::spawn_blocking({
        let path = path.clone();
        move || write_atomically(&path, |out| export_from_store(&store, &filter, &options, out))
    })
    .await
    .expect("the export task does not panic")
    .map_err(|e| match e {
        // The core's message names the CLI's flag; here the user has the dialog's choices.
        ExportError::Unmappable { row, date, account, field, ch } => CommandError::Invalid(format!(
            "row {row} ({date}, account {account}): the {field} contains {ch:?} (U+{code:04X}), which Shift_JIS \
             (CP932) cannot hold; choose CSV (UTF-8) instead, or tick \"Replace characters Shift_JIS cannot \
             hold\" (Shift_JIS で表せない文字を置き換える) to write {UNMAPPABLE_REPLACEMENT} in its place",
            code = ch as u32
        )),
        // What was asked cannot be written (a character, an amount, a name, an account): the
        // choice needs changing, not the destination, so the UI advises that.
        ExportError::BadReplacement(_)
        | ExportError::AmountTooLarge { .. }
        | ExportError::SheetFull { .. }
        | ExportError::InvalidAccountName { .. }
        | ExportError::UnknownAccount(_) => CommandError::Invalid(e.to_string()),
        e => CommandError::Export(e),
    })?;
    Ok(ExportResponse { path: path.display().to_string(), rows: summary.rows, accounts: summary.accounts.len() as u32 })
}

/// `~/Downloads/kura-2026-11-24.csv` (or the home folder without a Downloads folder), never
/// overwriting an earlier export.
fn default_destination(format: Format) -> Result<PathBuf, CommandError> {
    let dirs = directories::UserDirs::new()
        .ok_or_else(|| CommandError::Invalid("cannot find your home folder; choose where to save the export".into()))?;
    let dir = dirs.download_dir().unwrap_or(dirs.home_dir()).to_path_buf();
    let stem = format!("kura-{}", jst_date(Utc::now()));
    let ext = format.extension();
    let mut path = dir.join(format!("{stem}.{ext}"));
    let mut n = 1;
    while path.exists() {
        n += 1;
        path = dir.join(format!("{stem}-{n}.{ext}"));
    }
    Ok(path)
}
