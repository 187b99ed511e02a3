//! The scheduled monthly export: one file per calendar month in a folder the user chose, written
//! once the month is over, so a job run every day (or at every start) is idempotent.

use std::path::{Path, PathBuf};

use chrono::{Datelike, Months, NaiveDate};

use super::ExportError;
use super::model::{ExportOptions, ExportSummary};
use super::store::{ExportFilter, export_from_store};
use super::write_atomically;
use crate::store::Store;

/// The month before the one `today` (JST) lies in: the latest complete month.
pub fn previous_month(today: NaiveDate) -> NaiveDate {
    let first = today.with_day(1).expect("every month has a first day");
    first.checked_sub_months(Months::new(1)).expect("dates far from the calendar's ends")
}

/// The file a month's export goes to: `kura-YYYY-MM.<ext>` in `dir`.
pub fn month_file(dir: &Path, month: NaiveDate, options: &ExportOptions) -> PathBuf {
    dir.join(format!("kura-{}.{}", month.format("%Y-%m"), options.format.extension()))
}

/// Exports the calendar month starting `month` (its first day) from `store` into `dir`, unless that
/// month's file already exists. Returns the file and what was written, or `None` when it existed.
/// `filter`'s dates are replaced by the month's.
pub fn export_month(
    store: &Store,
    dir: &Path,
    month: NaiveDate,
    filter: &ExportFilter,
    options: &ExportOptions,
) -> Result<Option<(PathBuf, ExportSummary)>, ExportError> {
    let first = month.with_day(1).expect("every month has a first day");
    let last = first.checked_add_months(Months::new(1)).and_then(|d| d.pred_opt()).expect("dates far from the ends");
    let path = month_file(dir, first, options);
    if path.exists() {
        return Ok(None);
    }
    std::fs::create_dir_all(dir)?;
    let filter = ExportFilter { from: Some(first), to: Some(last), ..filter.clone() };
    let summary = write_atomically(&path, |out| export_from_store(store, &filter, options, out))?;
    Ok(Some((path, summary)))
}
