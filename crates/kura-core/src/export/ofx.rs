//! OFX 2.2 (XML) bank statements: one STMTRS per account, for GnuCash, KMyMoney, HomeBank and Money
//! Manager Ex. FITIDs are Kura's stable row ids, so importing an overlapping export again does not
//! duplicate transactions.
//!
//! OFX has no category element: a line's category (`大項目:中項目`) and memo go into its MEMO, after
//! the remarks when NAME cut them short, and a transfer between the household's accounts is an
//! `XFER`.

use std::io::Write;

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use quick_xml::escape::escape;

use super::ExportError;
use super::driver::Sink;
use super::model::{AccountTotals, BalanceSnapshot, ExportAccount, ExportRow};
use crate::format::jst;

/// OFX limits NAME to 32 characters and MEMO to 255 (ofxtools enforces them).
const NAME_MAX: usize = 32;
const MEMO_MAX: usize = 255;

pub(super) struct OfxSink<W: Write> {
    out: W,
    transaction_list_open: bool,
    statements: u32,
    /// Date and balance of the current account's last row.
    last_row: Option<(NaiveDate, Option<i64>)>,
}

/// A moment in OFX's `YYYYMMDDHHMMSS.XXX[+9:JST]` form.
fn ofx_time(t: DateTime<Utc>) -> String {
    t.with_timezone(&jst()).format("%Y%m%d%H%M%S.000[+9:JST]").to_string()
}

/// A calendar date as noon JST: importers that convert to their own time zone still land on the
/// same day anywhere from UTC-11 to UTC+12.
fn ofx_date(d: NaiveDate) -> String {
    let noon = d.and_time(NaiveTime::from_hms_opt(12, 0, 0).expect("noon exists"));
    format!("{}.000[+9:JST]", noon.format("%Y%m%d%H%M%S"))
}

/// Single-line, XML-escaped text of at most `max` characters, without control characters XML 1.0
/// forbids.
fn text(s: &str, max: usize) -> String {
    let line: String =
        s.chars().map(|c| if c.is_control() { ' ' } else { c }).take(max).collect::<String>().trim().to_owned();
    escape(line).into_owned()
}

/// 普通 and 貯蓄 deposits are savings, 当座 is checking, 定期 a time deposit (CD).
fn account_type(code: &str) -> &'static str {
    match code {
        "02" => "CHECKING",
        "11" => "CD",
        _ => "SAVINGS",
    }
}

impl<W: Write> OfxSink<W> {
    pub(super) fn new(mut out: W, accounts: &[ExportAccount]) -> Result<Self, ExportError> {
        // DTSERVER must not depend on the clock (deterministic output): the latest moment the bank
        // stated a balance, which is when the data was current.
        let server_time = accounts.iter().filter_map(|a| a.snapshots.last()).map(|s| s.as_of).max();
        write!(
            out,
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>\n\
             <?OFX OFXHEADER=\"200\" VERSION=\"220\" SECURITY=\"NONE\" OLDFILEUID=\"NONE\" NEWFILEUID=\"NONE\"?>\n\
             <OFX>\n<SIGNONMSGSRSV1><SONRS><STATUS><CODE>0</CODE><SEVERITY>INFO</SEVERITY></STATUS>\
             <DTSERVER>{}</DTSERVER><LANGUAGE>JPN</LANGUAGE></SONRS></SIGNONMSGSRSV1>\n<BANKMSGSRSV1>\n",
            ofx_time(server_time.unwrap_or(DateTime::<Utc>::UNIX_EPOCH))
        )?;
        Ok(OfxSink { out, transaction_list_open: false, statements: 0, last_row: None })
    }

    fn open_transaction_list(&mut self, start: NaiveDate, end: NaiveDate) -> Result<(), ExportError> {
        writeln!(self.out, "<BANKTRANLIST><DTSTART>{}</DTSTART><DTEND>{}</DTEND>", ofx_date(start), ofx_date(end))?;
        self.transaction_list_open = true;
        Ok(())
    }
}

impl<W: Write> Sink for OfxSink<W> {
    fn account_start(&mut self, account: &ExportAccount) -> Result<(), ExportError> {
        self.statements += 1;
        write!(
            self.out,
            "<STMTTRNRS><TRNUID>{}</TRNUID><STATUS><CODE>0</CODE><SEVERITY>INFO</SEVERITY></STATUS>\n\
             <STMTRS><CURDEF>JPY</CURDEF>\n<BANKACCTFROM><BANKID>{}</BANKID><BRANCHID>{}</BRANCHID>\
             <ACCTID>{}</ACCTID><ACCTTYPE>{}</ACCTTYPE></BANKACCTFROM>\n",
            self.statements,
            text(&account.identity.bank_code, 9),
            text(&account.identity.branch_code, 22),
            text(&account.identity.account_number, 22),
            account_type(&account.identity.account_type_code),
        )?;
        if let Some((start, end)) = account.period {
            self.open_transaction_list(start, end)?;
        }
        Ok(())
    }

    fn row(&mut self, account: &ExportAccount, _: u64, row: &ExportRow) -> Result<(), ExportError> {
        if !self.transaction_list_open {
            let end = account.snapshots.last().map_or(row.transaction_date, |s| s.date.max(row.transaction_date));
            self.open_transaction_list(row.transaction_date, end)?;
        }
        let kind = match row.amount {
            _ if row.books.transfer => "XFER",
            0.. => "CREDIT",
            _ => "DEBIT",
        };
        write!(self.out, "<STMTTRN><TRNTYPE>{kind}</TRNTYPE><DTPOSTED>{}</DTPOSTED>", ofx_date(row.transaction_date))?;
        if let Some(value_date) = row.value_date {
            write!(self.out, "<DTUSER>{}</DTUSER>", ofx_date(value_date))?;
        }
        write!(self.out, "<TRNAMT>{}</TRNAMT><FITID>{}</FITID>", row.amount, text(&row.uid, 255))?;
        let name = text(&row.remarks, NAME_MAX);
        if !name.is_empty() {
            write!(self.out, "<NAME>{name}</NAME>")?;
        }
        let category: Vec<&str> =
            [&row.books.category, &row.books.subcategory].into_iter().flatten().map(String::as_str).collect();
        let category = category.join(":");
        let memo: Vec<&str> = [
            if row.remarks.chars().count() > NAME_MAX { row.remarks.as_str() } else { "" },
            &category,
            row.books.memo.as_deref().unwrap_or_default(),
        ]
        .into_iter()
        .filter(|s| !s.trim().is_empty())
        .collect();
        if !memo.is_empty() {
            write!(self.out, "<MEMO>{}</MEMO>", text(&memo.join(" / "), MEMO_MAX))?;
        }
        self.out.write_all(b"</STMTTRN>\n")?;
        self.last_row = Some((row.transaction_date, row.balance));
        Ok(())
    }

    fn account_end(&mut self, account: &ExportAccount, totals: &AccountTotals) -> Result<(), ExportError> {
        if self.transaction_list_open {
            self.out.write_all(b"</BANKTRANLIST>\n")?;
            self.transaction_list_open = false;
        }
        // The latest snapshot is the bank's own statement of the balance, unless rows after it were
        // exported; then the balance after the last row is the later truth. With neither, the
        // required element states zero as of the period's end.
        let latest: Option<&BalanceSnapshot> = account.snapshots.last();
        let (amount, as_of) = match (latest, self.last_row.take()) {
            (Some(s), last) if last.is_none_or(|(date, _)| s.date >= date) => (s.balance, ofx_time(s.as_of)),
            (_, Some((date, Some(balance)))) => (balance, ofx_date(date)),
            (_, last) => (
                totals.closing_balance.unwrap_or(0),
                ofx_date(account.period.map(|p| p.1).or(last.map(|l| l.0)).unwrap_or_default()),
            ),
        };
        write!(
            self.out,
            "<LEDGERBAL><BALAMT>{amount}</BALAMT><DTASOF>{as_of}</DTASOF></LEDGERBAL>\n</STMTRS></STMTTRNRS>\n"
        )?;
        Ok(())
    }

    fn finish(mut self) -> Result<(), ExportError> {
        self.out.write_all(b"</BANKMSGSRSV1>\n</OFX>\n")?;
        self.out.flush()?;
        Ok(())
    }
}
