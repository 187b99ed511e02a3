use chrono::NaiveDate;

/// Why an export failed. Nothing is written to the destination file when it does (see
/// [`super::write_atomically`]).
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("could not write the export: {0}")]
    Io(#[from] std::io::Error),
    #[error(
        "row {row} ({date}, account {account}): the {field} contains {ch:?} (U+{code:04X}), which Shift_JIS \
         (CP932) cannot hold; export as UTF-8 instead, or pass --replace-unmappable to write a substitute",
        code = *ch as u32
    )]
    Unmappable { row: u64, date: NaiveDate, account: String, field: &'static str, ch: char },
    #[error("the substitute {0:?} cannot itself be written in Shift_JIS (CP932); use '?' or '〓'")]
    BadReplacement(char),
    #[error("could not write the XLSX workbook: {0}")]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
    #[error(
        "row {row} ({date}, account {account}): ¥{amount} is beyond what a spreadsheet number holds exactly (±2^53)"
    )]
    AmountTooLarge { row: u64, date: NaiveDate, account: String, amount: i64 },
    #[error(
        "the XLSX sheet for {sheet} would exceed Excel's 1,048,576 rows; export one sheet per account, a shorter period, or CSV"
    )]
    SheetFull { sheet: String },
    #[error("{name:?} is not a valid {tool} account name: {why}")]
    InvalidAccountName { name: String, tool: &'static str, why: &'static str },
    #[error(
        "internal error: row for account {account} dated {date} arrived out of order (rows must be grouped by account and sorted by date)"
    )]
    OutOfOrder { account: String, date: NaiveDate },
    #[error("no account {0:?} in Kura's store; `kura accounts` lists the account ids")]
    UnknownAccount(String),
    #[error("could not read the rows to export from the store: {0}")]
    Store(#[from] rusqlite::Error),
    #[error("could not write a JSON line: {0}")]
    Json(#[from] serde_json::Error),
}
