//! QIF bank registers. QIF has no standard date format; Kura writes ISO dates, `D2026-11-20`
//! (year-month-day, which GnuCash and KMyMoney offer as "y-m-d" on import). One `!Account` block per
//! account, each followed by its `!Type:Bank` register.
//!
//! A line's category is its `L` field, `大項目:中項目` (QIF's category:subcategory). A transfer's
//! `L` names the other account in brackets, as QIF writes transfers: `[北央信用組合
//! 2011-001-4-7654321]`, the other account's own `!Account` name when it is in the file too (both
//! registers list the transfer, as Quicken writes them, and importers match the two), or
//! `[不明な口座]` when Kura knows no other side. The memo (`M`) is the line's memo, else its remarks.

use std::io::Write;

use super::ExportError;
use super::driver::Sink;
use super::model::{ExportAccount, ExportBooks, ExportOptions, ExportRow, Lang};

pub(super) struct QifSink<W: Write> {
    out: W,
    lang: Lang,
    /// The accounts transfers may name: the exported ones first, then the others.
    accounts: Vec<ExportAccount>,
}

/// The name of an account in QIF (its `!Account` `N` field): the union's name and Kura's id.
fn account_name(account: &ExportAccount) -> String {
    line(&format!("{} {}", account.bank_name, account.id))
}

/// What a transfer names when Kura knows no other side.
fn unknown_account(lang: Lang) -> &'static str {
    match lang {
        Lang::Ja => "不明な口座",
        Lang::En => "Unknown account",
    }
}

/// QIF fields are one line each: line breaks and other control characters become spaces.
fn line(s: &str) -> String {
    s.chars().map(|c| if c.is_control() { ' ' } else { c }).collect::<String>().trim().to_owned()
}

impl<W: Write> QifSink<W> {
    pub(super) fn new(out: W, options: &ExportOptions, accounts: &[ExportAccount], books: &ExportBooks) -> Self {
        let accounts = accounts.iter().chain(&books.other_accounts).cloned().collect();
        QifSink { out, lang: options.lang, accounts }
    }

    /// The `L` field of a row, if it has one.
    fn category(&self, row: &ExportRow) -> Option<String> {
        if row.books.transfer {
            let other = row.books.pair.as_ref().and_then(|p| self.accounts.iter().find(|a| a.id == p.account_id));
            let name = other.map_or_else(|| unknown_account(self.lang).to_owned(), account_name);
            // Brackets inside would end the account name early.
            return Some(format!("[{}]", name.replace(['[', ']'], "_")));
        }
        let names = [&row.books.category, &row.books.subcategory];
        // A colon inside a name would make another level of QIF's category:subcategory.
        let parts: Vec<String> = names.into_iter().flatten().map(|n| line(n).replace(':', "：")).collect();
        (!parts.is_empty()).then(|| parts.join(":"))
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
        write!(self.out, "!Account\nN{}\nD{}\nTBank\n^\n!Type:Bank\n", account_name(account), line(&description))?;
        Ok(())
    }

    fn row(&mut self, _: &ExportAccount, _: u64, row: &ExportRow) -> Result<(), ExportError> {
        let remarks = line(&row.remarks);
        let memo = row.books.memo.as_deref().map(line).filter(|m| !m.is_empty()).unwrap_or_else(|| remarks.clone());
        write!(
            self.out,
            "D{}\nT{}\nCX\nN{}\nP{remarks}\nM{memo}\n",
            row.transaction_date.format("%Y-%m-%d"),
            row.amount,
            line(&row.uid)
        )?;
        if let Some(category) = self.category(row) {
            writeln!(self.out, "L{category}")?;
        }
        self.out.write_all(b"^\n")?;
        Ok(())
    }

    fn finish(mut self) -> Result<(), ExportError> {
        self.out.flush()?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::super::model::Format;
    use super::super::{export, testdata};
    use super::*;

    #[test]
    fn categories_are_l_fields_and_transfers_name_the_other_account() {
        let mut out = Vec::new();
        export(testdata::input(), &ExportOptions::new(Format::Qif), &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        let fields: Vec<(&str, &str)> = text
            .split("^\n")
            .filter_map(|record| {
                let number = record.lines().find_map(|l| l.strip_prefix('N').filter(|n| n.len() == 2))?;
                Some((number, record.lines().find_map(|l| l.strip_prefix('L')).unwrap_or_default()))
            })
            .collect();
        assert_eq!(
            fields,
            [
                ("a1", "食費:外食"),
                ("a2", "[北央信用組合 2011-001-1-2222222]"),
                ("a3", "[北央信用組合 2011-001-1-3333333]"),
                ("b1", "[北央信用組合 2011-001-1-1111111]"),
                ("b2", "給与"),
                ("b3", "[不明な口座]"),
            ]
        );
        assert!(text.contains("\nM=昼, 同僚と\n"), "the memo, else the remarks: {text}");
    }
}
