//! Store benchmarks (results in docs/PERFORMANCE.md):
//! - a first sync of 1,000,000 lines through `apply_account_sync`, beside the bare limit: the same
//!   rows inserted by a plain prepared-statement loop into the same schema (indexes and FTS
//!   triggers included), and into a table without any index;
//! - the latest 200 rows, remarks searches and the dashboard's overview over 1,000,000 stored rows;
//! - the first open of a schema 1 file of 1,000,000 rows after an upgrade (migrations 002 and 003).

use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, Instant};

use chrono::{TimeZone, Utc};
use criterion::{Criterion, criterion_group, criterion_main};
use kura_core::model::{AccountId, Transaction};
use kura_core::query::TxFilter;
use kura_core::store::{DB_FILE_NAME, Store};
use kura_core::testing;
use rusqlite::params;
use tempfile::TempDir;

const ROWS: usize = 1_000_000;

use kura_core::testing::busy_history as lines;

fn new_store(dir: &Path) -> (Store, AccountId) {
    let mut store = Store::open(Some(dir)).unwrap();
    let (_, account) =
        testing::link_with_account(&mut store, "bench", Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap());
    (store, account)
}

fn apply_all(store: &mut Store, account: AccountId, data: &[Transaction]) {
    let counts = testing::store_lines(store, account, data, Utc::now());
    assert_eq!(counts.inserted as usize, data.len());
}

/// The bare limit: one transaction, one prepared statement, values bound as they come.
fn bare_insert(path: &Path, account: AccountId, data: &[Transaction], table: &str) {
    let mut conn = rusqlite::Connection::open(path).unwrap();
    conn.execute_batch("PRAGMA synchronous = NORMAL;").unwrap();
    let tx = conn.transaction().unwrap();
    {
        let mut stmt = tx
            .prepare(&format!(
                "INSERT INTO {table} (account_id, item_key, fingerprint, occurrence, transaction_date, value_date,
                     amount, balance_after, remarks, remarks_folded, first_seen_at, sync_run_id)
                 VALUES (?1, NULL, ?2, 1, ?3, ?4, ?5, ?6, ?7, ?7, ?8, NULL)"
            ))
            .unwrap();
        let now = Utc::now();
        for (i, t) in data.iter().enumerate() {
            stmt.execute(params![
                account.0,
                i as i64,
                t.transaction_date,
                t.value_date,
                t.amount,
                t.balance,
                t.remarks,
                now
            ])
            .unwrap();
        }
    }
    tx.commit().unwrap();
}

/// Times `run` on a fresh database per iteration, excluding the setup.
fn fresh(iters: u64, run: impl Fn(&Path, &mut Store, AccountId)) -> Duration {
    let mut total = Duration::ZERO;
    for _ in 0..iters {
        let dir = TempDir::new().unwrap();
        let (mut store, account) = new_store(dir.path());
        let path = store.path().to_owned();
        let start = Instant::now();
        run(&path, &mut store, account);
        total += start.elapsed();
    }
    total
}

fn inserts(c: &mut Criterion) {
    let data = lines(ROWS);
    let mut group = c.benchmark_group("insert_1m");
    group.sample_size(10).warm_up_time(Duration::from_millis(1)).measurement_time(Duration::from_secs(1));
    group.bench_function("bare_prepared_loop_same_schema", |b| {
        b.iter_custom(|iters| fresh(iters, |path, _, account| bare_insert(path, account, &data, "transactions")))
    });
    group.bench_function("bare_prepared_loop_plain_table", |b| {
        b.iter_custom(|iters| {
            fresh(iters, |path, _, account| {
                let conn = rusqlite::Connection::open(path).unwrap();
                conn.execute_batch(
                    "CREATE TABLE plain (account_id INTEGER, item_key TEXT, fingerprint INTEGER, occurrence INTEGER,
                         transaction_date TEXT, value_date TEXT, amount INTEGER, balance_after INTEGER, remarks TEXT,
                         remarks_folded TEXT, first_seen_at TEXT, sync_run_id INTEGER)",
                )
                .unwrap();
                drop(conn);
                bare_insert(path, account, &data, "plain")
            })
        })
    });
    group.bench_function("apply_account_sync", |b| {
        b.iter_custom(|iters| fresh(iters, |_, store, account| apply_all(store, account, &data)))
    });
    group.finish();
}

/// Upgrading a schema 1 file of 1,000,000 rows: the first open after the upgrade rebuilds the
/// trigram index (migration 002) and counts each account's rows (003). Writing the schema 1 file
/// is not timed.
fn migration(c: &mut Criterion) {
    let data = lines(ROWS);
    let mut group = c.benchmark_group("migrate_1m");
    group.sample_size(10).warm_up_time(Duration::from_millis(1)).measurement_time(Duration::from_secs(1));
    group.bench_function("schema_1_to_3", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                let dir = TempDir::new().unwrap();
                let path = dir.path().join(DB_FILE_NAME);
                let conn = rusqlite::Connection::open(&path).unwrap();
                conn.execute_batch(include_str!("../src/store/migrations/001_initial.sql")).unwrap();
                conn.execute_batch(
                    "PRAGMA user_version = 1;
                     INSERT INTO links (id, bank_code, profile, created_at, updated_at)
                         VALUES (1, '2011', 'bench', '2026-01-01 00:00:00+00:00', '2026-01-01 00:00:00+00:00');
                     INSERT INTO accounts (id, link_id, remote_account_id, bank_code, branch_code, branch_name,
                         account_type_code, account_type_name, account_number, account_name_kana, currency, created_at)
                         VALUES (1, 1, '2011-001-1-1234567', '2011', '001', '本店営業部', '01', '普通', '1234567', '',
                             'JPY', '2026-01-01 00:00:00+00:00');",
                )
                .unwrap();
                drop(conn);
                bare_insert(&path, AccountId(1), &data, "transactions");
                let start = Instant::now();
                let store = Store::open_file(&path).unwrap();
                total += start.elapsed();
                assert_eq!(store.schema_version().unwrap(), 9);
            }
            total
        })
    });
    group.finish();
}

fn queries(c: &mut Criterion) {
    let dir = TempDir::new().unwrap();
    let (mut store, account) = new_store(dir.path());
    apply_all(&mut store, account, &lines(ROWS));
    let store = store;
    let page = |filter: &TxFilter| black_box(store.transactions(filter, None, 200).unwrap().rows.len());
    let all = TxFilter::default();
    let one = TxFilter { accounts: vec![account], ..TxFilter::default() };
    let search = |q: &str| TxFilter { search: Some(q.into()), ..TxFilter::default() };
    let (common, two_percent, medium, rare, short) =
        (search("かーど"), search("ﾕｳﾁﾖ"), search("ﾀﾛｳ123"), search("ﾀﾛｳ19999"), search("ｽｲ"));
    let deep = store.transactions(&one, None, 500_000).unwrap().next_cursor.unwrap();

    let mut group = c.benchmark_group("query_1m");
    group.bench_function("latest_200_all_accounts", |b| b.iter(|| page(&all)));
    group.bench_function("latest_200_one_account", |b| b.iter(|| page(&one)));
    group.bench_function("200_after_500k_rows", |b| {
        b.iter(|| black_box(store.transactions(&one, Some(deep), 200).unwrap().rows.len()))
    });
    // Common word: 20% of rows match; the newest 200 are found at once.
    group.bench_function("search_common_kana_200", |b| b.iter(|| page(&common)));
    // A word on 2% of rows (20,000 matches, evenly spread): the worst case of schema 1's search,
    // whose first 10,000-row scan fell one row short of a page, so the index sorted every match.
    group.bench_function("search_two_percent_200", |b| b.iter(|| page(&two_percent)));
    // Uncommon word: about 2,200 of 1,000,000 rows match, mostly in older rows.
    group.bench_function("search_uncommon_200", |b| b.iter(|| page(&medium)));
    // Rare word: 50 of 1,000,000 rows match.
    group.bench_function("search_rare_200", |b| b.iter(|| page(&rare)));
    // Two characters are too short for the trigram index: the date index is scanned.
    group.bench_function("search_two_chars_200", |b| b.iter(|| page(&short)));
    // The dashboard's accounts, painted on every view and polled while it is open.
    let now = Utc.with_ymd_and_hms(2026, 11, 24, 0, 0, 0).unwrap();
    group.bench_function("overview_accounts", |b| b.iter(|| black_box(store.account_summaries(now).unwrap().len())));
    group.finish();
}

criterion_group!(benches, inserts, queries, migration);
criterion_main!(benches);
