//! The optional scheduled monthly export the user turns on in Settings: last month's file, in a
//! folder they chose, written once the month is over and every linked account has synced past its
//! end. Both shells (the desktop app and `kura serve`) call [`run_if_due`] at start and after each
//! finished sync; the file is written once (the core's `export_month` skips an existing file), and
//! the latest outcome is kept for Settings to show, failures included.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Months, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::export::ExportFormat;
use super::sync::SyncReports;
use super::{AppContext, CommandError, CommandFailure, RequestError};
use crate::export::monthly::{export_month, month_file, previous_month};
use crate::export::store::ExportFilter;
use crate::export::{Encoding, ExportOptions, Unmappable};
use crate::format::jst_date;
use crate::i18n::Language;
use crate::model::LinkStatus;
use crate::store::Store;
use crate::t;

/// What a scheduled file holds in place of a character Shift_JIS cannot hold: nobody is there to
/// choose otherwise, and failing every month on one emoji would be worse (the geta mark, as the
/// export dialog's replacement option writes).
const UNMAPPABLE_REPLACEMENT: char = '〓';

/// Where and how the monthly export writes. Absent from the preferences: the export is off.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct MonthlyExportSettings {
    /// An existing folder Kura can write to (full path).
    pub folder: String,
    pub format: ExportFormat,
    /// CSV formats only (CSV, Money Forward ME, Zaim): Shift_JIS (CP932) instead of UTF-8 with BOM.
    #[serde(default)]
    pub shift_jis: bool,
}

impl MonthlyExportSettings {
    fn folder(&self) -> PathBuf {
        PathBuf::from(self.folder.trim())
    }

    /// The folder must exist and take a file now; a folder that went missing later (an unplugged
    /// drive) is reported by [`run_if_due`], which never creates it.
    pub(super) fn validate(&self) -> Result<(), CommandError> {
        let folder = self.folder();
        if folder.as_os_str().is_empty() {
            return Err(RequestError::MonthlyNoFolder.into());
        }
        if !folder.is_absolute() {
            return Err(RequestError::MonthlyRelative { folder: self.folder.clone(), example: example_folder() }.into());
        }
        check_folder(&folder)?;
        if self.shift_jis && !self.format.is_csv() {
            return Err(RequestError::MonthlyShiftJisNotCsv { format: self.format.name() }.into());
        }
        Ok(())
    }

    fn options(&self) -> ExportOptions {
        if self.shift_jis {
            ExportOptions {
                encoding: Encoding::Cp932,
                unmappable: Unmappable::Replace(UNMAPPABLE_REPLACEMENT),
                ..ExportOptions::new(self.format)
            }
        } else {
            ExportOptions::new(self.format)
        }
    }
}

fn example_folder() -> String {
    directories::UserDirs::new()
        .and_then(|d| d.document_dir().map(|p| p.join("Kura")))
        .unwrap_or_else(|| PathBuf::from("/home/you/Kura"))
        .display()
        .to_string()
}

/// The folder exists, is a folder, and takes a new file.
fn check_folder(folder: &Path) -> Result<(), RequestError> {
    match std::fs::metadata(folder) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(RequestError::MonthlyFolderGone(folder.to_owned()));
        }
        Err(e) => {
            return Err(RequestError::MonthlyFolderUnreadable { folder: folder.to_owned(), reason: e.to_string() });
        }
        Ok(m) if !m.is_dir() => return Err(RequestError::MonthlyNotAFolder(folder.to_owned())),
        Ok(_) => {}
    }
    // Permissions alone do not tell (ACLs, read-only mounts): try a file, removed on drop.
    tempfile::Builder::new().prefix(".kura-write-check").tempfile_in(folder).map(drop).map_err(|e| {
        // The kind, not the error, which names tempfile's random file: the message stays the same
        // every check, so a failure repeated after every sync is reported once.
        RequestError::MonthlyUnwritable { folder: folder.to_owned(), reason: e.kind() }
    })
}

/// The latest check of the monthly export, for Settings.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct MonthlyExportStatus {
    /// The month checked (`YYYY-MM`): the latest complete one.
    pub month: String,
    pub checked_at: DateTime<Utc>,
    pub outcome: MonthlyExportOutcome,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(tag = "state", rename_all = "camelCase")]
pub enum MonthlyExportOutcome {
    /// This check wrote the month's file.
    Written {
        path: String,
        rows: u64,
    },
    /// The month's file was there already (from an earlier check or `kura export --monthly-to`).
    Exists {
        path: String,
    },
    /// So many accounts of active links have not synced past the month's end yet; the file is
    /// written once they have, so it holds the whole month.
    WaitingForSync {
        accounts: u32,
    },
    Failed {
        error: CommandFailure,
    },
}

/// One check's outcome, and whether the person should hear of it now (a file written, or a
/// failure other than the one already reported), so a failure repeated after every sync is
/// reported once.
#[derive(Debug, Clone)]
pub struct MonthlyExportRun {
    pub status: MonthlyExportStatus,
    pub news: bool,
}

/// Where [`export_month_to`] put a month.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MonthFile {
    Written {
        path: PathBuf,
        rows: u64,
    },
    /// The month's file was there already; nothing was written.
    Exists(PathBuf),
}

/// Writes `month` (the month of that date; last month in JST when `None`) into `dir` as
/// `kura-YYYY-MM.<ext>` with `req`'s format, options and accounts, unless that file is there
/// already: `kura export --monthly-to` for a scheduled job, idempotent whenever it runs.
pub fn export_month_to(
    ctx: &AppContext,
    dir: &Path,
    month: Option<NaiveDate>,
    req: &super::export::ExportRequest,
) -> Result<MonthFile, CommandError> {
    let month = month.unwrap_or_else(|| previous_month(jst_date(Utc::now())));
    let options = req.options();
    let store = Store::open_file(ctx.database_file())?;
    Ok(match export_month(&store, dir, month, &req.filter(&store)?, &options)? {
        Some((path, summary)) => MonthFile::Written { path, rows: summary.rows },
        None => MonthFile::Exists(month_file(dir, month, &options)),
    })
}

/// A checked month (`YYYY-MM`, as [`MonthlyExportStatus`] holds it) as a person reads it:
/// `2026年10月`, `October 2026`.
pub fn month_label(lang: Language, month: &str) -> String {
    match month.split_once('-').map(|(y, m)| (y, m.parse::<u32>())) {
        Some((year, Ok(month))) => t!(lang, "month-label", year, month),
        _ => month.to_owned(),
    }
}

/// [`run_if_due`] for today (JST).
pub async fn run_if_due_now(ctx: &AppContext) -> Option<MonthlyExportRun> {
    run_if_due(ctx, jst_date(Utc::now())).await
}

/// Writes the month before `today`'s into the chosen folder, if the monthly export is on, the
/// file is not there yet and every account of an active link has synced through the month's last
/// day. `None` when the export is off. Runs one at a time per context.
pub async fn run_if_due(ctx: &AppContext, today: NaiveDate) -> Option<MonthlyExportRun> {
    let mut last = ctx.monthly_export_status().lock().await;
    let Some(settings) = ctx.preferences().monthly_export else {
        *last = None;
        return None;
    };
    let month = previous_month(today);
    let outcome = match check(ctx, &settings, month).await {
        Ok(outcome) => outcome,
        Err(e) => {
            tracing::warn!(error = %e, "the monthly export failed");
            MonthlyExportOutcome::Failed { error: e.to_failure() }
        }
    };
    let news = match (&outcome, last.as_ref().map(|s| &s.outcome)) {
        (MonthlyExportOutcome::Written { .. }, _) => true,
        (MonthlyExportOutcome::Failed { error }, Some(MonthlyExportOutcome::Failed { error: before })) => {
            error.message != before.message
        }
        (MonthlyExportOutcome::Failed { .. }, _) => true,
        _ => false,
    };
    let status = MonthlyExportStatus { month: month.format("%Y-%m").to_string(), checked_at: Utc::now(), outcome };
    *last = Some(status.clone());
    Some(MonthlyExportRun { status, news })
}

/// Runs [`run_if_due_now`] at once and after every sync the context's scheduler reports, until
/// syncing stops; `on_news` hears each run worth telling the person about. The shells spawn it
/// once syncing has started (without a scheduler it checks once).
pub async fn follow_syncs(ctx: AppContext, mut on_news: impl FnMut(&MonthlyExportRun)) {
    let mut run_once = async || {
        if let Some(run) = run_if_due_now(&ctx).await
            && run.news
        {
            on_news(&run);
        }
    };
    run_once().await;
    let mut reports = SyncReports::new(&ctx);
    // A missed report only means a check is due, which this is.
    while reports.next().await.is_some() {
        run_once().await;
    }
}

async fn check(
    ctx: &AppContext,
    settings: &MonthlyExportSettings,
    month: NaiveDate,
) -> Result<MonthlyExportOutcome, CommandError> {
    let folder = settings.folder();
    // Checked every time: `export_month` would create a missing folder, and a vanished one (an
    // unplugged drive) must be reported, not recreated on the mount point.
    check_folder(&folder)?;
    let options = settings.options();
    let path = month_file(&folder, month, &options);
    if path.exists() {
        return Ok(MonthlyExportOutcome::Exists { path: path.display().to_string() });
    }
    let month_end =
        month.checked_add_months(Months::new(1)).and_then(|d| d.pred_opt()).expect("dates far from the ends");
    let behind = accounts_behind(&ctx.store(), month_end)?;
    if behind > 0 {
        return Ok(MonthlyExportOutcome::WaitingForSync { accounts: behind });
    }
    // Its own connection, as the export command's, so the UI's queries are not held up.
    let store = Store::open_file(ctx.database_file())?;
    let written =
        tokio::task::spawn_blocking(move || export_month(&store, &folder, month, &ExportFilter::default(), &options))
            .await
            .expect("the export task does not panic")?;
    Ok(match written {
        Some((path, summary)) => MonthlyExportOutcome::Written { path: path.display().to_string(), rows: summary.rows },
        // Written by someone else since the check above.
        None => MonthlyExportOutcome::Exists { path: path.display().to_string() },
    })
}

/// How many accounts of active links have not synced through `month_end`. Accounts of links
/// needing re-authentication or revoked are not waited for: they sync again only once re-linked.
fn accounts_behind(store: &Store, month_end: NaiveDate) -> Result<u32, CommandError> {
    let mut behind = 0;
    for link in store.links()?.into_iter().filter(|l| l.status == LinkStatus::Active) {
        behind += store
            .accounts_of_link(link.id)?
            .iter()
            .filter(|a| !a.hidden && a.synced_through.is_none_or(|d| d < month_end))
            .count() as u32;
    }
    Ok(behind)
}
