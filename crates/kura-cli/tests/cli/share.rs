//! `kura share` as the binary: two data folders (two desktops) and a plain shared folder.

use std::path::Path;

use chrono::{NaiveDate, TimeZone, Utc};
use kura_core::model::AsOf;
use kura_core::store::Store;
use kura_core::testing;
use tempfile::TempDir;

use crate::support::{json, kura, kura_err};

fn seed(dir: &Path) {
    let mut store = Store::open(Some(&dir.join("data"))).unwrap();
    let now = Utc::now();
    let day = |d| NaiveDate::from_ymd_opt(2026, 11, d).unwrap();
    let link = store.add_link(&testing::new_link(testing::BANK_CODE, "sandbox"), now).unwrap();
    let id = store.upsert_account(link, &testing::remote_account("01", "1234567"), now).unwrap();
    let lines = [
        testing::line(day(2), 250_000, None, "ｷﾕｳﾖ ｶ)ｸﾗｼﾖｳｼﾞ", None),
        testing::line(day(21), -2_500, None, "ﾏｸﾄﾞﾅﾙﾄﾞ ｻﾂﾎﾟﾛ", None),
    ];
    let as_of = AsOf { date: day(30), at: Utc.with_ymd_and_hms(2026, 11, 30, 1, 0, 0).unwrap() };
    testing::store_sync(&mut store, id, &lines, Some(testing::reading(247_500, as_of)), Some(day(30)), now);
}

#[test]
fn a_second_desktop_joins_with_the_code_and_sees_the_first_ones_lines() {
    let (a, b, folder) = (TempDir::new().unwrap(), TempDir::new().unwrap(), TempDir::new().unwrap());
    seed(a.path());
    let shared = folder.path().to_str().unwrap();
    assert!(kura(a.path(), &["share"]).contains("まだ共有していません"));
    let created = kura(a.path(), &["share", "create", shared, "--name", "居間"]);
    let code = created.lines().find(|l| l.starts_with("  ")).unwrap().trim().to_owned();
    assert_eq!(code, kura(a.path(), &["share", "code"]).trim());

    let wrong = kura_err(b.path(), &["share", "join", shared, "0000-0000-0000-0000-0000-0000-00", "--name", "書斎"]);
    assert!(wrong.contains("このペアリングコードでは"), "{wrong}");
    let joined = kura(b.path(), &["share", "join", shared, &code, "--name", "書斎"]);
    assert!(joined.contains("参加しました") && joined.contains("明細 2 件"), "{joined}");
    let rows = json(b.path(), &["tx", "--json"])["rows"].as_array().unwrap().len();
    assert_eq!(rows, 2);
    let status = kura(b.path(), &["share"]);
    assert!(status.contains("居間") && status.contains("このデスクトップが取得する連携"), "{status}");
    // `kura sync` on B polls nothing (A holds the tokens) and still brings A's news.
    let synced = kura(b.path(), &["sync"]);
    assert!(synced.contains("反映しました"), "{synced}");
    assert!(kura(b.path(), &["share", "leave", "--yes"]).contains("データはこのデスクトップに残っています"));
    assert_eq!(json(b.path(), &["tx", "--json"])["rows"].as_array().unwrap().len(), 2, "leaving keeps the data");
    kura(a.path(), &["share", "leave", "--yes"]);
}
