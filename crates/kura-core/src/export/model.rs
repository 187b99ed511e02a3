//! What an export reads (accounts, balance snapshots, rows) and how it is shaped (options).

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::books::CategoryTree;
use crate::model::{AccountIdentity, CategoryId, Transaction};

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
    /// How the line is filed in the household's books.
    #[serde(default)]
    pub books: RowBooks,
}

/// How a line is filed in the household's books, as exports write it: names in the export's
/// language, read with the row (the store's one streaming query), never looked up per row.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RowBooks {
    /// The category the line is filed under (a 中項目, or a 大項目 itself); `None`: uncategorised.
    pub category_id: Option<CategoryId>,
    /// The 大項目's name.
    pub category: Option<String>,
    /// The 中項目's name, when the line is filed under one.
    pub subcategory: Option<String>,
    /// The person's (or a rule's) note on the line.
    pub memo: Option<String>,
    /// Money moving between the household's own accounts (振替): neither spending nor income.
    pub transfer: bool,
    /// The other side of a transfer Kura paired with a line of another account.
    pub pair: Option<TransferPair>,
}

/// The other side of a paired transfer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TransferPair {
    /// Its account (Kura's account id).
    pub account_id: String,
    /// Its stable id within that account (as [`ExportRow::uid`]).
    pub uid: String,
    pub date: NaiveDate,
    /// Always the opposite of this line's amount.
    pub amount: i64,
    /// Whether the other line is in this export too (its account chosen, its date and direction
    /// inside the filter). Then the two lines are one movement, which a format that writes
    /// movements (the journals, Zaim) writes once, at the side whose account comes first.
    pub exported: bool,
}

impl RowBooks {
    /// The pair when both of its lines are in this export, so the movement is written once.
    pub fn exported_pair(&self) -> Option<&TransferPair> {
        self.pair.as_ref().filter(|p| p.exported)
    }
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
    /// What the rows' books refer to.
    pub books: ExportBooks,
}

impl<I> ExportInput<I> {
    /// Rows of `accounts` with no categories and no other accounts to name.
    pub fn new(accounts: Vec<ExportAccount>, rows: I) -> Self {
        ExportInput { accounts, rows, books: ExportBooks::default() }
    }
}

/// What the rows' books refer to, loaded once per export.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExportBooks {
    /// The categories (the journals post to each one's account).
    pub categories: CategoryTree,
    /// Accounts that are not exported but that transfers name as their other side.
    pub other_accounts: Vec<ExportAccount>,
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
    /// CSV in the layout of Money Forward ME's download (計算対象, 日付, 内容, 金額（円）, …), for the
    /// tools and spreadsheets made for it.
    #[serde(rename = "moneyforward")]
    MoneyForward,
    /// CSV in the layout Zaim reads back through its file upload (日付, 方法, カテゴリ, …).
    Zaim,
}

impl Format {
    pub const ALL: [Format; 10] = [
        Format::Csv,
        Format::Xlsx,
        Format::Ofx,
        Format::Qif,
        Format::Ledger,
        Format::Hledger,
        Format::Beancount,
        Format::Jsonl,
        Format::MoneyForward,
        Format::Zaim,
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
            Format::MoneyForward => "moneyforward",
            Format::Zaim => "zaim",
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
            Format::MoneyForward => {
                "Money Forward ME-style CSV (計算対象, 日付, 内容, 金額（円）, …); --encoding cp932 for Shift_JIS"
            }
            Format::Zaim => "Zaim's CSV upload layout (日付, 方法, カテゴリ, …); --encoding cp932 for Shift_JIS",
        }
    }

    /// The usual file extension, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Csv | Format::MoneyForward | Format::Zaim => "csv",
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
            Format::Csv | Format::MoneyForward | Format::Zaim => "text/csv",
            Format::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            Format::Ofx => "application/x-ofx",
            Format::Qif => "application/qif",
            Format::Ledger | Format::Hledger | Format::Beancount => "text/plain; charset=utf-8",
            Format::Jsonl => "application/jsonl",
        }
    }

    /// Whether the format is CSV text, written in UTF-8 with BOM or Shift_JIS (CP932) as chosen.
    pub fn is_csv(self) -> bool {
        matches!(self, Format::Csv | Format::MoneyForward | Format::Zaim)
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
    /// Counter account of a transfer between the household's own accounts whose other side is
    /// not in the export (or unknown): it holds the money between the two sides.
    pub transfers: String,
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
            transfers: "Assets:Transfers".into(),
            overrides: BTreeMap::new(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportOptions {
    pub format: Format,
    pub lang: Lang,
    /// CSV formats only.
    pub encoding: Encoding,
    /// CSV formats in CP932 only.
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
