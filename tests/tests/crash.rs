//! A sync killed with SIGKILL in the middle: the database passes `integrity_check`, keeps only
//! whole accounts, and the next sync converges to exactly the sandbox's data.

use std::process::Command;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use kura_core::api::{ApiClient, ClientConfig};
use kura_core::model::{LinkId, SyncRunStatus};
use kura_core::store::{LineEdit, Store};
use kura_core::sync::{SyncEngine, SyncOptions};
use kura_core::testing::{self, StaticToken};
use kura_sandbox::{Faults, SandboxConfig};
use rusqlite::Connection;
use serde_json::json;

fn count(db: &Connection, sql: &str) -> i64 {
    db.query_row(sql, [], |r| r.get(0)).unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn sigkill_mid_sync_leaves_a_sound_database_and_the_resync_converges() {
    // Slow responses stretch the sync of the four accounts of 2011 over seconds.
    let sandbox = kura_sandbox::start(SandboxConfig {
        today: Some("2026-11-24".parse().unwrap()),
        faults: Faults { latency_ms: 150, ..Faults::default() },
        ..SandboxConfig::default()
    })
    .await
    .unwrap();
    let http = reqwest::Client::builder().no_proxy().build().unwrap();
    let issued = testing::sandbox_grant(&http, &sandbox.base_url, "demo", "2011").await;
    let token = issued["access_token"].as_str().unwrap().to_owned();
    let dir = tempfile::tempdir().unwrap();

    let mut child = Command::new(env!("CARGO_BIN_EXE_kura-sync-child"))
        .arg(&sandbox.base_url)
        .arg(dir.path())
        .env("KURA_TEST_ACCESS_TOKEN", &token)
        .spawn()
        .unwrap();
    // Kill it once the first account is committed and the others are still being fetched.
    let db_path = dir.path().join(kura_core::store::DB_FILE_NAME);
    loop {
        assert!(child.try_wait().unwrap().is_none(), "the sync finished before it could be killed");
        let committed = Connection::open(&db_path)
            .ok()
            .and_then(|db| db.query_row("SELECT COUNT(*) FROM transactions", [], |r| r.get::<_, i64>(0)).ok())
            .unwrap_or(0);
        if committed > 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    child.kill().unwrap(); // SIGKILL on Unix
    child.wait().unwrap();

    let mut store = Store::open(Some(dir.path())).unwrap();
    assert!(store.integrity_check().unwrap().is_empty());
    // What was committed is filed, whole; the person files one of those lines by hand.
    testing::assert_books_consistent(&store);
    let first_line: i64 =
        Connection::open(&db_path).unwrap().query_row("SELECT min(id) FROM transactions", [], |r| r.get(0)).unwrap();
    let mine = store
        .categories()
        .unwrap()
        .categories
        .iter()
        .find(|c| c.builtin.as_deref() == Some("social.gifts"))
        .unwrap()
        .id;
    let edit = LineEdit { category: Some(Some(mine)), memo: Some(Some("お祝い".into())), transfer: None };
    store.edit_line(first_line, &edit).unwrap();
    let db = Connection::open(&db_path).unwrap();
    let synced = count(&db, "SELECT COUNT(*) FROM accounts WHERE synced_through IS NOT NULL");
    assert!((1..4).contains(&synced), "killed mid-sync: {synced} of 4 accounts done");
    // Whole accounts only: every account with lines also has its balance snapshot.
    assert_eq!(
        count(
            &db,
            "SELECT COUNT(*) FROM accounts a WHERE EXISTS (SELECT 1 FROM transactions t WHERE t.account_id = a.id)
                    AND NOT EXISTS (SELECT 1 FROM balance_snapshots b WHERE b.account_id = a.id)"
        ),
        0
    );

    // The re-sync, in this process without latency, converges.
    http.put(format!("{}/admin/faults", sandbox.base_url)).json(&json!({})).send().await.unwrap();
    let engine = SyncEngine::new(Arc::new(Mutex::new(store)), SyncOptions::default());
    let client = ApiClient::new(ClientConfig::new(sandbox.base_url.clone())).unwrap();
    let tokens = StaticToken(token);
    let report = engine.sync_link(LinkId(1), &client, &tokens).await;
    assert_eq!(report.status, SyncRunStatus::Ok, "{:?}", report.first_error());
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
    let mut served = 0;
    for a in client.accounts(&tokens).await.unwrap().accounts {
        served += client
            .all_transactions(&tokens, &a.account_id, today - chrono::Duration::days(89), today)
            .await
            .unwrap()
            .len();
    }
    assert_eq!(count(&db, "SELECT COUNT(*) FROM transactions") as usize, served);
    assert_eq!(
        count(
            &db,
            "SELECT COUNT(*) FROM (SELECT 1 FROM transactions GROUP BY account_id, item_key HAVING COUNT(*) > 1)"
        ),
        0
    );
    let store = engine.store().lock().unwrap();
    assert!(store.integrity_check().unwrap().is_empty());
    // The lines of the accounts synced after the crash are filed too, transfers between the
    // 普通 and the 貯蓄 paired across the two syncs, and the person's line kept as they set it.
    testing::assert_books_consistent(&store);
    assert!(count(&db, "SELECT COUNT(*) FROM transactions WHERE transfer_pair IS NOT NULL") >= 2);
    let kept: (Option<i64>, Option<String>, String) = db
        .query_row("SELECT category_id, memo, category_by FROM transactions WHERE id = ?1", [first_line], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .unwrap();
    assert_eq!(kept, (Some(mine.0), Some("お祝い".into()), "person".into()));
}

/// A small xorshift generator: the kill moments vary from run to run, and a failing run prints
/// its seed (`KURA_CRASH_SEED` replays it).
struct Moments(u64);

impl Moments {
    fn below(&mut self, bound: Duration) -> Duration {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        bound.mul_f64((self.0 % 10_000) as f64 / 10_000.0)
    }
}

fn wal_bytes(dir: &std::path::Path) -> u64 {
    std::fs::metadata(dir.join(format!("{}-wal", kura_core::store::DB_FILE_NAME))).map(|m| m.len()).unwrap_or(0)
}

/// The staged lines reach the database's WAL only in the commit: past this size, the sync is
/// inside it (the run's own log rows are a few pages).
const COMMITTING: u64 = 512 * 1024;

fn spawn_sync(base_url: &str, dir: &std::path::Path, token: &str) -> std::process::Child {
    Command::new(env!("CARGO_BIN_EXE_kura-sync-child"))
        .arg(base_url)
        .arg(dir)
        .env("KURA_TEST_ACCESS_TOKEN", token)
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn sigkill_at_random_moments_of_a_large_first_sync_keeps_whole_accounts() {
    const LINES: u64 = 20_000;
    const KILLS: usize = 20;
    let sandbox = kura_sandbox::start(SandboxConfig {
        today: Some("2026-11-24".parse().unwrap()),
        large_transactions: Some(LINES),
        access_token_ttl: chrono::Duration::days(1),
        ..SandboxConfig::default()
    })
    .await
    .unwrap();
    let http = reqwest::Client::builder().no_proxy().build().unwrap();
    let token = testing::sandbox_grant(&http, &sandbox.base_url, "bench", "2011").await["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let seed = std::env::var("KURA_CRASH_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or_else(|| {
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos() as u64 | 1
    });
    println!("KURA_CRASH_SEED={seed}");
    let mut moments = Moments(seed);

    // One whole sync first, to learn how long the fetch and the commit take here.
    let dir = tempfile::tempdir().unwrap();
    let started = std::time::Instant::now();
    let mut child = spawn_sync(&sandbox.base_url, dir.path(), &token);
    let mut committing = None;
    while child.try_wait().unwrap().is_none() {
        if committing.is_none() && wal_bytes(dir.path()) > COMMITTING {
            committing = Some(started.elapsed());
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let whole = started.elapsed();
    let fetching = committing.expect("the commit was seen in the WAL");
    let commit = whole - fetching;
    println!("a whole sync: {whole:?}, its commit from {fetching:?}");

    let mut kills = 0;
    let mut inside_commit = 0;
    for attempt in 0.. {
        assert!(attempt < KILLS * 3, "only {kills} of {attempt} syncs could be killed before they ended");
        if kills == KILLS {
            break;
        }
        let dir = tempfile::tempdir().unwrap();
        let mut child = spawn_sync(&sandbox.base_url, dir.path(), &token);
        // Every other kill falls inside the commit (moving the lines in, the index and totals
        // statements, the transfers, COMMIT itself); the others anywhere before it, between
        // and during pages.
        let in_commit = attempt % 2 == 1;
        let wait = if in_commit { moments.below(commit) } else { moments.below(fetching) };
        if in_commit {
            while wal_bytes(dir.path()) <= COMMITTING && child.try_wait().unwrap().is_none() {
                tokio::time::sleep(Duration::from_millis(1)).await;
            }
        }
        tokio::time::sleep(wait).await;
        if child.try_wait().unwrap().is_some() {
            continue; // it finished first: not a kill
        }
        child.kill().unwrap(); // SIGKILL on Unix
        child.wait().unwrap();
        kills += 1;
        inside_commit += usize::from(in_commit && wal_bytes(dir.path()) > COMMITTING);

        let store = Store::open(Some(dir.path())).unwrap();
        assert!(store.integrity_check().unwrap().is_empty(), "seed {seed}, kill {kills}");
        testing::assert_books_consistent(&store);
        let db = Connection::open(dir.path().join(kura_core::store::DB_FILE_NAME)).unwrap();
        let stored = count(&db, "SELECT COUNT(*) FROM transactions") as u64;
        let snapshots = count(&db, "SELECT COUNT(*) FROM balance_snapshots");
        assert!(
            (stored, snapshots) == (0, 0) || (stored, snapshots) == (LINES, 1),
            "seed {seed}, kill {kills}: {stored} lines and {snapshots} balances stored: not the whole account"
        );
        drop(db);

        // The next sync converges to exactly the sandbox's lines (linking first, as the person
        // would, when the kill came before the link was recorded).
        let mut store = store;
        if store.link(LinkId(1)).is_err() {
            store.add_link(&testing::new_link("2011", "sandbox"), chrono::Utc::now()).unwrap();
        }
        let engine = SyncEngine::new(Arc::new(Mutex::new(store)), SyncOptions::default());
        let client = ApiClient::new(ClientConfig::new(sandbox.base_url.clone())).unwrap();
        let report = engine.sync_link(LinkId(1), &client, &StaticToken(token.clone())).await;
        assert_eq!(report.status, SyncRunStatus::Ok, "seed {seed}: {:?}", report.first_error());
        let store = engine.store().lock().unwrap();
        assert!(store.integrity_check().unwrap().is_empty());
        testing::assert_books_consistent(&store);
        let db = Connection::open(dir.path().join(kura_core::store::DB_FILE_NAME)).unwrap();
        assert_eq!(count(&db, "SELECT COUNT(*) FROM transactions") as u64, LINES, "seed {seed}");
        assert_eq!(count(&db, "SELECT COUNT(DISTINCT item_key) FROM transactions") as u64, LINES, "seed {seed}");
    }
    println!("{kills} kills, {inside_commit} of them inside the commit");
    assert!(inside_commit >= KILLS / 4, "seed {seed}: only {inside_commit} kills landed inside the commit");
}
