//! Exports of cached history for household bookkeeping: CSV (UTF-8 with BOM or CP932), XLSX, OFX 2.2,
//! QIF, ledger/hledger and beancount journals, JSON Lines, and the CSV layouts of Money Forward ME and
//! Zaim.
//!
//! Every exporter streams: it reads one [`ExportRow`] at a time from an iterator (the store's
//! streaming query, see [`store`]) and writes it out, so a million rows never sit in memory. The
//! rows must arrive grouped by account, in the order of [`ExportInput::accounts`], and ascending by
//! date within an account; the driver checks this. Output is deterministic: the same rows and options
//! give the same bytes (nothing depends on the clock or on hash order).

mod csv;
mod driver;
mod error;
mod file;
mod journal;
mod jsonl;
mod kakeibo;
mod model;
pub mod monthly;
mod ofx;
mod qif;
pub mod store;
#[cfg(test)]
mod testdata;
mod xlsx;

pub use error::ExportError;
pub use file::{export_to_path, write_atomically};
pub use model::{
    AccountTotals, BalanceSnapshot, Encoding, ExportAccount, ExportBooks, ExportInput, ExportOptions, ExportRow,
    ExportSummary, Format, JournalAccounts, Lang, RowBooks, SheetLayout, TransferPair, Unmappable,
};

use std::io::Write;

/// Writes `input` to `out` in `options.format`. XLSX needs a seekable, finished file, so it is
/// written into `out` only at the end (the rows themselves stream into per-sheet temporary files).
pub fn export<I, W>(input: ExportInput<I>, options: &ExportOptions, out: W) -> Result<ExportSummary, ExportError>
where
    I: Iterator<Item = Result<ExportRow, ExportError>>,
    W: Write + Send,
{
    match options.format {
        Format::Csv => driver::run(input, csv::CsvSink::new(out, options)?),
        Format::Xlsx => driver::run(input, xlsx::XlsxSink::new(out, options)?),
        Format::Ofx => {
            let sink = ofx::OfxSink::new(out, &input.accounts)?;
            driver::run(input, sink)
        }
        Format::Qif => {
            let sink = qif::QifSink::new(out, options, &input.accounts, &input.books);
            driver::run(input, sink)
        }
        Format::Ledger | Format::Hledger | Format::Beancount => {
            let sink = journal::JournalSink::new(out, options, &input.accounts, &input.books)?;
            driver::run(input, sink)
        }
        Format::MoneyForward => driver::run(input, kakeibo::MoneyForwardSink::new(out, options)?),
        Format::Zaim => {
            let sink = kakeibo::ZaimSink::new(out, options, &input.accounts, &input.books)?;
            driver::run(input, sink)
        }
        Format::Jsonl => driver::run(input, jsonl::JsonlSink::new(out)),
    }
}
