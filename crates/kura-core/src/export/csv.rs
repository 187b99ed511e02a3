//! CSV for spreadsheets and kakeibo apps: UTF-8 with BOM or CP932, Japanese or English headers, text
//! cells neutralised against formula injection (OWASP), amounts as plain signed integers.

use std::io::Write;

use chrono::{Datelike, NaiveDate};
use encoding_rs::SHIFT_JIS;

use super::ExportError;
use super::driver::Sink;
use super::model::{Encoding, ExportAccount, ExportOptions, ExportRow, Lang, Unmappable};
use crate::format;

const HEADERS_JA: [&str; 13] = [
    "取引日",
    "起算日",
    "金額",
    "入金額",
    "出金額",
    "残高",
    "摘要",
    "口座ID",
    "金融機関コード",
    "金融機関名",
    "支店名",
    "科目",
    "口座番号",
];
const HEADERS_EN: [&str; 13] = [
    "Date",
    "Value date",
    "Amount",
    "Credit",
    "Debit",
    "Balance",
    "Remarks",
    "Account ID",
    "Bank code",
    "Bank",
    "Branch",
    "Account type",
    "Account number",
];

pub(super) struct CsvSink<W: Write> {
    out: W,
    /// The record being formatted (UTF-8), reused so a row costs no allocation.
    record: Vec<u8>,
    /// The current account's six text columns with their leading commas and the line end: the same
    /// for every row of the account, so formatted (and transcoded) once per account.
    account_tail: Vec<u8>,
    cp932: Option<Cp932>,
}

struct Cp932 {
    encoder: encoding_rs::Encoder,
    /// The record in CP932.
    buf: Vec<u8>,
    replacement: Option<Vec<u8>>,
    /// `account_tail` in CP932, or the first character of it that CP932 cannot hold (reported at
    /// the account's first row, as nothing is written for an account without rows).
    account_tail: Result<Vec<u8>, char>,
}

impl<W: Write> CsvSink<W> {
    pub(super) fn new(mut out: W, options: &ExportOptions) -> Result<Self, ExportError> {
        let mut cp932 = match options.encoding {
            Encoding::Utf8Bom => {
                out.write_all("\u{feff}".as_bytes())?;
                None
            }
            Encoding::Cp932 => {
                let replacement = match options.unmappable {
                    Unmappable::Error => None,
                    Unmappable::Replace(c) => {
                        let mut utf8 = [0; 4];
                        let (bytes, _, unmappable) = SHIFT_JIS.encode(c.encode_utf8(&mut utf8));
                        if unmappable {
                            return Err(ExportError::BadReplacement(c));
                        }
                        Some(bytes.into_owned())
                    }
                };
                Some(Cp932 {
                    encoder: SHIFT_JIS.new_encoder(),
                    buf: Vec::with_capacity(1024),
                    replacement,
                    account_tail: Ok(Vec::new()),
                })
            }
        };
        let headers = match options.lang {
            Lang::Ja => HEADERS_JA,
            Lang::En => HEADERS_EN,
        };
        let mut record = Vec::with_capacity(1024);
        for (i, header) in headers.into_iter().enumerate() {
            if i > 0 {
                record.push(b',');
            }
            push_text(&mut record, header);
        }
        // CRLF: what Excel writes and what every Windows kakeibo app expects.
        record.extend_from_slice(b"\r\n");
        match &mut cp932 {
            None => out.write_all(&record)?,
            Some(cp932) => {
                cp932.buf.clear();
                cp932.encode(&record).expect("the headers are all encodable in CP932");
                out.write_all(&cp932.buf)?;
            }
        }
        Ok(CsvSink { out, record, account_tail: Vec::with_capacity(256), cp932 })
    }
}

impl Cp932 {
    /// Appends `utf8` in CP932 to `self.buf`; an unmappable character is replaced when the user asked
    /// for that, or else returned.
    fn encode(&mut self, utf8: &[u8]) -> Result<(), char> {
        // Only whole UTF-8 fields and records are ever formatted into the buffers.
        let mut src = std::str::from_utf8(utf8).expect("the CSV buffers hold UTF-8");
        if src.is_ascii() {
            // ASCII is the same bytes in CP932.
            self.buf.extend_from_slice(src.as_bytes());
            return Ok(());
        }
        loop {
            let needed = self
                .encoder
                .max_buffer_length_from_utf8_without_replacement(src.len())
                .expect("a record is far below usize::MAX bytes");
            self.buf.reserve(needed);
            let (result, read) = self.encoder.encode_from_utf8_to_vec_without_replacement(src, &mut self.buf, true);
            src = &src[read..];
            match result {
                encoding_rs::EncoderResult::InputEmpty => return Ok(()),
                encoding_rs::EncoderResult::OutputFull => continue,
                encoding_rs::EncoderResult::Unmappable(ch) => match &self.replacement {
                    Some(bytes) => self.buf.extend_from_slice(bytes),
                    None => return Err(ch),
                },
            }
        }
    }
}

/// Appends a text cell as the csv crate's `QuoteStyle::Necessary` writes it (quoted when it holds a
/// comma, a quote or a line break; quotes doubled), neutralised against formula injection per
/// OWASP: a cell starting with `=`, `+`, `-`, `@`, tab or CR gets a leading single quote so a
/// spreadsheet shows it as text instead of evaluating it. Numeric cells never pass through here.
fn push_text(buf: &mut Vec<u8>, text: &str) {
    let bytes = text.as_bytes();
    let formula = matches!(bytes.first(), Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r'));
    let quoted = bytes.iter().any(|b| matches!(b, b',' | b'"' | b'\r' | b'\n'));
    if quoted {
        buf.push(b'"');
    }
    if formula {
        buf.push(b'\'');
    }
    if quoted {
        let mut parts = bytes.split(|&b| b == b'"');
        if let Some(first) = parts.next() {
            buf.extend_from_slice(first);
        }
        for part in parts {
            buf.extend_from_slice(b"\"\"");
            buf.extend_from_slice(part);
        }
        buf.push(b'"');
    } else {
        buf.extend_from_slice(bytes);
    }
}

/// Appends the decimal digits of `n`.
fn push_unsigned(buf: &mut Vec<u8>, mut n: u64) {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    buf.extend_from_slice(&digits[at..]);
}

fn push_signed(buf: &mut Vec<u8>, n: i64) {
    if n < 0 {
        buf.push(b'-');
    }
    push_unsigned(buf, n.unsigned_abs());
}

/// Appends `2026/09/02`, as [`format::date`] writes it, without its format-string machinery (a
/// million rows have two dates each).
fn push_date(buf: &mut Vec<u8>, date: NaiveDate) {
    let year = date.year();
    if !(0..=9999).contains(&year) {
        // Signed and wider years: rare enough to take the general path.
        buf.extend_from_slice(format::date(date).as_bytes());
        return;
    }
    let year = year as u32;
    let (month, day) = (date.month(), date.day());
    let two = |n: u32| [b'0' + (n / 10) as u8, b'0' + (n % 10) as u8];
    buf.extend_from_slice(&two(year / 100));
    buf.extend_from_slice(&two(year % 100));
    buf.push(b'/');
    buf.extend_from_slice(&two(month));
    buf.push(b'/');
    buf.extend_from_slice(&two(day));
}

impl<W: Write> Sink for CsvSink<W> {
    fn account_start(&mut self, account: &ExportAccount) -> Result<(), ExportError> {
        self.account_tail.clear();
        for text in [
            &account.id,
            &account.identity.bank_code,
            &account.bank_name,
            &account.identity.branch_name,
            &account.identity.account_type_name,
            &account.identity.account_number,
        ] {
            self.account_tail.push(b',');
            push_text(&mut self.account_tail, text);
        }
        self.account_tail.extend_from_slice(b"\r\n");
        if let Some(cp932) = &mut self.cp932 {
            cp932.buf.clear();
            cp932.account_tail = match cp932.encode(&self.account_tail) {
                Ok(()) => Ok(cp932.buf.clone()),
                Err(ch) => Err(ch),
            };
        }
        Ok(())
    }

    fn row(&mut self, account: &ExportAccount, number: u64, row: &ExportRow) -> Result<(), ExportError> {
        let record = &mut self.record;
        record.clear();
        push_date(record, row.transaction_date);
        record.push(b',');
        if let Some(value_date) = row.value_date {
            push_date(record, value_date);
        }
        record.push(b',');
        push_signed(record, row.amount);
        record.push(b',');
        // Credit (入金額), then debit (出金額) as a positive number.
        if row.amount >= 0 {
            push_signed(record, row.amount);
            record.push(b',');
        } else {
            record.push(b',');
            push_unsigned(record, row.amount.unsigned_abs());
        }
        record.push(b',');
        if let Some(balance) = row.balance {
            push_signed(record, balance);
        }
        record.push(b',');
        push_text(record, &row.remarks);
        let Some(cp932) = &mut self.cp932 else {
            self.out.write_all(record)?;
            self.out.write_all(&self.account_tail)?;
            return Ok(());
        };
        let unmappable = |ch, field| ExportError::Unmappable {
            row: number,
            date: row.transaction_date,
            account: account.id.clone(),
            field,
            ch,
        };
        cp932.buf.clear();
        cp932.encode(record).map_err(|ch| unmappable(ch, "remarks"))?;
        self.out.write_all(&cp932.buf)?;
        match &cp932.account_tail {
            Ok(tail) => self.out.write_all(tail)?,
            Err(ch) => return Err(unmappable(*ch, "account details")),
        }
        Ok(())
    }

    fn finish(mut self) -> Result<(), ExportError> {
        self.out.flush()?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::{push_date, push_signed, push_text};
    use crate::format;

    fn text(s: &str) -> String {
        let mut buf = Vec::new();
        push_text(&mut buf, s);
        String::from_utf8(buf).unwrap()
    }

    #[test]
    fn formula_starts_are_quoted_and_plain_text_is_not() {
        assert_eq!(text("=HYPERLINK(\"http://x\",\"y\")"), "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"");
        for s in ["+1", "-1200", "@SUM(A1)", "\tx"] {
            assert_eq!(text(s), format!("'{s}"));
        }
        assert_eq!(text("\rx"), "\"'\rx\"");
        assert_eq!(text("ｷﾕｳﾖ ｶ)ｸﾗ"), "ｷﾕｳﾖ ｶ)ｸﾗ");
        assert_eq!(text(""), "");
    }

    /// The hand-written cells read back through the csv crate as the text (after the neutralising
    /// quote) they were given.
    #[test]
    fn text_cells_round_trip_through_a_csv_reader() {
        let cells = ["a,b", "say \"hi\", then\nnew line", "\"", "\"\"", "x\r\ny", "=1+2", "😀 ｶﾅ", "", "plain"];
        let mut line = Vec::new();
        for (i, cell) in cells.iter().enumerate() {
            if i > 0 {
                line.push(b',');
            }
            push_text(&mut line, cell);
        }
        line.extend_from_slice(b"\r\n");
        let mut reader = csv::ReaderBuilder::new().has_headers(false).from_reader(&line[..]);
        let record = reader.records().next().unwrap().unwrap();
        let read: Vec<&str> = record.iter().collect();
        let expected: Vec<String> =
            cells.iter().map(|c| if c.starts_with('=') { format!("'{c}") } else { (*c).to_owned() }).collect();
        assert_eq!(read, expected);
    }

    #[test]
    fn numbers_and_dates_are_written_like_their_display() {
        for n in [0, 1, -1, 9, 10, -10_000, 10_000_000_000, i64::MAX, i64::MIN + 1] {
            let mut buf = Vec::new();
            push_signed(&mut buf, n);
            assert_eq!(String::from_utf8(buf).unwrap(), n.to_string());
        }
        for d in ["2026-09-02", "0001-01-01", "0999-12-31", "9999-12-31", "-0001-03-04", "+10000-01-01"] {
            let date: NaiveDate = d.parse().unwrap();
            let mut buf = Vec::new();
            push_date(&mut buf, date);
            assert_eq!(String::from_utf8(buf).unwrap(), format::date(date), "{d}");
        }
    }
}
