//! Export throughput: 1,000,000 cached rows of one account (KURA_BENCH_ROWS to change) exported in
//! every format from a real SQLite store, beside the time to merely read the same rows with the same
//! query (the limit an export cannot beat). Each is timed KURA_BENCH_RUNS times (3 by default) after
//! a warm-up read and the fastest run counts, which keeps out most of the noise of a shared machine;
//! peak memory (VmHWM) is reset before each format. Run: `cargo bench -p kura-core --bench export`.

use std::io::{BufWriter, Write};
use std::time::{Duration, Instant};

use chrono::{Days, NaiveDate, Utc};
use kura_core::export::store::{ExportFilter, export_from_store};
use kura_core::export::{Encoding, ExportOptions, Format};
use kura_core::model::AsOf;
use kura_core::store::Store;
use kura_core::testing;

fn fill(store: &mut Store, rows: usize) {
    let now = Utc::now();
    let (_, id) = testing::link_with_account(store, "bench", now);
    let start = NaiveDate::from_ymd_opt(2000, 1, 1).unwrap();
    let per_day = 300;
    let mut balance = 1_000_000i64;
    let mut day_rows = Vec::with_capacity(per_day);
    for i in 0..rows {
        let day = start.checked_add_days(Days::new((i / per_day) as u64)).unwrap();
        let amount = if i % 7 == 0 { 250_000 } else { -((i % 5000) as i64 + 100) };
        balance += amount;
        let remarks = if i % 11 == 0 {
            format!("ﾌﾘｺﾐ ﾔﾏﾀﾞ, ﾀﾛｳ {i}")
        } else {
            format!("ｶｰﾄﾞ ｼﾊﾗｲ {i}")
        };
        let item_key = format!("{}{:06}", day.format("%Y%m%d"), i % per_day);
        day_rows.push(testing::line(day, amount, Some(balance), &remarks, Some(&item_key)));
        if day_rows.len() == per_day || i + 1 == rows {
            let as_of = AsOf { date: day, at: day.and_hms_opt(12, 0, 0).unwrap().and_utc() };
            testing::store_sync(store, id, &day_rows, Some(testing::reading(balance, as_of)), Some(day), now);
            day_rows.clear();
        }
    }
}

fn reset_peak_memory() {
    // Writing 5 to clear_refs resets VmHWM (Linux).
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

fn peak_memory_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kib: f64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0.0);
    kib / 1024.0
}

/// The limit: the export's own query (export/store.rs: the line, how it is filed, the other side
/// of a transfer), every column read, nothing written.
fn read_only(db: &std::path::Path) -> (Duration, i64) {
    let conn = rusqlite::Connection::open(db).unwrap();
    let started = Instant::now();
    let mut stmt = conn
        .prepare(
            "SELECT t.account_id, t.transaction_date, t.value_date, t.amount, t.balance_after, t.remarks, t.item_key,
                    t.fingerprint, t.occurrence, t.category_id, t.memo, t.transfer,
                    p.account_id, p.transaction_date, p.amount, p.item_key, p.fingerprint, p.occurrence
             FROM transactions t
             LEFT JOIN transactions p ON p.id = t.transfer_pair AND t.transfer AND p.transfer AND p.transfer_pair = t.id
             WHERE t.account_id IN (?) ORDER BY t.account_id, t.transaction_date, t.id",
        )
        .unwrap();
    let mut sum = 0i64;
    let mut rows = stmt.query([1]).unwrap();
    while let Some(r) = rows.next().unwrap() {
        let _: (NaiveDate, Option<NaiveDate>, String, Option<String>, Option<i64>, Option<String>, bool) = (
            r.get(1).unwrap(),
            r.get(2).unwrap(),
            r.get(5).unwrap(),
            r.get(6).unwrap(),
            r.get(9).unwrap(),
            r.get(10).unwrap(),
            r.get(11).unwrap(),
        );
        sum += r.get::<_, i64>(3).unwrap();
    }
    (started.elapsed(), sum)
}

fn main() {
    let rows: usize = std::env::var("KURA_BENCH_ROWS").ok().and_then(|v| v.parse().ok()).unwrap_or(1_000_000);
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("kura.db");
    let mut store = Store::open_file(&db).unwrap();
    let started = Instant::now();
    fill(&mut store, rows);
    eprintln!("filled {rows} rows in {:.1} s", started.elapsed().as_secs_f64());

    let runs: usize = std::env::var("KURA_BENCH_RUNS").ok().and_then(|v| v.parse().ok()).unwrap_or(3).max(1);
    read_only(&db);
    reset_peak_memory();
    let limit = (0..runs).map(|_| read_only(&db).0).min().unwrap();
    println!("| read only (the limit) | {:.2} s | 1.00x | | {:.0} MiB |", limit.as_secs_f64(), peak_memory_mib());

    // The CSV's formatting alone, written nowhere: what the file system adds shows against the
    // next row.
    let formatting = (0..runs)
        .map(|_| {
            let started = Instant::now();
            export_from_store(&store, &ExportFilter::default(), &ExportOptions::new(Format::Csv), std::io::sink())
                .unwrap();
            started.elapsed()
        })
        .min()
        .unwrap();
    println!(
        "| CSV (UTF-8), formatted but written nowhere | {:.2} s | {:.2}x | | |",
        formatting.as_secs_f64(),
        formatting.as_secs_f64() / limit.as_secs_f64()
    );

    let cases = [
        ("CSV (UTF-8)", Format::Csv, Encoding::Utf8Bom),
        ("CSV (CP932)", Format::Csv, Encoding::Cp932),
        ("XLSX", Format::Xlsx, Encoding::Utf8Bom),
        ("OFX", Format::Ofx, Encoding::Utf8Bom),
        ("QIF", Format::Qif, Encoding::Utf8Bom),
        ("ledger", Format::Ledger, Encoding::Utf8Bom),
        ("hledger", Format::Hledger, Encoding::Utf8Bom),
        ("beancount", Format::Beancount, Encoding::Utf8Bom),
        ("JSON Lines", Format::Jsonl, Encoding::Utf8Bom),
    ];
    for (name, format, encoding) in cases {
        let mut options = ExportOptions::new(format);
        options.encoding = encoding;
        let path = dir.path().join(format!("out.{}", format.extension()));
        reset_peak_memory();
        let took = (0..runs)
            .map(|_| {
                let started = Instant::now();
                let mut out = BufWriter::new(std::fs::File::create(&path).unwrap());
                let summary = export_from_store(&store, &ExportFilter::default(), &options, &mut out).unwrap();
                out.flush().unwrap();
                drop(out);
                let took = started.elapsed();
                assert_eq!(summary.rows, rows as u64);
                took
            })
            .min()
            .unwrap();
        let size = std::fs::metadata(&path).unwrap().len() as f64 / 1024.0 / 1024.0;
        println!(
            "| {name} | {:.2} s | {:.2}x | {size:.0} MiB | {:.0} MiB |",
            took.as_secs_f64(),
            took.as_secs_f64() / limit.as_secs_f64(),
            peak_memory_mib()
        );
        std::fs::remove_file(&path).unwrap();
    }
}
