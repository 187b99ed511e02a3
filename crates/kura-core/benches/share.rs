//! The household's shared logs (docs/PERFORMANCE.md, "Sharing a household"), run under a real
//! keyring (scripts/with-keyring.sh) with a plain folder standing in for Syncthing's:
//!
//! - a first sync of one account of `KURA_BENCH_LINES` lines (default 100,000) from the
//!   in-process sandbox, beside applying the same lines from that desktop's log on a second
//!   desktop (joining the household), and the log's size;
//! - the segment one day's sync at 20 unions writes (`demo`, one new day);
//! - a second desktop that was off for a month catching up on thirty daily segments.
//!
//! Each is a single long run: a plain timed program, like benches/sync.rs.

use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use chrono::NaiveDate;
use kura_core::api::{ApiClient, ClientConfig};
use kura_core::app::AppContext;
use kura_core::app::share::{self, ShareCreateRequest, ShareJoinRequest, ShareLeaveRequest, ShareSyncRequest};
use kura_core::model::{LinkId, SyncRunStatus};
use kura_core::store::Store;
use kura_core::sync::{SyncEngine, SyncOptions};
use kura_core::testing::{self, StaticToken};
use kura_sandbox::{Sandbox, SandboxConfig};

fn today() -> NaiveDate {
    "2026-11-24".parse().unwrap()
}

async fn token(base: &str, username: &str, bank: &str) -> String {
    let http = reqwest::Client::builder().no_proxy().build().unwrap();
    testing::sandbox_grant(&http, base, username, bank).await["access_token"].as_str().unwrap().to_owned()
}

/// Syncs `links` (with their tokens) into the store in `dir`.
async fn sync(sandbox: &Sandbox, dir: &Path, links: &[(LinkId, String)]) {
    let engine = SyncEngine::new(Arc::new(Mutex::new(Store::open(Some(dir)).unwrap())), SyncOptions::default());
    let client = ApiClient::new(ClientConfig::new(sandbox.base_url.clone())).unwrap();
    for (link, token) in links {
        let report = engine.sync_link(*link, &client, &StaticToken(token.clone())).await;
        assert_eq!(report.status, SyncRunStatus::Ok, "{:?}", report.first_error());
    }
}

fn bytes_of(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| if e.path().is_dir() { bytes_of(&e.path()) } else { e.metadata().unwrap().len() })
        .sum()
}

async fn leave(ctx: &AppContext) {
    share::leave(ctx, ShareLeaveRequest {}).await.unwrap();
}

async fn apply_beside_first_sync(lines: u64) {
    let config = SandboxConfig {
        today: Some(today()),
        large_transactions: Some(lines),
        access_token_ttl: chrono::Duration::days(7),
        ..Default::default()
    };
    let sandbox = kura_sandbox::start(config).await.unwrap();
    let (a, b, folder) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let link = Store::open(Some(a.path()))
        .unwrap()
        .add_link(&testing::new_link("2011", "sandbox"), chrono::Utc::now())
        .unwrap();
    let token = token(&sandbox.base_url, "bench", "2011").await;
    // The sandbox makes its ledger on the first request: not the client's cost.
    let client = ApiClient::new(ClientConfig::new(sandbox.base_url.clone())).unwrap();
    let tokens = StaticToken(token.clone());
    client.balance(&tokens, &client.accounts(&tokens).await.unwrap().accounts[0].account_id).await.unwrap();

    let started = Instant::now();
    sync(&sandbox, a.path(), &[(link, token)]).await;
    let first_sync = started.elapsed().as_secs_f64();

    let ctx_a = AppContext::open(a.path().to_owned()).unwrap();
    let started = Instant::now();
    let request = ShareCreateRequest { folder: folder.path().display().to_string(), desktop_name: Some("A".into()) };
    let code = share::create(&ctx_a, request).await.unwrap().code;
    let write = started.elapsed().as_secs_f64();
    let log = bytes_of(&folder.path().join("desktops"));

    let ctx_b = AppContext::open(b.path().to_owned()).unwrap();
    let started = Instant::now();
    let request =
        ShareJoinRequest { folder: folder.path().display().to_string(), code, desktop_name: Some("B".into()) };
    let joined = share::join(&ctx_b, request).await.unwrap();
    let apply = started.elapsed().as_secs_f64();
    assert!(joined.lines >= lines, "{joined:?}");
    println!("| {lines} | first sync from the sandbox | {first_sync:.2} s | |");
    println!(
        "| {lines} | writing them to the shared log (A) | {write:.2} s | {:.1} MiB, {:.0} bytes/line |",
        log as f64 / 1048576.0,
        log as f64 / lines as f64
    );
    println!(
        "| {lines} | applying that log (B joins) | {apply:.2} s | **{:.2}x** the first sync |",
        apply / first_sync
    );
    leave(&ctx_a).await;
    leave(&ctx_b).await;
}

async fn a_day_and_a_month() {
    let config =
        SandboxConfig { today: Some(today()), access_token_ttl: chrono::Duration::days(60), ..Default::default() };
    let sandbox = kura_sandbox::start(config).await.unwrap();
    let (a, b, folder) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let mut links = Vec::new();
    {
        let mut store = Store::open(Some(a.path())).unwrap();
        for bank in kura_core::institutions::all().iter().take(20).map(|i| i.code.clone()) {
            let link = store.add_link(&testing::new_link(&bank, "sandbox"), chrono::Utc::now()).unwrap();
            links.push((link, token(&sandbox.base_url, "demo", &bank).await));
        }
    }
    sync(&sandbox, a.path(), &links).await;
    let ctx_a = AppContext::open(a.path().to_owned()).unwrap();
    let request = ShareCreateRequest { folder: folder.path().display().to_string(), desktop_name: Some("A".into()) };
    let code = share::create(&ctx_a, request).await.unwrap().code;
    let ctx_b = AppContext::open(b.path().to_owned()).unwrap();
    let request =
        ShareJoinRequest { folder: folder.path().display().to_string(), code, desktop_name: Some("B".into()) };
    share::join(&ctx_b, request).await.unwrap();

    let log = folder.path().join("desktops").join(ctx_a.store().desktop_id().unwrap());
    let mut sizes = Vec::new();
    for _ in 0..30 {
        sandbox.state.clock.advance(chrono::Duration::days(1));
        sync(&sandbox, a.path(), &links).await;
        let before = bytes_of(&log);
        share::sync_now(&ctx_a, ShareSyncRequest {}).await.unwrap();
        sizes.push(bytes_of(&log) - before);
    }
    sizes.sort();
    println!(
        "one day's segment, 20 unions (23 accounts): median {:.1} KiB (smallest {:.1}, largest {:.1})",
        sizes[15] as f64 / 1024.0,
        sizes[0] as f64 / 1024.0,
        sizes[29] as f64 / 1024.0
    );
    let started = Instant::now();
    let caught = share::sync_now(&ctx_b, ShareSyncRequest {}).await.unwrap();
    println!(
        "a desktop off for a month catches up: {} segments, {} lines in {:.2} s",
        caught.applied,
        caught.lines,
        started.elapsed().as_secs_f64()
    );
    leave(&ctx_a).await;
    leave(&ctx_b).await;
}

#[tokio::main]
async fn main() {
    let lines = std::env::var("KURA_BENCH_LINES").ok().and_then(|v| v.parse().ok()).unwrap_or(100_000);
    println!("| lines | what | time | |");
    println!("| --- | --- | --- | --- |");
    apply_beside_first_sync(lines).await;
    a_day_and_a_month().await;
}
