//! The scheduler over real loopback HTTP: a first round at start, `sync_now`, and a failed
//! round under maintenance followed by a clean one.

mod sync_support;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use kura_core::api::{ApiClient, TokenSource};
use kura_core::model::SyncRunStatus;
use kura_core::store::{LinkRow, Store};
use kura_core::sync::{LinkConnector, Scheduler, SchedulerConfig, SyncEngine, SyncError, SyncOptions};
use kura_core::testing;
use serde_json::json;
use sync_support::*;

struct Connector {
    client: ApiClient,
    tokens: Arc<SandboxTokens>,
}

impl LinkConnector for Connector {
    fn connect(&self, _link: &LinkRow) -> Result<(ApiClient, Arc<dyn TokenSource>), SyncError> {
        Ok((self.client.clone(), self.tokens.clone()))
    }
}

#[tokio::test]
async fn syncs_at_start_on_demand_and_after_maintenance() {
    let sandbox = start().await;
    let dir = std::env::temp_dir().join(format!("kura-scheduler-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut store = Store::open(Some(&dir)).unwrap();
    store.add_link(&testing::new_link("2011", "sandbox"), chrono::Utc::now()).unwrap();
    let engine = SyncEngine::new(Arc::new(Mutex::new(store)), SyncOptions::default());
    let connector =
        Arc::new(Connector { client: client(&sandbox), tokens: Arc::new(tokens(&sandbox, "demo", "2011").await) });
    let config = SchedulerConfig {
        interval: Duration::from_secs(3600),
        jitter: Duration::ZERO,
        base_backoff: Duration::from_secs(3600),
        max_backoff: Duration::from_secs(3600),
    };
    let (handle, task) = Scheduler::spawn(engine.clone(), connector, config);
    let mut reports = handle.subscribe();

    // The first round runs at start.
    let first = reports.recv().await.unwrap();
    assert_eq!(first.status, SyncRunStatus::Ok, "{:?}", first.first_error());
    assert_eq!(first.accounts.len(), 4);

    // On demand, although the next round is an hour away.
    advance_days(&sandbox, 1).await;
    handle.sync_now(None);
    let second = reports.recv().await.unwrap();
    assert_eq!(second.status, SyncRunStatus::Ok);

    // Under maintenance the round fails with the bank's reason; the next one succeeds.
    faults(&sandbox, json!({"maintenance": true, "retryAfterSeconds": 1800})).await;
    handle.sync_now(None);
    let third = reports.recv().await.unwrap();
    assert_eq!(third.status, SyncRunStatus::Failed);
    assert!(third.first_error().unwrap().to_string().contains("maintenance"));
    faults(&sandbox, json!({})).await;
    handle.sync_now(None);
    assert_eq!(reports.recv().await.unwrap().status, SyncRunStatus::Ok);

    assert!(engine.store().lock().unwrap().integrity_check().unwrap().is_empty());
    handle.stop();
    task.await.unwrap();
    let _ = std::fs::remove_dir_all(dir);
}
