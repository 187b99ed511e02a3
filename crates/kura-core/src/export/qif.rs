//! QIF bank registers. QIF has no standard date format; Kura writes ISO dates, `D2026-11-20`
//! (year-month-day, which GnuCash and KMyMoney offer as "y-m-d" on import). One `!Account` block per
//! account, each followed by its `!Type:Bank` register.

use std::io::Write;

use super::ExportError;
use super::driver::Sink;
use super::model::{ExportAccount, ExportOptions, ExportRow, Lang};

pub(super) struct QifSink<W: Write> {
    out: W,
    lang: Lang,
}

/// QIF fields are one line each: line breaks and other control characters become spaces.
fn line(s: &str) -> String {
    s.chars().map(|c| if c.is_control() { ' ' } else { c }).collect::<String>().trim().to_owned()
}

impl<W: Write> QifSink<W> {
    pub(super) fn new(out: W, options: &ExportOptions) -> Self {
        QifSink { out, lang: options.lang }
    }
}

impl<W: Write> Sink for QifSink<W> {
    fn account_start(&mut self, account: &ExportAccount) -> Result<(), ExportError> {
        let description = match self.lang {
            Lang::Ja => {
                format!("{} {} {}", account.bank_name, account.identity.branch_name, account.identity.account_type_name)
            }
            Lang::En => {
                format!(
                    "Bank {} branch {} type {}",
                    account.identity.bank_code, account.identity.branch_code, account.identity.account_type_code
                )
            }
        };
        write!(
            self.out,
            "!Account\nN{} {}\nD{}\nTBank\n^\n!Type:Bank\n",
            line(&account.bank_name),
            line(&account.id),
            line(&description)
        )?;
        Ok(())
    }

    fn row(&mut self, _: &ExportAccount, _: u64, row: &ExportRow) -> Result<(), ExportError> {
        let remarks = line(&row.remarks);
        write!(
            self.out,
            "D{}\nT{}\nCX\nN{}\nP{remarks}\nM{remarks}\n^\n",
            row.transaction_date.format("%Y-%m-%d"),
            row.amount,
            line(&row.uid)
        )?;
        Ok(())
    }

    fn finish(mut self) -> Result<(), ExportError> {
        self.out.flush()?;
        Ok(())
    }
}
