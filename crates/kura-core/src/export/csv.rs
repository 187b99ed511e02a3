//! CSV for spreadsheets and kakeibo apps: UTF-8 with BOM or CP932, Japanese or English headers, text
//! cells neutralised against formula injection (OWASP), amounts as plain signed integers.

use std::cell::RefCell;
use std::io::Write;
use std::rc::Rc;

use encoding_rs::SHIFT_JIS;

use super::ExportError;
use super::driver::Sink;
use super::model::{AccountTotals, Encoding, ExportAccount, ExportOptions, ExportRow, Lang, Unmappable};
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
    /// One record at a time is formatted into `buf` (UTF-8), then transcoded into `out`.
    record: csv::Writer<SharedBuf>,
    buf: Rc<RefCell<Vec<u8>>>,
    cp932: Option<Cp932>,
}

/// The csv writer's destination, readable by the sink between records.
struct SharedBuf(Rc<RefCell<Vec<u8>>>);

impl Write for SharedBuf {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        self.0.borrow_mut().extend_from_slice(data);
        Ok(data.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

struct Cp932 {
    encoder: encoding_rs::Encoder,
    buf: Vec<u8>,
    replacement: Option<Vec<u8>>,
}

impl<W: Write> CsvSink<W> {
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
                Some(Cp932 { encoder: SHIFT_JIS.new_encoder(), buf: Vec::with_capacity(4096), replacement })
            }
        };
        // CRLF: what Excel writes and what every Windows kakeibo app expects.
        let buf = Rc::new(RefCell::new(Vec::with_capacity(1024)));
        let record = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(SharedBuf(buf.clone()));
        let mut sink = CsvSink { out, record, buf, cp932 };
        let headers = match options.lang {
            Lang::Ja => HEADERS_JA,
            Lang::En => HEADERS_EN,
        };
        sink.record.write_record(headers)?;
        sink.emit(None)?;
        Ok(sink)
    }

    /// Moves the formatted record into the output, transcoding it when writing CP932.
    fn emit(&mut self, context: Option<(u64, &ExportAccount, &ExportRow)>) -> Result<(), ExportError> {
        self.record.flush()?;
        let mut utf8 = self.buf.borrow_mut();
        match &mut self.cp932 {
            None => self.out.write_all(&utf8)?,
            Some(cp932) => {
                cp932.encode(&utf8, context)?;
                self.out.write_all(&cp932.buf)?;
            }
        }
        utf8.clear();
        Ok(())
    }
}

impl Cp932 {
    fn encode(&mut self, utf8: &[u8], context: Option<(u64, &ExportAccount, &ExportRow)>) -> Result<(), ExportError> {
        // The csv writer only ever hands over whole UTF-8 records.
        let mut src = std::str::from_utf8(utf8).expect("csv writes the UTF-8 it is given");
        self.buf.clear();
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
                    None => {
                        let (number, account, row) =
                            context.expect("headers and fixed texts are all encodable in CP932");
                        let field = if row.remarks.contains(ch) { "remarks" } else { "account details" };
                        return Err(ExportError::Unmappable {
                            row: number,
                            date: row.transaction_date,
                            account: account.id.clone(),
                            field,
                            ch,
                        });
                    }
                },
            }
        }
    }
}

/// OWASP CSV injection: a text cell starting with `=`, `+`, `-`, `@`, tab or CR is prefixed with a
/// single quote so a spreadsheet shows it as text instead of evaluating it. Numeric cells are written
/// as numbers and never pass through here.
fn neutralise(text: &str) -> std::borrow::Cow<'_, str> {
    match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{text}").into(),
        _ => text.into(),
    }
}

impl<W: Write> Sink for CsvSink<W> {
    fn account_start(&mut self, _: &ExportAccount) -> Result<(), ExportError> {
        Ok(())
    }

    fn row(&mut self, account: &ExportAccount, number: u64, row: &ExportRow) -> Result<(), ExportError> {
        let amount = row.amount.to_string();
        let (credit, debit) =
            if row.amount >= 0 { (amount.clone(), String::new()) } else { (String::new(), (-row.amount).to_string()) };
        let date = format::date(row.transaction_date);
        let value_date = row.value_date.map(format::date).unwrap_or_default();
        let balance = row.balance.map(|b| b.to_string()).unwrap_or_default();
        self.record.write_record([
            date.as_str(),
            &value_date,
            &amount,
            &credit,
            &debit,
            &balance,
            &neutralise(&row.remarks),
            &neutralise(&account.id),
            &neutralise(&account.bank_code),
            &neutralise(&account.bank_name),
            &neutralise(&account.branch_name),
            &neutralise(&account.account_type_name),
            &neutralise(&account.account_number),
        ])?;
        self.emit(Some((number, account, row)))
    }

    fn account_end(&mut self, _: &ExportAccount, _: &AccountTotals) -> Result<(), ExportError> {
        Ok(())
    }

    fn finish(mut self) -> Result<(), ExportError> {
        self.out.flush()?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::neutralise;

    #[test]
    fn formula_starts_are_quoted_and_plain_text_is_not() {
        assert_eq!(neutralise("=HYPERLINK(\"http://x\",\"y\")"), "'=HYPERLINK(\"http://x\",\"y\")");
        for s in ["+1", "-1200", "@SUM(A1)", "\tx", "\rx"] {
            assert_eq!(neutralise(s), format!("'{s}"));
        }
        assert_eq!(neutralise("ｷﾕｳﾖ ｶ)ｸﾗ"), "ｷﾕｳﾖ ｶ)ｸﾗ");
        assert_eq!(neutralise(""), "");
    }
}
