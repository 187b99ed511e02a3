//! Rows for the sinks' unit tests: two exported accounts with a paired transfer between them, a
//! transfer to an account not exported, one Kura could not pair, and categorised lines.

use chrono::NaiveDate;

use super::ExportError;
use super::model::{ExportAccount, ExportBooks, ExportInput, ExportRow, RowBooks, TransferPair};
use crate::books::{Category, CategoryTree, Kind};
use crate::model::{AccountIdentity, CategoryId, Transaction};

fn date(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn account(id: &str, number: &str) -> ExportAccount {
    ExportAccount {
        id: id.into(),
        identity: AccountIdentity {
            bank_code: "2011".into(),
            branch_code: "001".into(),
            branch_name: "本店".into(),
            account_type_code: "01".into(),
            account_type_name: "普通".into(),
            account_number: number.into(),
            account_name_kana: "ｸﾗ ﾀﾛｳ".into(),
        },
        bank_name: "北央信用組合".into(),
        period: None,
        snapshots: Vec::new(),
    }
}

fn row(account: &str, d: &str, amount: i64, remarks: &str, uid: &str, books: RowBooks) -> ExportRow {
    ExportRow {
        account_id: account.into(),
        line: Transaction {
            transaction_date: date(d),
            value_date: None,
            amount,
            balance: None,
            remarks: remarks.into(),
            item_key: Some(uid.into()),
        },
        uid: uid.into(),
        books,
    }
}

fn pair(account: &str, uid: &str, d: &str, amount: i64, exported: bool) -> Option<TransferPair> {
    Some(TransferPair { account_id: account.into(), uid: uid.into(), date: date(d), amount, exported })
}

const A: &str = "2011-001-1-1111111";
const B: &str = "2011-001-1-2222222";
const C: &str = "2011-001-1-3333333";

/// 食費 (1) with its 外食 (2), and 給与 (9) on the income side.
fn categories() -> CategoryTree {
    let category = |id, parent: Option<i64>, kind, name: &str, en: &str| Category {
        id: CategoryId(id),
        parent_id: parent.map(CategoryId),
        kind,
        builtin: None,
        name: name.into(),
        name_en: Some(en.into()),
        position: 0,
        journal_account: None,
    };
    CategoryTree {
        categories: vec![
            category(1, None, Kind::Expense, "食費", "Food"),
            category(2, Some(1), Kind::Expense, "外食", "Dining Out"),
            category(9, None, Kind::Income, "給与", "Salary"),
        ],
    }
}

/// Two exported accounts (A, B) with a paired transfer between them, a transfer to an account not
/// exported (C), one Kura could not pair, and a categorised payment and income.
pub(super) fn input() -> ExportInput<std::vec::IntoIter<Result<ExportRow, ExportError>>> {
    let food = RowBooks {
        category_id: Some(CategoryId(2)),
        category: Some("食費".into()),
        subcategory: Some("外食".into()),
        memo: Some("=昼, 同僚と".into()),
        ..RowBooks::default()
    };
    let salary = RowBooks { category_id: Some(CategoryId(9)), category: Some("給与".into()), ..RowBooks::default() };
    let transfer = |p| RowBooks { transfer: true, pair: p, ..RowBooks::default() };
    let rows = vec![
        row(A, "2026-11-02", -1_200, "ｶ-ﾄﾞ ﾎｸﾃﾞﾝ", "a1", food),
        row(A, "2026-11-03", -30_000, "ﾌﾘｶｴ", "a2", transfer(pair(B, "b1", "2026-11-04", 30_000, true))),
        row(A, "2026-11-05", -5_000, "ﾌﾘｶｴ", "a3", transfer(pair(C, "c1", "2026-11-05", 5_000, false))),
        row(B, "2026-11-04", 30_000, "ﾌﾘｶｴ", "b1", transfer(pair(A, "a2", "2026-11-03", -30_000, true))),
        row(B, "2026-11-25", 250_000, "ｷﾕｳﾖ", "b2", salary),
        row(B, "2026-11-26", 700, "ATM", "b3", transfer(None)),
    ];
    let books = ExportBooks { categories: categories(), other_accounts: vec![account(C, "3333333")] };
    ExportInput {
        accounts: vec![account(A, "1111111"), account(B, "2222222")],
        rows: rows.into_iter().map(Ok).collect::<Vec<_>>().into_iter(),
        books,
    }
}
