//! What an export reads (accounts, balance snapshots, rows) and how it is shaped (options).

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::model::{AccountIdentity, Transaction};

/// One account as an export names it: the identity a bookkeeping tool needs to tell accounts apart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportAccount {
    /// Kura's account id, e.g. `2011-001-1-1234567`.
    pub id: String,
    pub identity: AccountIdentity,
    /// The union's name.
    pub bank_name: String,
    /// The period this export covers for the account: the requested from/to, or else the span of its
    /// rows and snapshots. OFX states it; `None` lets the exporter use the rows' own dates.
    pub period: Option<(NaiveDate, NaiveDate)>,
    /// Balance snapshots Kura recorded for this account within the exported period, oldest first.
    pub snapshots: Vec<BalanceSnapshot>,
}

/// A balance the bank reported at a moment (one per sync).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BalanceSnapshot {
    /// The bank's base date (JST) the balance is valid for.
    pub date: NaiveDate,
    /// When the bank stated it.
    pub as_of: DateTime<Utc>,
    pub balance: i64,
}

/// One cached transaction.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ExportRow {
    pub account_id: String,
    #[serde(flatten)]
    pub line: Transaction,
    /// Kura's stable identity of the row within its account (the item key, or the fingerprint and
    /// occurrence where the bank sends none): the same transaction always gets the same id, which
    /// makes OFX FITIDs and journal codes stable across exports.
    pub uid: String,
}

/// A row reads as its line (`row.amount`, `row.remarks`).
impl std::ops::Deref for ExportRow {
    type Target = Transaction;

    fn deref(&self) -> &Transaction {
        &self.line
    }
}

/// The accounts to export and their rows, grouped by account in the order of `accounts`, ascending
/// by date within each account.
pub struct ExportInput<I> {
    pub accounts: Vec<ExportAccount>,
    pub rows: I,
}

/// An export's file format: the one list behind `kura export --format`, the command layer's
/// `export` request and the UI's format menu. The CLI and API name it the same (`csv`, `xlsx`, …).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(rename = "ExportFormat")]
pub enum Format {
    /// CSV for Excel and kakeibo apps: UTF-8 with BOM, or Shift_JIS (CP932) as an option.
    Csv,
    /// Excel workbook with typed dates and yen.
    Xlsx,
    /// OFX 2.2 for GnuCash, KMyMoney, HomeBank and Money Manager Ex.
    Ofx,
    /// QIF bank registers (dates as YYYY-MM-DD).
    Qif,
    /// ledger journal.
    Ledger,
    /// hledger journal.
    Hledger,
    /// beancount ledger.
    Beancount,
    /// JSON Lines of the raw cached rows.
    Jsonl,
}

impl Format {
    pub const ALL: [Format; 8] = [
        Format::Csv,
        Format::Xlsx,
        Format::Ofx,
        Format::Qif,
        Format::Ledger,
        Format::Hledger,
        Format::Beancount,
        Format::Jsonl,
    ];

    /// The name on the command line and in the API (the serde name).
    pub fn name(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Xlsx => "xlsx",
            Format::Ofx => "ofx",
            Format::Qif => "qif",
            Format::Ledger => "ledger",
            Format::Hledger => "hledger",
            Format::Beancount => "beancount",
            Format::Jsonl => "jsonl",
        }
    }

    /// One line on what the format is for, for `kura export --help`.
    pub fn description(self) -> &'static str {
        match self {
            Format::Csv => "CSV for Excel: UTF-8 with BOM (or --encoding cp932)",
            Format::Xlsx => "Excel workbook with typed dates and yen",
            Format::Ofx => "OFX 2.2 for GnuCash, KMyMoney, HomeBank, Money Manager Ex",
            Format::Qif => "QIF bank registers (dates as YYYY-MM-DD)",
            Format::Ledger => "ledger journal",
            Format::Hledger => "hledger journal",
            Format::Beancount => "beancount ledger",
            Format::Jsonl => "JSON Lines of the raw cached rows",
        }
    }

    /// The usual file extension, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Xlsx => "xlsx",
            Format::Ofx => "ofx",
            Format::Qif => "qif",
            Format::Ledger | Format::Hledger => "journal",
            Format::Beancount => "beancount",
            Format::Jsonl => "jsonl",
        }
    }

    /// The media type of the file, for a browser download.
    pub fn mime_type(self) -> &'static str {
        match self {
            Format::Csv => "text/csv",
            Format::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            Format::Ofx => "application/x-ofx",
            Format::Qif => "application/qif",
            Format::Ledger | Format::Hledger | Format::Beancount => "text/plain; charset=utf-8",
            Format::Jsonl => "application/jsonl",
        }
    }
}

/// Language of column headers and fixed texts: Kura's one [`Language`](crate::i18n::Language).
pub use crate::i18n::Language as Lang;

/// Text encoding of CSV output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Encoding {
    /// UTF-8 with a byte-order mark, which Excel needs to not read the file as Shift_JIS.
    #[default]
    Utf8Bom,
    /// Shift_JIS as Windows writes it (CP932, Windows-31J), for older Excel and kakeibo apps.
    Cp932,
}

/// What to do with a character the target encoding cannot hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Unmappable {
    /// Stop with an error naming the row and the character (nothing is silently lost).
    #[default]
    Error,
    /// Write this character instead (it must itself be encodable, e.g. `?` or `〓`).
    Replace(char),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SheetLayout {
    /// One worksheet per account.
    #[default]
    PerAccount,
    /// All accounts on one worksheet, with the account in columns.
    Combined,
}

/// Account names in ledger, hledger and beancount journals.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JournalAccounts {
    /// Counter account of money out.
    pub expense: String,
    /// Counter account of money in.
    pub income: String,
    /// Counter account of each account's opening balance.
    pub opening: String,
    /// Per Kura account id, the journal account name to use instead of the default
    /// `Assets:Shinkumi:B<bank code>:<Type>-<branch>-<number>`.
    pub overrides: BTreeMap<String, String>,
}

impl Default for JournalAccounts {
    fn default() -> Self {
        JournalAccounts {
            expense: "Expenses:Unknown".into(),
            income: "Income:Unknown".into(),
            opening: "Equity:Opening-Balances".into(),
            overrides: BTreeMap::new(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportOptions {
    pub format: Format,
    pub lang: Lang,
    /// CSV only.
    pub encoding: Encoding,
    /// CSV in CP932 only.
    pub unmappable: Unmappable,
    /// XLSX only.
    pub sheets: SheetLayout,
    /// Journals only.
    pub journal: JournalAccounts,
    /// Journals only: assert balances from Kura's snapshots. Off when the rows are filtered to money
    /// in or out only, since balances cannot match then.
    pub assertions: bool,
}

impl ExportOptions {
    pub fn new(format: Format) -> Self {
        ExportOptions {
            format,
            lang: Lang::default(),
            encoding: Encoding::default(),
            unmappable: Unmappable::default(),
            sheets: SheetLayout::default(),
            journal: JournalAccounts::default(),
            assertions: true,
        }
    }
}

/// What was written, per account, so callers can show it and tests can compare it with what
/// third-party tools read back.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExportSummary {
    pub rows: u64,
    pub accounts: Vec<AccountTotals>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountTotals {
    pub account_id: String,
    pub rows: u64,
    /// Sum of money in (positive amounts).
    pub credits: i64,
    /// Sum of money out (negative amounts, so this is ≤ 0).
    pub debits: i64,
    /// Balance after the last exported row, as the bank stated it.
    pub closing_balance: Option<i64>,
}
