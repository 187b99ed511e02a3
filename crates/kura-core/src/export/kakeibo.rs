//! The CSV layouts of the two Japanese household-book services people already keep their books
//! in, so Kura's lines go where their spreadsheets and imports expect them: Money Forward ME's
//! download (計算対象, 日付, 内容, 金額（円）, 保有金融機関, 大項目, 中項目, メモ, 振替, ID) and Zaim's
//! file upload (日付, 方法, カテゴリ, カテゴリの内訳, 支払元, 入金先, 品目, メモ, お店, 通貨, 収入, 支出, 振替,
//! 残高調整). The headers are the services' own, whatever the export's language; the category names
//! follow it. Both are written like Kura's CSV ([`CsvOut`]): UTF-8 with BOM or CP932, text cells
//! neutralised against formula injection.
//!
//! Money Forward lists every line of every account, so a transfer appears on both of its sides,
//! with 計算対象 0 (left out of its totals) and 振替 1. Zaim records a transfer as one movement from
//! 支払元 to 入金先: a pair whose two lines are both exported is written once, at the side whose
//! account comes first; a transfer whose other side is not exported names it when Kura knows it.

use std::collections::HashMap;
use std::io::Write;

use super::ExportError;
use super::csv::{
    At, Cached, CategoryCells, CsvOut, push_books_columns, push_date, push_iso_date, push_signed, push_text,
    push_unsigned,
};
use super::driver::Sink;
use super::model::{ExportAccount, ExportBooks, ExportOptions, ExportRow};

const MONEY_FORWARD_HEADERS: [&str; 10] =
    ["計算対象", "日付", "内容", "金額（円）", "保有金融機関", "大項目", "中項目", "メモ", "振替", "ID"];
const ZAIM_HEADERS: [&str; 14] = [
    "日付",
    "方法",
    "カテゴリ",
    "カテゴリの内訳",
    "支払元",
    "入金先",
    "品目",
    "メモ",
    "お店",
    "通貨",
    "収入",
    "支出",
    "振替",
    "残高調整",
];

/// An account as the services name one: the union's name, then the account as its passbook
/// shows it (`北央信用組合 本店 普通 1234567`).
fn account_label(account: &ExportAccount) -> String {
    let identity = &account.identity;
    [&account.bank_name, &identity.branch_name, &identity.account_type_name, &identity.account_number]
        .into_iter()
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

pub(super) struct MoneyForwardSink<W: Write> {
    out: CsvOut<W>,
    record: Vec<u8>,
    /// The current account's 保有金融機関 cell with its leading comma, encoded once per account.
    institution: Cached,
    categories: CategoryCells,
}

impl<W: Write> MoneyForwardSink<W> {
    pub(super) fn new(out: W, options: &ExportOptions) -> Result<Self, ExportError> {
        let mut out = CsvOut::new(out, options)?;
        out.header(&MONEY_FORWARD_HEADERS)?;
        let institution = out.cache(Vec::new());
        Ok(MoneyForwardSink { out, record: Vec::with_capacity(512), institution, categories: CategoryCells::default() })
    }
}

impl<W: Write> Sink for MoneyForwardSink<W> {
    fn account_start(&mut self, account: &ExportAccount) -> Result<(), ExportError> {
        let mut cell = vec![b','];
        push_text(&mut cell, &account_label(account));
        self.institution = self.out.cache(cell);
        Ok(())
    }

    fn row(&mut self, account: &ExportAccount, number: u64, row: &ExportRow) -> Result<(), ExportError> {
        let record = &mut self.record;
        record.clear();
        // 計算対象: a transfer is neither spending nor income.
        record.extend_from_slice(if row.books.transfer { b"0," } else { b"1," });
        push_date(record, row.transaction_date);
        record.push(b',');
        push_text(record, &row.remarks);
        record.push(b',');
        push_signed(record, row.amount);
        let at = At { number, date: row.transaction_date, account: &account.id };
        self.out.put(record, &at, "remarks")?;
        self.out.put_cached(&self.institution, &at, "account details")?;
        push_books_columns(&mut self.out, &mut self.record, &mut self.categories, row, &at)?;
        // The ID is unique in the file, as the service's is: a line's uid is unique in its account.
        let record = &mut self.record;
        record.clear();
        record.push(b',');
        push_text(record, &format!("{}:{}", account.id, row.uid));
        record.extend_from_slice(b"\r\n");
        self.out.put(record, &at, "other")?;
        self.out.end_record()
    }

    fn finish(self) -> Result<(), ExportError> {
        self.out.finish()
    }
}

pub(super) struct ZaimSink<W: Write> {
    out: CsvOut<W>,
    record: Vec<u8>,
    /// Each exported account's place in the export's order, by Kura's account id.
    order: HashMap<String, usize>,
    /// The name of every account a row may name (the exported ones and the other sides of
    /// transfers), by Kura's account id.
    labels: HashMap<String, String>,
    categories: CategoryCells,
}

impl<W: Write> ZaimSink<W> {
    pub(super) fn new(
        out: W,
        options: &ExportOptions,
        accounts: &[ExportAccount],
        books: &ExportBooks,
    ) -> Result<Self, ExportError> {
        let mut out = CsvOut::new(out, options)?;
        out.header(&ZAIM_HEADERS)?;
        let order = accounts.iter().enumerate().map(|(i, a)| (a.id.clone(), i)).collect();
        let labels = accounts.iter().chain(&books.other_accounts).map(|a| (a.id.clone(), account_label(a))).collect();
        Ok(ZaimSink { out, record: Vec::with_capacity(512), order, labels, categories: CategoryCells::default() })
    }
}

impl<W: Write> Sink for ZaimSink<W> {
    fn row(&mut self, account: &ExportAccount, number: u64, row: &ExportRow) -> Result<(), ExportError> {
        let books = &row.books;
        let this = self.labels.get(&account.id).map(String::as_str);
        let (method, from, to) = if books.transfer {
            if let Some(pair) = books.exported_pair() {
                // The second side: written with the first, at the account that comes first.
                if self.order.get(&pair.account_id) < self.order.get(&account.id) {
                    return Ok(());
                }
            }
            let other = books.pair.as_ref().and_then(|p| self.labels.get(&p.account_id)).map(String::as_str);
            if row.amount < 0 { ("transfer", this, other) } else { ("transfer", other, this) }
        } else if row.amount < 0 {
            ("payment", this, None)
        } else {
            ("income", None, this)
        };
        let at = At { number, date: row.transaction_date, account: &account.id };
        let record = &mut self.record;
        record.clear();
        push_iso_date(record, row.transaction_date);
        record.push(b',');
        record.extend_from_slice(method.as_bytes());
        self.out.put(record, &at, "other")?;
        record.clear();
        // A transfer has no category in Zaim.
        if books.transfer {
            self.out.put(b",,", &at, "category")?;
        } else {
            self.categories.put(&mut self.out, books, &at)?;
        }
        for name in [from, to] {
            record.push(b',');
            push_text(record, name.unwrap_or_default());
        }
        self.out.put(record, &at, "account")?;
        record.clear();
        record.push(b',');
        push_text(record, &row.remarks);
        self.out.put(record, &at, "remarks")?;
        record.clear();
        record.push(b',');
        push_text(record, books.memo.as_deref().unwrap_or_default());
        self.out.put(record, &at, "memo")?;
        // お店 (left empty: a bank's remarks are the 品目, payee and all), 通貨, then 収入, 支出,
        // 振替 and 残高調整, each a positive number or 0, as Zaim writes them.
        record.clear();
        record.extend_from_slice(b",,JPY");
        let amount = row.amount.unsigned_abs();
        let column = match method {
            "income" => 0,
            "payment" => 1,
            _ => 2,
        };
        for i in 0..4 {
            record.push(b',');
            push_unsigned(record, if i == column { amount } else { 0 });
        }
        record.extend_from_slice(b"\r\n");
        self.out.put(record, &at, "other")?;
        self.out.end_record()
    }

    fn finish(self) -> Result<(), ExportError> {
        self.out.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::super::model::{Encoding, Format, Unmappable};
    use super::super::testdata::input;
    use super::super::{ExportError, export};
    use super::*;

    fn records(format: Format, encoding: Encoding) -> Vec<Vec<String>> {
        let mut options = ExportOptions::new(format);
        options.encoding = encoding;
        let mut out = Vec::new();
        export(input(), &options, &mut out).unwrap();
        let text = match encoding {
            Encoding::Utf8Bom => String::from_utf8(out.strip_prefix("\u{feff}".as_bytes()).unwrap().to_vec()).unwrap(),
            Encoding::Cp932 => {
                let (text, _, malformed) = encoding_rs::SHIFT_JIS.decode(&out);
                assert!(!malformed);
                text.into_owned()
            }
        };
        assert!(text.ends_with("\r\n"));
        csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(text.as_bytes())
            .records()
            .map(|r| r.unwrap().iter().map(str::to_owned).collect())
            .collect()
    }

    #[test]
    fn money_forward_lists_every_line_with_transfers_left_out_of_the_totals() {
        for encoding in [Encoding::Utf8Bom, Encoding::Cp932] {
            let r = records(Format::MoneyForward, encoding);
            assert_eq!(r[0], MONEY_FORWARD_HEADERS);
            assert_eq!(r.len(), 7, "every line, both sides of the transfer");
            assert_eq!(
                r[1],
                [
                    "1",
                    "2026/11/02",
                    "ｶ-ﾄﾞ ﾎｸﾃﾞﾝ",
                    "-1200",
                    "北央信用組合 本店 普通 1111111",
                    "食費",
                    "外食",
                    "'=昼, 同僚と",
                    "0",
                    "2011-001-1-1111111:a1"
                ]
            );
            assert_eq!(r[2][..4], ["0", "2026/11/03", "ﾌﾘｶｴ", "-30000"]);
            assert_eq!(r[2][8], "1");
            assert_eq!(r[4][..5], ["0", "2026/11/04", "ﾌﾘｶｴ", "30000", "北央信用組合 本店 普通 2222222"]);
            assert_eq!(r[5][5..9], ["給与", "", "", "0"]);
        }
    }

    #[test]
    fn zaim_writes_a_paired_transfer_once_from_one_account_to_the_other() {
        for encoding in [Encoding::Utf8Bom, Encoding::Cp932] {
            let r = records(Format::Zaim, encoding);
            assert_eq!(r[0], ZAIM_HEADERS);
            let (a, b, c) =
                ("北央信用組合 本店 普通 1111111", "北央信用組合 本店 普通 2222222", "北央信用組合 本店 普通 3333333");
            let expected: [[&str; 14]; 5] = [
                [
                    "2026-11-02",
                    "payment",
                    "食費",
                    "外食",
                    a,
                    "",
                    "ｶ-ﾄﾞ ﾎｸﾃﾞﾝ",
                    "'=昼, 同僚と",
                    "",
                    "JPY",
                    "0",
                    "1200",
                    "0",
                    "0",
                ],
                ["2026-11-03", "transfer", "", "", a, b, "ﾌﾘｶｴ", "", "", "JPY", "0", "0", "30000", "0"],
                ["2026-11-05", "transfer", "", "", a, c, "ﾌﾘｶｴ", "", "", "JPY", "0", "0", "5000", "0"],
                ["2026-11-25", "income", "給与", "", "", b, "ｷﾕｳﾖ", "", "", "JPY", "250000", "0", "0", "0"],
                ["2026-11-26", "transfer", "", "", "", b, "ATM", "", "", "JPY", "0", "0", "700", "0"],
            ];
            assert_eq!(r[1..], expected.map(|e| e.map(str::to_owned)));
        }
    }

    #[test]
    fn a_character_cp932_cannot_hold_is_reported_in_its_column() {
        let mut options = ExportOptions::new(Format::Zaim);
        options.encoding = Encoding::Cp932;
        let unmappable = || {
            let mut input = input();
            input.books.other_accounts[0].bank_name = "𠮷信用組合".into();
            input
        };
        let err = export(unmappable(), &options, Vec::new()).unwrap_err();
        assert!(matches!(err, ExportError::Unmappable { row: 3, field: "account", ch: '𠮷', .. }), "{err:?}");
        options.unmappable = Unmappable::Replace('〓');
        export(unmappable(), &options, Vec::new()).unwrap();
    }
}
