//! `kura accounts` and `kura tx` against a store seeded through the core's write API.

use std::process::Command;

use chrono::{NaiveDate, TimeZone, Utc};
use kura_core::model::AsOf;
use kura_core::store::Store;
use kura_core::testing;
use tempfile::TempDir;

fn seed(dir: &std::path::Path) {
    let mut store = Store::open(Some(dir)).unwrap();
    let now = Utc::now();
    let (_, id) = testing::link_with_account(&mut store, "sandbox", now);
    let day = |d| NaiveDate::from_ymd_opt(2026, 11, d).unwrap();
    let line = |d, amount, balance, remarks: &str| testing::line(day(d), amount, Some(balance), remarks, None);
    let lines = [
        line(20, 250_000, 1_234_567, "ｷﾕｳﾖ ｶ)ｸﾗｼｮｳｼﾞ"),
        line(21, -1_234, 1_233_333, "カード利用"),
        line(22, -10_000, 1_223_333, "ATM ｼﾊﾗｲ"),
    ];
    let as_of = AsOf { date: day(24), at: Utc.with_ymd_and_hms(2026, 11, 24, 1, 15, 0).unwrap() };
    testing::store_sync(&mut store, id, &lines, Some(testing::reading(1_223_333, as_of)), Some(day(23)), now);
}

fn kura(dir: &std::path::Path, args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_kura")).args(args).env("KURA_DATA_DIR", dir).output().unwrap();
    assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn accounts_and_transactions_print_in_yen_and_japanese_dates() {
    let dir = TempDir::new().unwrap();
    seed(dir.path());

    let accounts = kura(dir.path(), &["accounts"]);
    assert!(accounts.contains("北央信用組合"), "{accounts}");
    assert!(accounts.contains("¥1,223,333"), "{accounts}");
    assert!(accounts.contains("2026/11/24 10:15"), "{accounts}");

    let search = kura(dir.path(), &["tx", "--search", "ｶｰﾄﾞ"]);
    assert!(search.contains("カード利用"), "{search}");
    assert!(search.contains("2026/11/21"), "{search}");
    assert!(search.contains("-¥1,234"), "{search}");
    assert!(!search.contains("ATM"), "{search}");

    let incoming = kura(dir.path(), &["tx", "--in"]);
    assert!(incoming.contains("+¥250,000") && !incoming.contains("-¥"), "{incoming}");

    let page = kura(dir.path(), &["tx", "--limit", "2", "--json"]);
    let json: serde_json::Value = serde_json::from_str(&page).unwrap();
    assert_eq!(json["rows"].as_array().unwrap().len(), 2);
    assert_eq!(json["rows"][0]["remarks"], "ATM ｼﾊﾗｲ");
    let cursor = json["nextCursor"].as_str().unwrap();
    let rest = kura(dir.path(), &["tx", "--after", cursor]);
    assert!(rest.contains("ｷﾕｳﾖ") && !rest.contains("ATM"), "{rest}");
}
