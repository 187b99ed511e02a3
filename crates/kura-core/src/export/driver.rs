//! Walks the accounts and their rows once, in order, and feeds a format's sink.

use super::ExportError;
use super::model::{AccountTotals, ExportAccount, ExportInput, ExportRow, ExportSummary};

/// One output format, fed account by account, row by row.
/// A format's writer. Only `row` and `finish` are every format's own; a format with nothing to
/// write at an account's start or end keeps the defaults.
pub(super) trait Sink {
    fn account_start(&mut self, _account: &ExportAccount) -> Result<(), ExportError> {
        Ok(())
    }
    /// `number` counts rows from 1 across the whole export, for error messages.
    fn row(&mut self, account: &ExportAccount, number: u64, row: &ExportRow) -> Result<(), ExportError>;
    fn account_end(&mut self, _account: &ExportAccount, _totals: &AccountTotals) -> Result<(), ExportError> {
        Ok(())
    }
    fn finish(self) -> Result<(), ExportError>;
}

pub(super) fn run<I, S>(input: ExportInput<I>, mut sink: S) -> Result<ExportSummary, ExportError>
where
    I: Iterator<Item = Result<ExportRow, ExportError>>,
    S: Sink,
{
    let mut rows = input.rows.peekable();
    let mut summary = ExportSummary::default();
    for account in &input.accounts {
        sink.account_start(account)?;
        let mut totals =
            AccountTotals { account_id: account.id.clone(), rows: 0, credits: 0, debits: 0, closing_balance: None };
        let mut last_date = None;
        while let Some(next) = rows.next_if(|r| r.as_ref().map_or(true, |r| r.account_id == account.id)) {
            let row = next?;
            if last_date.is_some_and(|d| row.transaction_date < d) {
                return Err(ExportError::OutOfOrder { date: row.transaction_date, account: row.account_id });
            }
            last_date = Some(row.transaction_date);
            summary.rows += 1;
            totals.rows += 1;
            if row.amount >= 0 {
                totals.credits += row.amount;
            } else {
                totals.debits += row.amount;
            }
            totals.closing_balance = row.balance;
            sink.row(account, summary.rows, &row)?;
        }
        sink.account_end(account, &totals)?;
        summary.accounts.push(totals);
    }
    if let Some(row) = rows.next() {
        let row = row?;
        return Err(ExportError::OutOfOrder { date: row.transaction_date, account: row.account_id });
    }
    sink.finish()?;
    Ok(summary)
}
