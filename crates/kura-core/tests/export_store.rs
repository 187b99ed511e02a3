//! Exports read straight from the SQLite store: filters, stable ids where the bank sends no item
//! key, snapshots as assertions, and atomic files.

use chrono::{DateTime, NaiveDate, Utc};
use kura_core::export::store::{Direction, ExportFilter, export_from_store};
use kura_core::export::{ExportError, ExportOptions, ExportRow, Format, write_atomically};
use kura_core::model::AsOf;
use kura_core::store::Store;
use kura_core::testing;

fn date(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn now() -> DateTime<Utc> {
    "2026-09-10T03:00:00Z".parse().unwrap()
}

/// A store with two accounts: one whose bank sends item keys, one whose bank sends none and has two
/// identical ATM withdrawals on one day.
fn store(dir: &std::path::Path) -> Store {
    let mut store = Store::open_file(&dir.join("kura.db")).unwrap();
    let link = store.add_link(&testing::new_link(testing::BANK_CODE, "sandbox"), now()).unwrap();
    let futsu = store.upsert_account(link, &testing::remote_account("01", "1234567"), now()).unwrap();
    let toza = store.upsert_account(link, &testing::remote_account("02", "7654321"), now()).unwrap();
    let tx = |d, amount, balance, remarks, key| testing::line(date(d), amount, Some(balance), remarks, key);
    let keyed = [
        tx("2026-09-01", 250_000, 350_000, "ｷﾕｳﾖ", Some("k1")),
        tx("2026-09-02", -1_200, 348_800, "ﾃﾞﾝｷ", Some("k2")),
        tx("2026-09-05", -10_000, 338_800, "ATM", Some("k3")),
    ];
    let unkeyed = [
        tx("2026-09-03", -10_000, -5_000, "ATM", None),
        tx("2026-09-03", -10_000, -15_000, "ATM", None),
        tx("2026-09-04", 20_000, 5_000, "ﾌﾘｺﾐ", None),
    ];
    let as_of = AsOf { date: date("2026-09-05"), at: "2026-09-05T01:00:00Z".parse().unwrap() };
    for (id, rows, balance) in [(futsu, &keyed[..], 338_800), (toza, &unkeyed[..], 5_000)] {
        testing::store_sync(
            &mut store,
            id,
            rows,
            Some(testing::reading(balance, as_of)),
            Some(date("2026-09-05")),
            now(),
        );
    }
    store
}

fn jsonl(store: &Store, filter: &ExportFilter) -> Vec<serde_json::Value> {
    let mut out = Vec::new();
    export_from_store(store, filter, &ExportOptions::new(Format::Jsonl), &mut out).unwrap();
    String::from_utf8(out).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect()
}

#[test]
fn rows_stream_from_the_store_with_stable_ids_and_filters() {
    let dir = tempfile::tempdir().unwrap();
    let store = store(dir.path());
    let all = jsonl(&store, &ExportFilter::default());
    assert_eq!(all.len(), 6);
    assert_eq!(all[0]["accountId"], "2011-001-1-1234567");
    assert_eq!(all[0]["uid"], "k1");
    assert_eq!(all[1]["amount"], -1200);
    // Rows without an item key get ids from their fingerprint and occurrence: the two identical
    // withdrawals stay two rows with two ids, and a second export gives the same ids.
    let (a, b) = (all[3]["uid"].as_str().unwrap(), all[4]["uid"].as_str().unwrap());
    assert!(a.starts_with("fp") && b.starts_with("fp") && a != b, "{a} {b}");
    assert_eq!(jsonl(&store, &ExportFilter::default()), all);

    let one = ExportFilter { accounts: vec!["2011-001-2-7654321".into()], ..Default::default() };
    assert_eq!(jsonl(&store, &one).len(), 3);
    let window = ExportFilter { from: Some(date("2026-09-02")), to: Some(date("2026-09-03")), ..Default::default() };
    let dates: Vec<_> =
        jsonl(&store, &window).iter().map(|r| r["transactionDate"].as_str().unwrap().to_owned()).collect();
    assert_eq!(dates, ["2026-09-02", "2026-09-03", "2026-09-03"]);
    let money_in = ExportFilter { direction: Direction::In, ..Default::default() };
    assert!(jsonl(&store, &money_in).iter().all(|r| r["amount"].as_i64().unwrap() > 0));
    let money_out = ExportFilter { direction: Direction::Out, ..Default::default() };
    assert_eq!(jsonl(&store, &money_out).len(), 4);

    let unknown = ExportFilter { accounts: vec!["9999-999-1-0000000".into()], ..Default::default() };
    let err = export_from_store(&store, &unknown, &ExportOptions::new(Format::Csv), Vec::new()).unwrap_err();
    assert!(matches!(err, ExportError::UnknownAccount(_)), "{err}");
    // JSON Lines are the raw rows: they parse back into what was exported.
    let back: ExportRow = serde_json::from_value(all[0].clone()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(back.remarks, "ｷﾕｳﾖ");
}

#[test]
fn journals_from_the_store_assert_the_stored_snapshots() {
    let dir = tempfile::tempdir().unwrap();
    let store = store(dir.path());
    let mut out = Vec::new();
    export_from_store(&store, &ExportFilter::default(), &ExportOptions::new(Format::Hledger), &mut out).unwrap();
    let text = String::from_utf8(out).unwrap();
    assert!(text.contains("Assets:Shinkumi:B2011:Futsu-001-1234567    ¥0 = ¥338800"), "{text}");
    assert!(text.contains("Assets:Shinkumi:B2011:Toza-001-7654321    ¥0 = ¥5000"), "{text}");
    assert!(text.contains("Assets:Shinkumi:B2011:Toza-001-7654321    ¥5000\n    Equity:Opening-Balances"), "{text}");
}

#[test]
fn a_failed_export_leaves_no_file_and_keeps_an_existing_one() {
    let dir = tempfile::tempdir().unwrap();
    let store = store(dir.path());
    let path = dir.path().join("out.csv");
    std::fs::write(&path, "previous export").unwrap();
    let unknown = ExportFilter { accounts: vec!["nope".into()], ..Default::default() };
    let result =
        write_atomically(&path, |out| export_from_store(&store, &unknown, &ExportOptions::new(Format::Csv), out));
    assert!(result.is_err());
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "previous export");
    let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert!(leftovers.iter().all(|n| !n.to_string_lossy().ends_with(".part")), "{leftovers:?}");

    write_atomically(&path, |out| {
        export_from_store(&store, &ExportFilter::default(), &ExportOptions::new(Format::Csv), out)
    })
    .unwrap();
    assert!(std::fs::read(&path).unwrap().starts_with("\u{feff}取引日,".as_bytes()));
}

#[test]
fn the_monthly_export_writes_each_finished_month_once() {
    use kura_core::export::monthly::{export_month, previous_month};
    let dir = tempfile::tempdir().unwrap();
    let store = store(dir.path());
    let month = previous_month(date("2026-10-01"));
    assert_eq!(month, date("2026-09-01"));
    assert_eq!(previous_month(date("2026-01-31")), date("2025-12-01"));
    let folder = dir.path().join("exports");
    let options = ExportOptions::new(Format::Jsonl);
    let (path, summary) = export_month(&store, &folder, month, &ExportFilter::default(), &options).unwrap().unwrap();
    assert_eq!(path, folder.join("kura-2026-09.jsonl"));
    assert_eq!(summary.rows, 6);
    assert_eq!(std::fs::read_to_string(&path).unwrap().lines().count(), 6);
    // A scheduled job runs again: the month is not written twice.
    assert!(export_month(&store, &folder, month, &ExportFilter::default(), &options).unwrap().is_none());
    let (empty, summary) =
        export_month(&store, &folder, date("2026-08-01"), &ExportFilter::default(), &options).unwrap().unwrap();
    assert_eq!(summary.rows, 0);
    assert_eq!(std::fs::read(empty).unwrap(), b"");
}
