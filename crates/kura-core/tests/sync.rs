//! The sync engine over real loopback HTTP against the in-process sandbox, into a real SQLite
//! file: first and incremental syncs across simulated days, every fault (what the user sees,
//! nothing lost, no duplicates, the next sync converges to exactly the sandbox's data),
//! reconcile, gaps and a consent that can no longer be refreshed.

mod sync_support;

use std::sync::{Arc, Mutex};

use chrono::{Duration, NaiveDate};
use kura_core::api::ApiClient;
use kura_core::model::{LinkId, LinkStatus, SyncRunStatus};
use kura_core::store::Store;
use kura_core::sync::{LinkReport, SyncEngine, SyncOptions, Warning};
use kura_core::testing;
use kura_sandbox::Sandbox;
use rusqlite::Connection;
use serde_json::json;
use sync_support::*;

/// (remote account id, date, signed amount, balance after, remarks, item key)
type Line = (String, NaiveDate, i64, Option<i64>, String, Option<String>);

struct Fixture {
    sandbox: Sandbox,
    tokens: SandboxTokens,
    client: ApiClient,
    engine: SyncEngine,
    link: LinkId,
    db: std::path::PathBuf,
    _dir: TempDir,
}

struct TempDir(std::path::PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

async fn fixture(bank_code: &str) -> Fixture {
    fixture_with(bank_code, kura_sandbox::SandboxConfig { today: Some(today()), ..Default::default() }).await
}

async fn fixture_with(bank_code: &str, config: kura_sandbox::SandboxConfig) -> Fixture {
    fixture_of("demo", bank_code, config).await
}

/// The `bench` user's one account with 12,000 lines: its first sync spans 24 pages, so
/// paging faults apply.
async fn paged_fixture() -> Fixture {
    let config =
        kura_sandbox::SandboxConfig { today: Some(today()), large_transactions: Some(1_200), ..Default::default() };
    fixture_of("bench", "2011", config).await
}

async fn fixture_of(username: &str, bank_code: &str, config: kura_sandbox::SandboxConfig) -> Fixture {
    let sandbox = start_with(config).await;
    let tokens = tokens(&sandbox, username, bank_code).await;
    let client = client(&sandbox);
    let dir = std::env::temp_dir().join(format!("kura-sync-test-{}-{}", std::process::id(), unique()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut store = Store::open(Some(&dir)).unwrap();
    let db = store.path().to_owned();
    let link = store.add_link(&testing::new_link(bank_code, "sandbox"), chrono::Utc::now()).unwrap();
    let engine = SyncEngine::new(Arc::new(Mutex::new(store)), SyncOptions::default());
    Fixture { sandbox, tokens, client, engine, link, db, _dir: TempDir(dir) }
}

fn unique() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    N.fetch_add(1, Ordering::Relaxed)
}

impl Fixture {
    async fn sync(&self) -> LinkReport {
        self.engine.sync_link(self.link, &self.client, &self.tokens).await
    }

    fn db(&self) -> Connection {
        Connection::open(&self.db).unwrap()
    }

    /// Every stored line, in date then insertion order.
    fn stored(&self) -> Vec<Line> {
        let db = self.db();
        let mut stmt = db
            .prepare(
                "SELECT a.remote_account_id, t.transaction_date, t.amount, t.balance_after, t.remarks, t.item_key
                 FROM transactions t JOIN accounts a ON a.id = t.account_id
                 ORDER BY a.remote_account_id, t.transaction_date, t.id",
            )
            .unwrap();
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    }

    /// What the sandbox serves now for every account of the link: the whole 90-day window.
    async fn served(&self) -> Vec<Line> {
        let today = self.today().await;
        let mut all = Vec::new();
        let mut accounts = self.client.accounts(&self.tokens).await.unwrap().accounts;
        accounts.sort_by(|a, b| a.account_id.cmp(&b.account_id));
        for a in accounts {
            let lines = self
                .client
                .all_transactions(&self.tokens, &a.account_id, today - Duration::days(89), today)
                .await
                .unwrap();
            all.extend(
                lines
                    .into_iter()
                    .map(|t| (a.account_id.clone(), t.transaction_date, t.amount, t.balance, t.remarks, t.item_key)),
            );
        }
        all
    }

    async fn today(&self) -> NaiveDate {
        self.client.accounts(&self.tokens).await.unwrap().as_of.date
    }

    /// The stored lines inside the sandbox's current window equal exactly what it serves.
    async fn assert_converged(&self) {
        let from = self.today().await - Duration::days(89);
        let stored: Vec<Line> = self.stored().into_iter().filter(|l| l.1 >= from).collect();
        assert_eq!(stored, self.served().await, "the store holds exactly the sandbox's window");
        self.assert_no_duplicate_keys();
        // Every line that arrived through the faults is filed in the books as a clean sync would.
        testing::assert_books_consistent(&Store::open_file(&self.db).unwrap());
    }

    fn assert_no_duplicate_keys(&self) {
        let dups: i64 = self
            .db()
            .query_row(
                "SELECT COUNT(*) FROM (SELECT 1 FROM transactions WHERE item_key IS NOT NULL
                 GROUP BY account_id, item_key HAVING COUNT(*) > 1)",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(dups, 0);
    }

    fn count(&self, sql: &str) -> i64 {
        self.db().query_row(sql, [], |r| r.get(0)).unwrap()
    }

    fn last_run(&self) -> (String, Option<String>, Option<u16>, Option<String>) {
        self.db()
            .query_row(
                "SELECT status, error_kind, http_status, CAST(response_body AS TEXT) FROM sync_runs ORDER BY id DESC LIMIT 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .unwrap()
    }
}

#[tokio::test]
async fn first_sync_then_incremental_days_with_overlap_and_no_duplicates() {
    let f = fixture("2011").await;
    let report = f.sync().await;
    assert_eq!(report.status, SyncRunStatus::Ok, "{:?}", report.first_error());
    assert_eq!(report.accounts.len(), 4);
    assert!(report.new_transactions() > 50);
    assert!(report.accounts.iter().all(|a| a.warnings.is_empty()), "no gap before the first sync");
    f.assert_converged().await;
    let first = f.stored().len();

    // A sync on the same day finds nothing new although it re-reads the 7-day overlap.
    let again = f.sync().await;
    assert_eq!(again.status, SyncRunStatus::Ok);
    assert_eq!(again.new_transactions(), 0);
    assert_eq!(f.stored().len(), first);

    for days in [1, 3, 10] {
        advance_days(&f.sandbox, days).await;
        let report = f.sync().await;
        assert_eq!(report.status, SyncRunStatus::Ok, "{:?}", report.first_error());
        assert!(report.accounts.iter().all(|a| a.warnings.is_empty()), "reconciles: {:?}", report.accounts);
        f.assert_converged().await;
    }
    // Nothing was deleted: lines that left the window stay.
    assert!(f.stored().len() > first);
    assert_eq!(f.count("SELECT COUNT(*) FROM sync_runs WHERE status = 'ok'"), 5);
    assert_eq!(f.count("SELECT COUNT(*) FROM balance_snapshots"), 5 * 4);
    assert_eq!(f.count("SELECT COUNT(*) FROM accounts WHERE reconcile_status = 'ok'"), 4);
}

#[tokio::test]
async fn a_union_without_item_keys_is_deduplicated_by_fingerprint() {
    let f = fixture("2773").await;
    assert_eq!(f.sync().await.status, SyncRunStatus::Ok);
    f.assert_converged().await;
    advance_days(&f.sandbox, 2).await;
    assert_eq!(f.sync().await.status, SyncRunStatus::Ok);
    f.assert_converged().await;
    assert_eq!(f.count("SELECT COUNT(*) FROM transactions WHERE item_key IS NOT NULL"), 0);
}

/// Syncs once, moves two days on, syncs under `fault`, checks what the user sees with `check`,
/// that nothing stored was lost or duplicated, then clears the fault and checks convergence.
async fn survive(bank_code: &str, fault: serde_json::Value, check: impl FnOnce(&LinkReport)) -> Fixture {
    survive_in(fixture(bank_code).await, json!({}), fault, check).await
}

/// [`survive`] on `f`, with `base` faults on throughout (e.g. keyless lines).
async fn survive_in(
    f: Fixture,
    base: serde_json::Value,
    fault: serde_json::Value,
    check: impl FnOnce(&LinkReport),
) -> Fixture {
    faults(&f.sandbox, base.clone()).await;
    assert_eq!(f.sync().await.status, SyncRunStatus::Ok);
    let before = f.stored();
    advance_days(&f.sandbox, 2).await;
    let mut with_fault = base.clone();
    with_fault.as_object_mut().unwrap().extend(fault.as_object().unwrap().clone());
    faults(&f.sandbox, with_fault).await;
    let report = f.sync().await;
    check(&report);
    let after = f.stored();
    assert!(before.iter().all(|l| after.contains(l)), "nothing stored was lost");
    f.assert_no_duplicate_keys();
    faults(&f.sandbox, base).await;
    let report = f.sync().await;
    assert_eq!(report.status, SyncRunStatus::Ok, "{:?}", report.first_error());
    f.assert_converged().await;
    f
}

/// A first sync under `fault` (with `base` faults throughout): what it stored is never
/// duplicated, and a clean sync converges. The full window spans many pages.
async fn survive_first_sync(
    f: Fixture,
    base: serde_json::Value,
    fault: serde_json::Value,
    check: impl FnOnce(&LinkReport),
) -> Fixture {
    let mut with_fault = base.clone();
    with_fault.as_object_mut().unwrap().extend(fault.as_object().unwrap().clone());
    faults(&f.sandbox, with_fault).await;
    check(&f.sync().await);
    f.assert_no_duplicate_keys();
    faults(&f.sandbox, base).await;
    let report = f.sync().await;
    assert_eq!(report.status, SyncRunStatus::Ok, "{:?}", report.first_error());
    f.assert_converged().await;
    f
}

#[tokio::test]
async fn server_errors_beyond_the_retries_fail_the_run_with_the_raw_body() {
    let f = survive("2011", json!({"failNext": 1000, "failStatus": 500}), |r| {
        assert_eq!(r.status, SyncRunStatus::Failed);
        assert!(r.first_error().unwrap().to_string().contains("HTTP 500"));
    })
    .await;
    let db = f.db();
    let (kind, status, body): (String, u16, String) = db
        .query_row(
            "SELECT error_kind, http_status, CAST(response_body AS TEXT) FROM sync_runs WHERE status = 'failed'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert_eq!((kind.as_str(), status), ("http", 500));
    assert!(body.contains("INTERNAL_ERROR"), "{body}");
    assert_eq!(f.last_run().0, "ok");
}

#[tokio::test]
async fn transient_errors_latency_and_short_rate_limits_are_absorbed() {
    survive("2011", json!({"failNext": 1, "rateLimitNext": 1, "retryAfterSeconds": 0, "latencyMs": 20}), |r| {
        assert_eq!(r.status, SyncRunStatus::Ok, "{:?}", r.first_error());
    })
    .await;
}

#[tokio::test]
async fn maintenance_stops_the_link_and_says_when_to_retry() {
    let f = survive("2011", json!({"maintenance": true, "retryAfterSeconds": 900}), |r| {
        assert_eq!(r.status, SyncRunStatus::Failed);
        let e = r.first_error().unwrap();
        assert!(e.to_string().contains("maintenance"), "{e}");
    })
    .await;
    let failed: String =
        f.db().query_row("SELECT error_kind FROM sync_runs WHERE status = 'failed'", [], |r| r.get(0)).unwrap();
    assert_eq!(failed, "maintenance");
}

#[tokio::test]
async fn a_long_rate_limit_fails_the_run_without_waiting() {
    survive("2011", json!({"rateLimited": true, "retryAfterSeconds": 3600}), |r| {
        assert_eq!(r.status, SyncRunStatus::Failed);
        assert!(r.first_error().unwrap().to_string().contains("429"));
    })
    .await;
}

#[tokio::test]
async fn a_malformed_body_fails_only_that_account() {
    survive("2011", json!({"malformedJson": 3}), |r| {
        assert_ne!(r.status, SyncRunStatus::Ok);
        assert!(r.first_error().unwrap().to_string().contains("invalid response"));
    })
    .await;
}

#[tokio::test]
async fn truncated_bodies_are_retried() {
    survive("2011", json!({"truncatedBody": 2}), |r| assert_eq!(r.status, SyncRunStatus::Ok)).await;
}

#[tokio::test]
async fn repeated_pages_and_duplicated_items_store_each_line_once() {
    survive_first_sync(paged_fixture().await, json!({}), json!({"repeatPage": 2, "duplicateItem": 2}), |r| {
        assert_eq!(r.status, SyncRunStatus::Ok, "{:?}", r.first_error())
    })
    .await;
}

#[tokio::test]
async fn duplicated_keyless_items_store_each_line_once() {
    let f = survive_first_sync(paged_fixture().await, json!({"omitItemKey": true}), json!({"duplicateItem": 2}), |r| {
        assert_eq!(r.status, SyncRunStatus::Ok, "{:?}", r.first_error())
    })
    .await;
    assert_eq!(f.count("SELECT COUNT(*) FROM transactions WHERE item_key IS NOT NULL"), 0);
}

#[tokio::test]
async fn a_looping_next_item_key_fails_the_account_not_the_store() {
    survive_first_sync(paged_fixture().await, json!({}), json!({"loopNextItemKey": true}), |r| {
        assert_eq!(r.status, SyncRunStatus::Failed);
        assert!(r.first_error().unwrap().to_string().contains("the pages loop"), "{:?}", r.first_error());
    })
    .await;
}

#[tokio::test]
async fn expired_tokens_are_refreshed_during_the_sync() {
    let f = survive("2011", json!({"expireAllTokens": true}), |r| assert_eq!(r.status, SyncRunStatus::Ok)).await;
    assert_eq!(f.tokens.refresh_count(), 1);
}

#[tokio::test]
async fn a_revoked_consent_marks_the_link_reauth_required_and_keeps_the_data() {
    let f = fixture("2011").await;
    assert_eq!(f.sync().await.status, SyncRunStatus::Ok);
    let before = f.stored();
    faults(&f.sandbox, json!({"revokeAllTokens": true})).await;
    let report = f.sync().await;
    assert_eq!(report.status, SyncRunStatus::Failed);
    assert!(report.first_error().unwrap().to_string().contains("link the account again"));
    assert_eq!(f.stored(), before);
    let status: String = f.db().query_row("SELECT status FROM links", [], |r| r.get(0)).unwrap();
    assert_eq!(status, LinkStatus::ReauthRequired.as_str());
    assert_eq!(f.last_run().1.as_deref(), Some("reauth_required"));
    // Further syncs do not hammer the bank: the link waits for a new link.
    let report = f.sync().await;
    assert!(report.first_error().unwrap().to_string().contains("reauth_required"));
}

#[tokio::test]
async fn a_gap_is_recorded_once_it_falls_out_of_the_window_and_history_is_kept() {
    // A consent that outlives the 100 days: with the bank's 90-day consents, the same gap
    // appears when the user links again after it lapsed.
    let f = fixture_with(
        "2011",
        kura_sandbox::SandboxConfig {
            today: Some(today()),
            refresh_token_ttl: chrono::Duration::days(400),
            consent_ttl: chrono::Duration::days(400),
            ..Default::default()
        },
    )
    .await;
    assert_eq!(f.sync().await.status, SyncRunStatus::Ok);
    let before = f.stored();
    let synced_through = f.today().await;
    advance_days(&f.sandbox, 100).await;
    let report = f.sync().await;
    assert_eq!(report.status, SyncRunStatus::Ok, "{:?}", report.first_error());
    let window_start = f.today().await - Duration::days(89);
    let expected = Warning::GapRecorded {
        date_from: synced_through + Duration::days(1),
        date_to: window_start - Duration::days(1),
    };
    assert!(report.accounts.iter().all(|a| a.warnings.contains(&expected)), "{:?}", report.accounts);
    assert_eq!(f.count("SELECT COUNT(*) FROM gaps"), 4);
    let after = f.stored();
    assert!(before.iter().all(|l| after.contains(l)), "history older than the window is kept");
    f.assert_converged().await;
    // The gap is not recorded again.
    advance_days(&f.sandbox, 1).await;
    let report = f.sync().await;
    assert!(report.accounts.iter().all(|a| a.warnings.is_empty()), "{:?}", report.accounts);
    assert_eq!(f.count("SELECT COUNT(*) FROM gaps"), 4);
}

#[tokio::test]
async fn a_balance_that_does_not_add_up_flags_the_account() {
    let f = fixture("2011").await;
    assert_eq!(f.sync().await.status, SyncRunStatus::Ok);
    // As if the bank had changed a balance without a line explaining it.
    f.db().execute("UPDATE balance_snapshots SET balance = balance + 1000", []).unwrap();
    advance_days(&f.sandbox, 1).await;
    let report = f.sync().await;
    assert_eq!(report.status, SyncRunStatus::Ok, "a mismatch is a warning, not an error");
    assert!(
        report.accounts.iter().all(|a| { a.warnings.iter().any(|w| matches!(w, Warning::ReconcileMismatch { .. })) })
    );
    assert_eq!(f.count("SELECT COUNT(*) FROM accounts WHERE reconcile_status = 'mismatch'"), 4);
    // The next consistent sync clears the flag.
    advance_days(&f.sandbox, 1).await;
    assert!(f.sync().await.accounts.iter().all(|a| a.warnings.is_empty()));
    assert_eq!(f.count("SELECT COUNT(*) FROM accounts WHERE reconcile_status = 'ok'"), 4);
}
