//! CSV for spreadsheets and kakeibo apps: UTF-8 with BOM or CP932, Japanese or English headers, text
//! cells neutralised against formula injection (OWASP), amounts as plain signed integers. The
//! record writing here ([`CsvOut`], the `push_*` cells) serves the Money Forward ME and Zaim
//! layouts too.

use std::collections::HashMap;
use std::io::Write;

use chrono::{Datelike, NaiveDate};
use encoding_rs::SHIFT_JIS;

use super::ExportError;
use super::driver::Sink;
use super::model::{Encoding, ExportAccount, ExportOptions, ExportRow, Lang, RowBooks, Unmappable};
use crate::format;
use crate::model::CategoryId;

const HEADERS_JA: [&str; 17] = [
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
    "大項目",
    "中項目",
    "メモ",
    "振替",
];
const HEADERS_EN: [&str; 17] = [
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
    "Category",
    "Subcategory",
    "Memo",
    "Transfer",
];

/// Where CSV records go: the output in UTF-8 (after a byte-order mark), or in CP932 with the
/// person's choice for characters it cannot hold. In CP932 a record is encoded whole before any
/// of it is written, so a record that fails is never half-written.
pub(super) struct CsvOut<W: Write> {
    out: W,
    cp932: Option<Cp932>,
}

struct Cp932 {
    encoder: encoding_rs::Encoder,
    /// The record being written, in CP932.
    buf: Vec<u8>,
    replacement: Option<Vec<u8>>,
}

/// Which row a record writes, for the error about a character CP932 cannot hold.
pub(super) struct At<'a> {
    pub number: u64,
    pub date: NaiveDate,
    pub account: &'a str,
}

impl At<'_> {
    fn unmappable(&self, field: &'static str, ch: char) -> ExportError {
        ExportError::Unmappable { row: self.number, date: self.date, account: self.account.to_owned(), field, ch }
    }
}

/// Text written once and repeated on many records (an account's columns), encoded once: the
/// bytes, or the first character CP932 cannot hold (reported at the first record that uses it,
/// as nothing is written for an account without rows).
pub(super) struct Cached {
    utf8: Vec<u8>,
    cp932: Result<Vec<u8>, char>,
}

impl<W: Write> CsvOut<W> {
    pub(super) fn new(mut out: W, options: &ExportOptions) -> Result<Self, ExportError> {
        let cp932 = match options.encoding {
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
                Some(Cp932 { encoder: SHIFT_JIS.new_encoder(), buf: Vec::with_capacity(1024), replacement })
            }
        };
        Ok(CsvOut { out, cp932 })
    }

    /// Writes the header record: fixed titles, all encodable.
    pub(super) fn header(&mut self, titles: &[&str]) -> Result<(), ExportError> {
        let mut record = Vec::with_capacity(256);
        for (i, title) in titles.iter().enumerate() {
            if i > 0 {
                record.push(b',');
            }
            push_text(&mut record, title);
        }
        // CRLF: what Excel writes and what every Windows kakeibo app expects.
        record.extend_from_slice(b"\r\n");
        let at = At { number: 0, date: NaiveDate::MIN, account: "" };
        self.put(&record, &at, "other")?;
        self.end_record()
    }

    /// Appends a piece of the current record (whole UTF-8 cells); `field` names its cells in an
    /// error about a character CP932 cannot hold.
    pub(super) fn put(&mut self, utf8: &[u8], at: &At<'_>, field: &'static str) -> Result<(), ExportError> {
        match &mut self.cp932 {
            None => Ok(self.out.write_all(utf8)?),
            Some(cp932) => cp932.encode(utf8).map_err(|ch| at.unmappable(field, ch)),
        }
    }

    /// Encodes text that many records repeat.
    pub(super) fn cache(&mut self, utf8: Vec<u8>) -> Cached {
        let cp932 = match &mut self.cp932 {
            None => Ok(Vec::new()),
            Some(cp932) => {
                let start = cp932.buf.len();
                let encoded = cp932.encode(&utf8).map(|()| cp932.buf[start..].to_vec());
                cp932.buf.truncate(start);
                encoded
            }
        };
        Cached { utf8, cp932 }
    }

    /// Appends cached text to the current record.
    pub(super) fn put_cached(&mut self, cached: &Cached, at: &At<'_>, field: &'static str) -> Result<(), ExportError> {
        match &mut self.cp932 {
            None => Ok(self.out.write_all(&cached.utf8)?),
            Some(cp932) => match &cached.cp932 {
                Ok(bytes) => {
                    cp932.buf.extend_from_slice(bytes);
                    Ok(())
                }
                Err(ch) => Err(at.unmappable(field, *ch)),
            },
        }
    }

    /// Ends the current record (whose pieces end with the line break).
    pub(super) fn end_record(&mut self) -> Result<(), ExportError> {
        if let Some(cp932) = &mut self.cp932 {
            self.out.write_all(&cp932.buf)?;
            cp932.buf.clear();
        }
        Ok(())
    }

    pub(super) fn finish(mut self) -> Result<(), ExportError> {
        self.out.flush()?;
        Ok(())
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

/// The category cells (",大項目,中項目") of each category met, formatted and encoded once: the
/// names repeat on most rows, and transcoding kanji to CP932 per row cost more than the rest of
/// the record.
#[derive(Default)]
pub(super) struct CategoryCells(HashMap<Option<CategoryId>, Cached>);

impl CategoryCells {
    /// Appends the cells of the category `books` names to the current record.
    pub(super) fn put<W: Write>(
        &mut self,
        out: &mut CsvOut<W>,
        books: &RowBooks,
        at: &At<'_>,
    ) -> Result<(), ExportError> {
        let cells = self.0.entry(books.category_id).or_insert_with(|| {
            let mut cells = Vec::new();
            for name in [&books.category, &books.subcategory] {
                cells.push(b',');
                push_text(&mut cells, name.as_deref().unwrap_or_default());
            }
            out.cache(cells)
        });
        out.put_cached(cells, at, "category")
    }
}

/// Appends the books' four columns (大項目, 中項目, メモ, 振替 as 1 or 0) with their leading commas,
/// each as [`push_text`] writes text.
pub(super) fn push_books_columns<W: Write>(
    out: &mut CsvOut<W>,
    buf: &mut Vec<u8>,
    categories: &mut CategoryCells,
    row: &ExportRow,
    at: &At<'_>,
) -> Result<(), ExportError> {
    categories.put(out, &row.books, at)?;
    buf.clear();
    buf.push(b',');
    push_text(buf, row.books.memo.as_deref().unwrap_or_default());
    out.put(buf, at, "memo")?;
    out.put(if row.books.transfer { b",1" } else { b",0" }, at, "other")
}

pub(super) struct CsvSink<W: Write> {
    out: CsvOut<W>,
    /// The record being formatted (UTF-8), reused so a row costs no allocation.
    record: Vec<u8>,
    /// The current account's six text columns with their leading commas: the same for every row
    /// of the account, so formatted (and transcoded) once per account.
    account_tail: Cached,
    categories: CategoryCells,
}

impl<W: Write> CsvSink<W> {
    pub(super) fn new(out: W, options: &ExportOptions) -> Result<Self, ExportError> {
        let mut out = CsvOut::new(out, options)?;
        out.header(match options.lang {
            Lang::Ja => &HEADERS_JA,
            Lang::En => &HEADERS_EN,
        })?;
        let account_tail = out.cache(Vec::new());
        Ok(CsvSink { out, record: Vec::with_capacity(1024), account_tail, categories: CategoryCells::default() })
    }
}

/// Appends a text cell as the csv crate's `QuoteStyle::Necessary` writes it (quoted when it holds a
/// comma, a quote or a line break; quotes doubled), neutralised against formula injection per
/// OWASP: a cell starting with `=`, `+`, `-`, `@`, tab or CR gets a leading single quote so a
/// spreadsheet shows it as text instead of evaluating it. Numeric cells never pass through here.
pub(super) fn push_text(buf: &mut Vec<u8>, text: &str) {
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
pub(super) fn push_unsigned(buf: &mut Vec<u8>, mut n: u64) {
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

pub(super) fn push_signed(buf: &mut Vec<u8>, n: i64) {
    if n < 0 {
        buf.push(b'-');
    }
    push_unsigned(buf, n.unsigned_abs());
}

/// Appends `2026/09/02`, as [`format::date`] writes it, without its format-string machinery (a
/// million rows have two dates each).
pub(super) fn push_date(buf: &mut Vec<u8>, date: NaiveDate) {
    push_date_with(buf, date, b'/');
}

/// Appends `2026-09-02` (ISO 8601).
pub(super) fn push_iso_date(buf: &mut Vec<u8>, date: NaiveDate) {
    push_date_with(buf, date, b'-');
}

fn push_date_with(buf: &mut Vec<u8>, date: NaiveDate, separator: u8) {
    let year = date.year();
    if !(0..=9999).contains(&year) {
        // Signed and wider years: rare enough to take the general path.
        let written = match separator {
            b'/' => format::date(date),
            _ => date.format("%Y-%m-%d").to_string(),
        };
        buf.extend_from_slice(written.as_bytes());
        return;
    }
    let year = year as u32;
    let (month, day) = (date.month(), date.day());
    let two = |n: u32| [b'0' + (n / 10) as u8, b'0' + (n % 10) as u8];
    buf.extend_from_slice(&two(year / 100));
    buf.extend_from_slice(&two(year % 100));
    buf.push(separator);
    buf.extend_from_slice(&two(month));
    buf.push(separator);
    buf.extend_from_slice(&two(day));
}

impl<W: Write> Sink for CsvSink<W> {
    fn account_start(&mut self, account: &ExportAccount) -> Result<(), ExportError> {
        let mut tail = Vec::with_capacity(256);
        for text in [
            &account.id,
            &account.identity.bank_code,
            &account.bank_name,
            &account.identity.branch_name,
            &account.identity.account_type_name,
            &account.identity.account_number,
        ] {
            tail.push(b',');
            push_text(&mut tail, text);
        }
        self.account_tail = self.out.cache(tail);
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
        let at = At { number, date: row.transaction_date, account: &account.id };
        self.out.put(record, &at, "remarks")?;
        self.out.put_cached(&self.account_tail, &at, "account details")?;
        push_books_columns(&mut self.out, &mut self.record, &mut self.categories, row, &at)?;
        self.out.put(b"\r\n", &at, "other")?;
        self.out.end_record()
    }

    fn finish(self) -> Result<(), ExportError> {
        self.out.finish()
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
