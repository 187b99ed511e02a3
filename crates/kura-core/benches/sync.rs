//! End-to-end sync benchmarks against the in-process sandbox over loopback HTTP (client, paging,
//! parsing, dedupe and the SQLite write together):
//! - the first sync of one account with 1,000,000 lines (the sandbox's large-data mode);
//! - an incremental sync of one new day across 20 accounts (20 links, one account each).
//!
//! Each is a single long run, so this is a plain timed program rather than a criterion loop;
//! `cargo bench -p kura-core --bench sync` prints the figures recorded in docs/PERFORMANCE.md.
//! `KURA_BENCH_LINES` overrides the 1,000,000.

use std::sync::{Arc, Mutex};
use std::time::Instant;

use chrono::NaiveDate;
use kura_core::api::{ApiClient, ClientConfig};
use kura_core::model::{LinkId, SyncRunStatus};
use kura_core::store::Store;
use kura_core::sync::{SyncEngine, SyncOptions};
use kura_core::testing::{self, StaticToken};
use kura_sandbox::SandboxConfig;

async fn token(base: &str, username: &str, bank: &str) -> StaticToken {
    let http = reqwest::Client::builder().no_proxy().build().unwrap();
    let grant = testing::sandbox_grant(&http, base, username, bank).await;
    StaticToken(grant["access_token"].as_str().unwrap().to_owned())
}

fn link(store: &mut Store, bank: &str) -> LinkId {
    store.upsert_link(&testing::new_link(bank, "sandbox"), chrono::Utc::now()).unwrap()
}

fn temp_store(name: &str) -> (std::path::PathBuf, Store) {
    let dir = std::env::temp_dir().join(format!("kura-bench-sync-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let store = Store::open(Some(&dir)).unwrap();
    (dir, store)
}

#[tokio::main]
async fn main() {
    let today = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
    let lines: u64 = std::env::var("KURA_BENCH_LINES").ok().and_then(|v| v.parse().ok()).unwrap_or(1_000_000);

    // First sync of one account with `lines` lines.
    let sandbox = kura_sandbox::start(SandboxConfig {
        today: Some(today),
        large_transactions: Some(lines),
        ..Default::default()
    })
    .await
    .unwrap();
    let (dir, mut store) = temp_store("first");
    let id = link(&mut store, "2011");
    let engine = SyncEngine::new(Arc::new(Mutex::new(store)), SyncOptions::default());
    let client = ApiClient::new(ClientConfig::new(sandbox.base_url.clone())).unwrap();
    let tokens = token(&sandbox.base_url, "bench", "2011").await;
    // Let the sandbox generate its ledger first: its cost is not the client's.
    client.balance(&tokens, &client.accounts(&tokens).await.unwrap().accounts[0].account_id).await.unwrap();
    let started = Instant::now();
    let report = engine.sync_link(id, &client, &tokens).await;
    let took = started.elapsed();
    assert_eq!(report.status, SyncRunStatus::Ok, "{:?}", report.first_error());
    assert_eq!(report.new_transactions(), lines);
    println!(
        "first sync, 1 account, {lines} lines: {:.2} s ({:.0} lines/s)",
        took.as_secs_f64(),
        lines as f64 / took.as_secs_f64()
    );
    let _ = std::fs::remove_dir_all(dir);
    drop(sandbox);

    // One new day across 20 accounts: `demo`'s 普通 at 20 unions.
    // Access tokens outlive the simulated day, as a refresh is not what is measured.
    let config =
        SandboxConfig { today: Some(today), access_token_ttl: chrono::Duration::days(7), ..Default::default() };
    let sandbox = kura_sandbox::start(config).await.unwrap();
    let (dir, mut store) = temp_store("incremental");
    let unions: Vec<String> = kura_core::institutions::all().iter().take(20).map(|i| i.code.clone()).collect();
    let mut links = Vec::new();
    for bank in &unions {
        links.push((link(&mut store, bank), token(&sandbox.base_url, "demo", bank).await));
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
