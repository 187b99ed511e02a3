//! Exports from the UI: the format and filters the dialog chose, written atomically to a file —
//! the path the OS save dialog returned in the desktop app, or the Downloads folder when the
//! browser (which cannot choose a path on disk) asks `kura serve`.

use std::path::PathBuf;

use chrono::{NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::history::Flow;
use super::{AppContext, CommandError};
use crate::export::store::{Direction, ExportFilter, export_from_store};
use crate::export::{Encoding, ExportOptions, Format, Lang, write_atomically};
use crate::format::jst_date;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum ExportFormat {
    /// CSV for Excel (UTF-8 with BOM).
    Csv,
    /// CSV in Shift_JIS (CP932), for older Excel and household-bookkeeping apps.
    CsvShiftJis,
    Xlsx,
    Ofx,
    Qif,
    Ledger,
    Hledger,
    Beancount,
    Jsonl,
}

impl ExportFormat {
    fn options(self, lang: Lang) -> ExportOptions {
        let (format, encoding) = match self {
            ExportFormat::Csv => (Format::Csv, Encoding::Utf8Bom),
            ExportFormat::CsvShiftJis => (Format::Csv, Encoding::Cp932),
            ExportFormat::Xlsx => (Format::Xlsx, Encoding::default()),
            ExportFormat::Ofx => (Format::Ofx, Encoding::default()),
            ExportFormat::Qif => (Format::Qif, Encoding::default()),
            ExportFormat::Ledger => (Format::Ledger, Encoding::default()),
            ExportFormat::Hledger => (Format::Hledger, Encoding::default()),
            ExportFormat::Beancount => (Format::Beancount, Encoding::default()),
            ExportFormat::Jsonl => (Format::Jsonl, Encoding::default()),
        };
        ExportOptions { lang, encoding, ..ExportOptions::new(format) }
    }
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ExportRequest {
    pub format: ExportFormat,
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
    let options = req.format.options(if req.english { Lang::En } else { Lang::Ja });
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
    .expect("the export task does not panic")?;
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
