//! XLSX via rust_xlsxwriter in constant-memory mode: each worksheet streams to a temporary file row by
//! row, so memory stays flat however many rows there are. Dates are real dates (yyyy/mm/dd), yen
//! are integers shown as #,##0. Cells are typed, so text is never evaluated as a formula.

use std::io::Write;

use rust_xlsxwriter::{Format, Workbook, Worksheet};

use super::ExportError;
use super::driver::Sink;
use super::model::{ExportAccount, ExportOptions, ExportRow, Lang, SheetLayout};

/// Excel's last row index (1,048,576 rows, zero-based).
const MAX_ROW: u32 = 1_048_575;
/// Integers beyond this lose precision as spreadsheet numbers (IEEE double).
const MAX_EXACT: i64 = 1 << 53;

const HEADERS_JA: [&str; 7] = ["取引日", "起算日", "金額", "入金額", "出金額", "残高", "摘要"];
const HEADERS_EN: [&str; 7] = ["Date", "Value date", "Amount", "Credit", "Debit", "Balance", "Remarks"];
const ACCOUNT_HEADERS_JA: [&str; 5] = ["口座ID", "金融機関名", "支店名", "科目", "口座番号"];
const ACCOUNT_HEADERS_EN: [&str; 5] = ["Account ID", "Bank", "Branch", "Account type", "Account number"];
/// How the line is filed, after the other columns (as in the CSV): 振替 is 1 or 0.
const BOOKS_HEADERS_JA: [&str; 4] = ["大項目", "中項目", "メモ", "振替"];
const BOOKS_HEADERS_EN: [&str; 4] = ["Category", "Subcategory", "Memo", "Transfer"];

pub(super) struct XlsxSink<W: Write + Send> {
    out: W,
    workbook: Workbook,
    layout: SheetLayout,
    lang: Lang,
    date: Format,
    yen: Format,
    header: Format,
    /// Next row to write on the current sheet.
    next_row: u32,
}

impl<W: Write + Send> XlsxSink<W> {
    pub(super) fn new(out: W, options: &ExportOptions) -> Result<Self, ExportError> {
        let mut sink = XlsxSink {
            out,
            workbook: Workbook::new(),
            layout: options.sheets,
            lang: options.lang,
            date: Format::new().set_num_format("yyyy/mm/dd"),
            yen: Format::new().set_num_format("#,##0"),
            header: Format::new().set_bold(),
            next_row: 0,
        };
        if sink.layout == SheetLayout::Combined {
            let name = match sink.lang {
                Lang::Ja => "取引明細",
                Lang::En => "Transactions",
            };
            sink.add_sheet(name)?;
        }
        Ok(sink)
    }

    fn sheet(&mut self) -> &mut Worksheet {
        let last = self.workbook.worksheets_mut().len() - 1;
        self.workbook.worksheet_from_index(last).expect("a sheet was added first")
    }

    fn add_sheet(&mut self, name: &str) -> Result<(), ExportError> {
        let combined = self.layout == SheetLayout::Combined;
        let (headers, account_headers, books_headers) = match self.lang {
            Lang::Ja => (HEADERS_JA, ACCOUNT_HEADERS_JA, BOOKS_HEADERS_JA),
            Lang::En => (HEADERS_EN, ACCOUNT_HEADERS_EN, BOOKS_HEADERS_EN),
        };
        let header = self.header.clone();
        let sheet = self.workbook.add_worksheet_with_constant_memory();
        sheet.set_name(name)?;
        let titles = headers.iter().chain(if combined { &account_headers[..] } else { &[] }).chain(&books_headers);
        for (col, title) in titles.enumerate() {
            sheet.write_string_with_format(0, col as u16, *title, &header)?;
        }
        sheet.set_column_width(0, 11)?;
        sheet.set_column_width(1, 11)?;
        sheet.set_column_width(6, 40)?;
        sheet.set_freeze_panes(1, 0)?;
        self.next_row = 1;
        Ok(())
    }
}

/// Sheet names: at most 31 characters, none of `[]:*?/\`.
fn sheet_name(account: &ExportAccount) -> String {
    account.id.chars().map(|c| if "[]:*?/\\".contains(c) { '_' } else { c }).take(31).collect()
}

impl<W: Write + Send> Sink for XlsxSink<W> {
    fn account_start(&mut self, account: &ExportAccount) -> Result<(), ExportError> {
        if self.layout == SheetLayout::PerAccount {
            self.add_sheet(&sheet_name(account))?;
        }
        Ok(())
    }

    fn row(&mut self, account: &ExportAccount, number: u64, row: &ExportRow) -> Result<(), ExportError> {
        for value in [Some(row.amount), row.balance].into_iter().flatten() {
            if value.abs() > MAX_EXACT {
                return Err(ExportError::AmountTooLarge {
                    row: number,
                    date: row.transaction_date,
                    account: account.id.clone(),
                    amount: value,
                });
            }
        }
        if self.next_row > MAX_ROW {
            let sheet = self.sheet().name();
            return Err(ExportError::SheetFull { sheet });
        }
        let r = self.next_row;
        self.next_row += 1;
        let (date, yen) = (self.date.clone(), self.yen.clone());
        let combined = self.layout == SheetLayout::Combined;
        let sheet = self.sheet();
        sheet.write_date_with_format(r, 0, row.transaction_date, &date)?;
        if let Some(value_date) = &row.value_date {
            sheet.write_date_with_format(r, 1, value_date, &date)?;
        }
        sheet.write_number_with_format(r, 2, row.amount as f64, &yen)?;
        let side = if row.amount >= 0 { 3 } else { 4 };
        sheet.write_number_with_format(r, side, row.amount.abs() as f64, &yen)?;
        if let Some(balance) = row.balance {
            sheet.write_number_with_format(r, 5, balance as f64, &yen)?;
        }
        sheet.write_string(r, 6, &row.remarks)?;
        if combined {
            sheet.write_string(r, 7, &account.id)?;
            sheet.write_string(r, 8, &account.bank_name)?;
            sheet.write_string(r, 9, &account.identity.branch_name)?;
            sheet.write_string(r, 10, &account.identity.account_type_name)?;
            sheet.write_string(r, 11, &account.identity.account_number)?;
        }
        let books = if combined { 12 } else { 7 };
        for (col, text) in
            [(books, &row.books.category), (books + 1, &row.books.subcategory), (books + 2, &row.books.memo)]
        {
            if let Some(text) = text {
                sheet.write_string(r, col, text)?;
            }
        }
        sheet.write_number(r, books + 3, f64::from(u8::from(row.books.transfer)))?;
        Ok(())
    }

    fn finish(mut self) -> Result<(), ExportError> {
        if self.workbook.worksheets_mut().is_empty() {
            // A workbook needs at least one sheet; an export of no accounts is an empty table.
            let name = match self.lang {
                Lang::Ja => "取引明細",
                Lang::En => "Transactions",
            };
            self.add_sheet(name)?;
        }
        self.workbook.save_to_writer(&mut self.out)?;
        self.out.flush()?;
        Ok(())
    }
}
