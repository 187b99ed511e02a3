//! Sync benchmarks against the in-process sandbox over loopback HTTP (client, paging, parsing,
//! dedupe, filing and the SQLite write together), beside the limit the hardware sets:
//!
//! - per size (10,000 / 100,000 / 1,000,000 lines; `KURA_BENCH_LINES=a,b,…` to change), in
//!   interleaved rounds (`KURA_BENCH_ROUNDS`, default 3): the bare upsert of the same number of
//!   rows (one prepared statement, one transaction, WAL, a unique index on account and key),
//!   Kura's first sync of one account holding them, and the re-sync of that account in which
//!   every line is a duplicate. Each runs in a child process of its own, so its peak RSS is its
//!   own (the sandbox, like a bank, stays in this process);
//! - an incremental sync of one new day across 20 accounts (20 links, one account each).
//!
//! Each is a single long run, so this is a plain timed program rather than a criterion loop;
//! `cargo bench -p kura-core --bench sync` prints the figures recorded in docs/PERFORMANCE.md.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use chrono::NaiveDate;
use kura_core::api::{ApiClient, ClientConfig};
use kura_core::model::{LinkId, SyncRunStatus};
use kura_core::store::{DB_FILE_NAME, Store};
use kura_core::sync::{SyncEngine, SyncOptions};
use kura_core::testing::{self, StaticToken};
use kura_sandbox::SandboxConfig;
use rusqlite::{Connection, params};

const TODAY: &str = "2026-11-24";

fn today() -> NaiveDate {
    TODAY.parse().unwrap()
}

async fn token(base: &str, username: &str, bank: &str) -> String {
    let http = reqwest::Client::builder().no_proxy().build().unwrap();
    let grant = testing::sandbox_grant(&http, base, username, bank).await;
    grant["access_token"].as_str().unwrap().to_owned()
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("kura-bench-sync-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// What a child measured.
#[derive(Debug, Clone, Copy)]
struct Run {
    seconds: f64,
    /// Peak resident set size of the child, KiB.
    peak_kib: u64,
    /// The database file's size after a checkpoint.
    db_bytes: u64,
}

fn child(args: &[&str]) -> Run {
    let out = Command::new(std::env::current_exe().unwrap()).arg("--child").args(args).output().unwrap();
    assert!(out.status.success(), "child {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    let fields: Vec<f64> = text.split_whitespace().map(|f| f.parse().unwrap()).collect();
    Run { seconds: fields[0], peak_kib: fields[1] as u64, db_bytes: fields[2] as u64 }
}

/// The child's report: seconds, peak RSS (VmHWM, KiB), database bytes.
fn report(seconds: f64, db: &Path) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let hwm = status.lines().find_map(|l| l.strip_prefix("VmHWM:")).unwrap().trim().trim_end_matches(" kB").to_owned();
    let conn = Connection::open(db).unwrap();
    conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(())).unwrap();
    println!("{seconds} {hwm} {}", std::fs::metadata(db).unwrap().len());
}

/// The limit: `n` rows upserted by one prepared statement in one transaction into a table with
/// one unique index, in WAL mode, as Kura's store is opened.
fn bare_upsert(n: u64, dir: &Path) {
    const REMARKS: [&str; 6] = ["ｶｰﾄﾞ ｼﾖｳ", "ATM ｼﾊﾗｲ", "ﾃﾞﾝｷ ﾘﾖｳｷﾝ", "ｷﾕｳﾖ", "ﾌﾘｺﾐ ｸﾗ ﾀﾛｳ", "ﾕｳﾁﾖ ATM"];
    let db = dir.join(DB_FILE_NAME);
    let mut conn = Connection::open(&db).unwrap();
    conn.execute_batch(
        "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;
         CREATE TABLE lines (account_id INTEGER NOT NULL, item_key TEXT NOT NULL, transaction_date TEXT NOT NULL,
                             amount INTEGER NOT NULL, balance INTEGER NOT NULL, remarks TEXT NOT NULL) STRICT;
         CREATE UNIQUE INDEX lines_key ON lines (account_id, item_key);",
    )
    .unwrap();
    let start = today() - chrono::Duration::days(89);
    let per_day = n.div_ceil(90);
    let started = Instant::now();
    let tx = conn.transaction().unwrap();
    {
        let mut upsert = tx
            .prepare(
                "INSERT INTO lines (account_id, item_key, transaction_date, amount, balance, remarks)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT DO NOTHING",
            )
            .unwrap();
        let mut balance = 5_000_000i64;
        for i in 0..n {
            let date = start + chrono::Duration::days((i / per_day) as i64);
            let amount = if i % 7 == 0 { 30_000 } else { -((i % 5000) as i64 + 100) };
            balance += amount;
            let key = format!("{}{:06}", date.format("%Y%m%d"), i % per_day);
            upsert.execute(params![1, key, date.to_string(), amount, balance, REMARKS[(i % 6) as usize]]).unwrap();
        }
    }
    tx.commit().unwrap();
    report(started.elapsed().as_secs_f64(), &db);
}

/// Kura's sync of the `bench` account: a first sync into a fresh store, or (`resync`) the
/// whole window read again into the store a first sync left, every line a duplicate.
async fn kura_sync(resync: bool, n: u64, base_url: &str, token: String, dir: &Path) {
    let mut store = Store::open(Some(dir)).unwrap();
    let link = if resync {
        LinkId(1)
    } else {
        store.add_link(&testing::new_link("2011", "sandbox"), chrono::Utc::now()).unwrap()
    };
    // A re-read overlap as long as the bank's window: every line comes again.
    let options =
        if resync { SyncOptions { overlap_days: 90, ..SyncOptions::default() } } else { SyncOptions::default() };
    let engine = SyncEngine::new(Arc::new(Mutex::new(store)), options);
    let client = ApiClient::new(ClientConfig::new(base_url.to_owned())).unwrap();
    let tokens = StaticToken(token);
    let started = Instant::now();
    let result = engine.sync_link(link, &client, &tokens).await;
    let took = started.elapsed().as_secs_f64();
    assert_eq!(result.status, SyncRunStatus::Ok, "{:?}", result.first_error());
    assert_eq!(result.new_transactions(), if resync { 0 } else { n });
    report(took, &dir.join(DB_FILE_NAME));
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

async fn limit_beside_kura(n: u64, rounds: usize) {
    let sandbox = kura_sandbox::start(SandboxConfig {
        today: Some(today()),
        large_transactions: Some(n),
        access_token_ttl: chrono::Duration::days(7),
        ..Default::default()
    })
    .await
    .unwrap();
    let token = token(&sandbox.base_url, "bench", "2011").await;
    // Let the sandbox generate its ledger first: its cost is not the client's.
    let client = ApiClient::new(ClientConfig::new(sandbox.base_url.clone())).unwrap();
    let tokens = StaticToken(token.clone());
    client.balance(&tokens, &client.accounts(&tokens).await.unwrap().accounts[0].account_id).await.unwrap();
    let lines = n.to_string();
    let (mut bare, mut first, mut again) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..rounds {
        let dir = temp_dir("bare");
        bare.push(child(&["bare", &lines, dir.to_str().unwrap()]));
        let _ = std::fs::remove_dir_all(dir);
        let dir = temp_dir("kura");
        let args = [lines.as_str(), sandbox.base_url.as_str(), token.as_str(), dir.to_str().unwrap()];
        // The children are other processes: let them run while this runtime serves the sandbox.
        let run = |mode: &'static str| {
            let mut a = vec![mode];
            a.extend(args);
            let a: Vec<String> = a.into_iter().map(str::to_owned).collect();
            tokio::task::spawn_blocking(move || child(&a.iter().map(String::as_str).collect::<Vec<_>>()))
        };
        first.push(run("first").await.unwrap());
        again.push(run("resync").await.unwrap());
        let _ = std::fs::remove_dir_all(dir);
    }
    let row = |name: &str, runs: &[Run], limit: f64| {
        let secs = median(runs.iter().map(|r| r.seconds).collect());
        let peak = runs.iter().map(|r| r.peak_kib).max().unwrap() as f64 / 1024.0;
        let per_line = runs[0].db_bytes as f64 / n as f64;
        println!(
            "| {n} | {name} | {secs:.3} s | {:.0} | {:.2}x | {peak:.1} MiB | {per_line:.0} |",
            n as f64 / secs,
            secs / limit
        );
    };
    let limit = median(bare.iter().map(|r| r.seconds).collect());
    row("bare upsert (the limit)", &bare, limit);
    row("Kura first sync", &first, limit);
    row("Kura re-sync, all duplicates", &again, limit);
}

async fn incremental() {
    // One new day across 20 accounts: `demo`'s 普通 at 20 unions.
    // Access tokens outlive the simulated day, as a refresh is not what is measured.
    let config =
        SandboxConfig { today: Some(today()), access_token_ttl: chrono::Duration::days(7), ..Default::default() };
    let sandbox = kura_sandbox::start(config).await.unwrap();
    let dir = temp_dir("incremental");
    let mut store = Store::open(Some(&dir)).unwrap();
    let unions: Vec<String> = kura_core::institutions::all().iter().take(20).map(|i| i.code.clone()).collect();
    let mut links = Vec::new();
    for bank in &unions {
        let id = store.add_link(&testing::new_link(bank, "sandbox"), chrono::Utc::now()).unwrap();
        links.push((id, StaticToken(token(&sandbox.base_url, "demo", bank).await)));
    }
    let engine = SyncEngine::new(Arc::new(Mutex::new(store)), SyncOptions::default());
    let client = ApiClient::new(ClientConfig::new(sandbox.base_url.clone())).unwrap();
    // One link after another, as `kura sync` does.
    let sync_all = || async {
        let (mut accounts, mut new) = (0, 0);
        for (id, tokens) in &links {
            let report = engine.sync_link(*id, &client, tokens).await;
            assert_eq!(report.status, SyncRunStatus::Ok, "{:?}", report.first_error());
            accounts += report.accounts.len();
            new += report.new_transactions();
        }
        (accounts, new)
    };
    sync_all().await;
    sandbox.state.clock.advance(chrono::Duration::days(1));
    let started = Instant::now();
    let (accounts, new) = sync_all().await;
    let took = started.elapsed();
    println!(
        "incremental sync of one new day, {accounts} accounts ({} links, {new} new lines, 8-day overlap re-read): {:.0} ms",
        links.len(),
        took.as_secs_f64() * 1000.0
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(at) = args.iter().position(|a| a == "--child") {
        let a: Vec<&str> = args[at + 1..].iter().map(String::as_str).collect();
        let n: u64 = a[1].parse().unwrap();
        match a[0] {
            "bare" => bare_upsert(n, Path::new(a[2])),
            mode => kura_sync(mode == "resync", n, a[2], a[3].to_owned(), Path::new(a[4])).await,
        }
        return;
    }
    let sizes: Vec<u64> = std::env::var("KURA_BENCH_LINES")
        .unwrap_or_else(|_| "10000,100000,1000000".into())
        .split(',')
        .map(|s| s.trim().parse().unwrap())
        .collect();
    let rounds = std::env::var("KURA_BENCH_ROUNDS").ok().and_then(|v| v.parse().ok()).unwrap_or(3);
    println!(
        "| lines | run (median of {rounds}, interleaved) | time | lines/s | vs the limit | peak RSS | DB bytes/line |"
    );
    println!("| --- | --- | --- | --- | --- | --- | --- |");
    for n in sizes {
        limit_beside_kura(n, rounds).await;
    }
    incremental().await;
}
