//! Exports for every front end: the format and filters chosen (the UI's dialog, `kura export`'s
//! flags), written atomically to a file — the path the OS save dialog returned, the temporary file
//! `kura serve` then hands to the browser, or the CLI's `-o` — or streamed to a writer (the CLI's
//! standard output). A request without a path (an API client's) writes a new file in the
//! Downloads folder.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;

use chrono::{NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::history::Flow;
use super::{AppContext, CommandError, RequestError};
use crate::export::store::{Direction, ExportFilter, export_from_store};
use crate::export::{
    Encoding, ExportOptions, ExportSummary, Format, JournalAccounts, Lang, SheetLayout, Unmappable, write_atomically,
};
use crate::format::jst_date;
use crate::household::HouseholdError;
use crate::model::MemberId;
use crate::store::Store;

/// The core's one list of formats, under the name the UI's bindings know it by.
pub use crate::export::Format as ExportFormat;

/// What `replace_unmappable` writes unless told otherwise: the geta mark, Japanese typesetting's
/// sign for a character that could not be set.
pub const UNMAPPABLE_REPLACEMENT: char = '〓';

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ExportRequest {
    pub format: ExportFormat,
    /// CSV formats only (CSV, Money Forward ME, Zaim): Shift_JIS (CP932) for older Excel and kakeibo
    /// apps instead of UTF-8 with BOM.
    #[serde(default)]
    pub shift_jis: bool,
    /// With Shift_JIS: write a replacement (〓 unless `replacement` says) for a character
    /// Shift_JIS cannot hold (an emoji, say) instead of failing on it.
    #[serde(default)]
    pub replace_unmappable: bool,
    /// The replacement character, itself one Shift_JIS holds.
    #[serde(default)]
    #[ts(optional)]
    pub replacement: Option<char>,
    /// Local account ids; with `accountIds` empty too, every visible account.
    #[serde(default)]
    pub accounts: Vec<i64>,
    /// Kura's account ids (`2011-001-1-1234567`), as exports name accounts.
    #[serde(default)]
    #[ts(optional)]
    pub account_ids: Option<Vec<String>>,
    /// Only this household member's accounts (with accounts named: those of them that are theirs).
    #[serde(default)]
    #[ts(optional)]
    pub member_id: Option<i64>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub flow: Option<Flow>,
    /// Column headers in English instead of Japanese.
    #[serde(default)]
    pub english: bool,
    /// XLSX: all accounts on one sheet instead of one sheet each.
    #[serde(default)]
    #[ts(optional)]
    pub combined_sheet: Option<bool>,
    /// Journals: the accounts to post to instead of Kura's defaults.
    #[serde(default)]
    #[ts(optional)]
    pub journal: Option<JournalNames>,
    /// Where to write; absent: a new file in the Downloads folder.
    pub destination: Option<String>,
}

/// A journal's account names: for Kura's accounts (by Kura's account id) and the counter
/// accounts of uncategorised money out and in, opening balances and transfers whose other side is
/// not in the export.
#[derive(Debug, Clone, Default, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
pub struct JournalNames {
    pub accounts: BTreeMap<String, String>,
    pub expense: Option<String>,
    pub income: Option<String>,
    pub opening: Option<String>,
    pub transfers: Option<String>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ExportResponse {
    pub path: String,
    pub rows: u64,
    pub accounts: u32,
}

impl ExportRequest {
    /// A request for `format` with everything else left to its default.
    pub fn new(format: ExportFormat) -> Self {
        ExportRequest {
            format,
            shift_jis: false,
            replace_unmappable: false,
            replacement: None,
            accounts: Vec::new(),
            account_ids: None,
            member_id: None,
            from: None,
            to: None,
            flow: None,
            english: false,
            combined_sheet: None,
            journal: None,
            destination: None,
        }
    }

    pub(super) fn options(&self) -> ExportOptions {
        let mut journal = JournalAccounts::default();
        if let Some(names) = &self.journal {
            journal.overrides = names.accounts.clone();
            for (name, to) in [
                (&names.expense, &mut journal.expense),
                (&names.income, &mut journal.income),
                (&names.opening, &mut journal.opening),
                (&names.transfers, &mut journal.transfers),
            ] {
                if let Some(name) = name {
                    *to = name.clone();
                }
            }
        }
        ExportOptions {
            lang: if self.english { Lang::En } else { Lang::Ja },
            encoding: if self.shift_jis { Encoding::Cp932 } else { Encoding::Utf8Bom },
            unmappable: match (self.replace_unmappable, self.replacement) {
                (_, Some(ch)) => Unmappable::Replace(ch),
                (true, None) => Unmappable::Replace(UNMAPPABLE_REPLACEMENT),
                (false, None) => Unmappable::Error,
            },
            sheets: if self.combined_sheet == Some(true) { SheetLayout::Combined } else { SheetLayout::PerAccount },
            journal,
            // Balances cannot match when only one direction is exported.
            assertions: self.flow.is_none(),
            ..ExportOptions::new(self.format)
        }
    }

    /// The rows asked for, narrowed to the member's accounts when one is asked for.
    pub(super) fn filter(&self, store: &Store) -> Result<ExportFilter, CommandError> {
        let filter = self.plain_filter()?;
        self.member_filter(store, filter)
    }

    fn plain_filter(&self) -> Result<ExportFilter, CommandError> {
        if let (Some(from), Some(to)) = (self.from, self.to)
            && from > to
        {
            return Err(RequestError::DatesReversed { from, to }.into());
        }
        let mut accounts: Vec<String> = self.accounts.iter().map(i64::to_string).collect();
        accounts.extend(self.account_ids.iter().flatten().cloned());
        Ok(ExportFilter {
            accounts,
            from: self.from,
            to: self.to,
            direction: match self.flow {
                None => Direction::All,
                Some(Flow::In) => Direction::In,
                Some(Flow::Out) => Direction::Out,
            },
        })
    }
}

impl ExportRequest {
    /// `filter` narrowed to the member's accounts, when one is asked for.
    fn member_filter(&self, store: &Store, filter: ExportFilter) -> Result<ExportFilter, CommandError> {
        let Some(member) = self.member_id else { return Ok(filter) };
        let member = store.member(MemberId(member))?;
        let theirs = store.accounts_of_member(member.id)?;
        // Like the whole household's export: the member's visible accounts, else those named
        // (by either kind of id) that are theirs.
        let accounts: Vec<String> = theirs
            .iter()
            .filter(|a| match filter.accounts.is_empty() {
                true => !a.hidden,
                false => filter.accounts.iter().any(|w| *w == a.kura_id || *w == a.id.0.to_string()),
            })
            .map(|a| a.id.0.to_string())
            .collect();
        if accounts.is_empty() {
            return Err(HouseholdError::NoAccounts { name: member.name }.into());
        }
        Ok(ExportFilter { accounts, ..filter })
    }
}

/// Writes the export to its destination (or a new file in Downloads); the file appears only
/// once the export succeeded, replacing one that was there.
pub async fn export(ctx: &AppContext, req: ExportRequest) -> Result<ExportResponse, CommandError> {
    let options = req.options();
    let path = match &req.destination {
        Some(p) if !p.trim().is_empty() => PathBuf::from(p),
        _ => default_destination(options.format)?,
    };
    // Its own connection, so a long export does not hold up the UI's queries.
    let store = Store::open_file(ctx.database_file())?;
    let filter = req.filter(&store)?;
    let summary = tokio::task::spawn_blocking({
        let path = path.clone();
        move || write_atomically(&path, |out| export_from_store(&store, &filter, &options, out))
    })
    .await
    .expect("the export task does not panic")?;
    Ok(ExportResponse { path: path.display().to_string(), rows: summary.rows, accounts: summary.accounts.len() as u32 })
}

/// Streams the export to `out` (a terminal's standard output); the caller flushes it.
pub fn export_to_writer(
    ctx: &AppContext,
    req: &ExportRequest,
    out: &mut (dyn Write + Send),
) -> Result<ExportSummary, CommandError> {
    let store = Store::open_file(ctx.database_file())?;
    Ok(export_from_store(&store, &req.filter(&store)?, &req.options(), out)?)
}

/// `~/Downloads/kura-2026-11-24.csv` (or the home folder without a Downloads folder), never
/// overwriting an earlier export.
fn default_destination(format: Format) -> Result<PathBuf, CommandError> {
    let dirs = directories::UserDirs::new().ok_or(RequestError::NoHomeFolder)?;
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
