//! The scheduler against the sandbox's faults over real loopback HTTP: it waits out maintenance
//! (`Retry-After`), backs off exponentially after repeated 5xx and forgets the backoff after a
//! success, adds jitter within its bound, never starts a second sync of a link that is syncing,
//! and keeps the requests in flight to one host under the cap.
//!
//! Time is the test's [`ManualClock`]: the scheduler's decisions (when a link is next due) are
//! read off the sleep it starts, and the test moves the clock there, so hours of backoff take no
//! time and nothing depends on the wall clock. The syncs themselves are real.

mod sync_support;

use std::collections::HashMap;
use std::future::Future;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;
use kura_core::api::{ApiClient, TokenSource};
use kura_core::model::{LinkId, SyncRunStatus};
use kura_core::store::{LinkRow, Store};
use kura_core::sync::{
    Clock, LinkConnector, LinkReport, Scheduler, SchedulerConfig, SchedulerHandle, SyncEngine, SyncError, SyncOptions,
};
use kura_core::testing;
use kura_sandbox::{AppState, Faults, SandboxConfig};
use serde_json::json;
use sync_support::*;
use tokio::sync::{broadcast, watch};
use tokio::time::Instant;

/// A clock that moves only when the test says. Each sleep the scheduler starts is registered,
/// so the test can read when the scheduler means to wake next.
#[derive(Clone)]
struct ManualClock(Arc<ClockState>);

struct ClockState {
    inner: Mutex<ClockInner>,
    /// Bumped whenever the time moves or a sleep starts or ends.
    changed: watch::Sender<u64>,
}

struct ClockInner {
    now: Instant,
    sleeps: HashMap<u64, Instant>,
    next_id: u64,
}

impl ManualClock {
    fn new() -> Self {
        let inner = ClockInner { now: Instant::now(), sleeps: HashMap::new(), next_id: 0 };
        ManualClock(Arc::new(ClockState { inner: Mutex::new(inner), changed: watch::channel(0).0 }))
    }

    fn bump(&self) {
        self.0.changed.send_modify(|n| *n += 1);
    }

    /// The earliest deadline among the sleeps under way, once there is one.
    async fn next_wake(&self) -> Instant {
        let mut changed = self.0.changed.subscribe();
        loop {
            if let Some(at) = self.0.inner.lock().unwrap().sleeps.values().min().copied() {
                return at;
            }
            changed.changed().await.unwrap();
        }
    }

    /// How long after now the scheduler means to wake next.
    async fn next_wait(&self) -> Duration {
        self.next_wake().await - self.now()
    }

    /// Moves the clock to the scheduler's next wake-up, and returns once that sleep has ended
    /// (so that a later [`Self::next_wake`] sees what the scheduler does next).
    async fn advance_to_next_wake(&self) {
        let at = self.next_wake().await;
        let mut changed = self.0.changed.subscribe();
        self.0.inner.lock().unwrap().now = at;
        self.bump();
        while self.0.inner.lock().unwrap().sleeps.values().any(|d| *d <= at) {
            changed.changed().await.unwrap();
        }
    }
}

impl Clock for ManualClock {
    fn now(&self) -> Instant {
        self.0.inner.lock().unwrap().now
    }

    fn sleep_until(&self, deadline: Instant) -> Pin<Box<dyn Future<Output = ()> + Send + 'static>> {
        let clock = self.clone();
        Box::pin(async move {
            let id = {
                let mut inner = clock.0.inner.lock().unwrap();
                inner.next_id += 1;
                let id = inner.next_id;
                inner.sleeps.insert(id, deadline);
                id
            };
            let mut changed = clock.0.changed.subscribe();
            clock.bump();
            let _registered = Unregister(clock.clone(), id);
            while clock.now() < deadline {
                changed.changed().await.unwrap();
            }
        })
    }
}

/// Takes a sleep off the clock's list when it ends or is dropped.
struct Unregister(ManualClock, u64);

impl Drop for Unregister {
    fn drop(&mut self) {
        self.0.0.inner.lock().unwrap().sleeps.remove(&self.1);
        self.0.bump();
    }
}

/// One shared client for the sandbox's host and each link's tokens.
struct Connector {
    client: ApiClient,
    tokens: HashMap<LinkId, Arc<SandboxTokens>>,
}

impl LinkConnector for Connector {
    fn connect(&self, link: &LinkRow) -> Result<(ApiClient, Arc<dyn TokenSource>), SyncError> {
        Ok((self.client.clone(), self.tokens[&link.id].clone()))
    }
}

/// A store in a fresh folder with a sandbox link for each of `banks` (ids 1, 2, …).
fn store_with_links(banks: &[&str]) -> (tempfile::TempDir, Store) {
    let dir = tempfile::TempDir::new().unwrap();
    let mut store = Store::open(Some(dir.path())).unwrap();
    for bank in banks {
        store.add_link(&testing::new_link(bank, "sandbox"), chrono::Utc::now()).unwrap();
    }
    (dir, store)
}

struct Running {
    handle: SchedulerHandle,
    reports: broadcast::Receiver<Arc<LinkReport>>,
    engine: SyncEngine,
    clock: ManualClock,
    task: tokio::task::JoinHandle<()>,
    _dir: tempfile::TempDir,
}

impl Running {
    async fn report(&mut self) -> Arc<LinkReport> {
        self.reports.recv().await.unwrap()
    }

    fn runs_of(&self, link: LinkId) -> usize {
        self.engine.store().lock().unwrap().sync_runs(Some(link), None, 1000).unwrap().len()
    }

    async fn stop(self) {
        assert!(self.engine.store().lock().unwrap().integrity_check().unwrap().is_empty());
        self.handle.stop();
        self.task.await.unwrap();
    }
}

/// Starts the scheduler on a manual clock over one link (demo at 2011) to `base_url`.
async fn start_scheduler(base_url: &str, client: ApiClient, config: SchedulerConfig) -> Running {
    let (dir, store) = store_with_links(&["2011"]);
    let tokens = HashMap::from([(LinkId(1), Arc::new(tokens_at(base_url, "demo", "2011").await))]);
    let engine = SyncEngine::new(Arc::new(Mutex::new(store)), SyncOptions::default());
    let clock = ManualClock::new();
    let (handle, task) = Scheduler::spawn_with_clock(
        engine.clone(),
        Arc::new(Connector { client, tokens }),
        config,
        Arc::new(clock.clone()),
    );
    let reports = handle.subscribe();
    Running { handle, reports, engine, clock, task, _dir: dir }
}

const MINUTE: Duration = Duration::from_secs(60);
const HOUR: Duration = Duration::from_secs(3600);

fn config(jitter: Duration, base_backoff: Duration, max_backoff: Duration) -> SchedulerConfig {
    SchedulerConfig { interval: HOUR, jitter, base_backoff, max_backoff }
}

#[tokio::test]
async fn scheduler_waits_out_maintenance_for_its_retry_after_and_syncs_on_demand_meanwhile() {
    let sandbox = start().await;
    faults(&sandbox, json!({"maintenance": true, "retryAfterSeconds": 1800})).await;
    let mut s = start_scheduler(&sandbox.base_url, client(&sandbox), config(Duration::ZERO, MINUTE, 6 * HOUR)).await;

    // The first round at start meets the maintenance: the scheduler waits the 30 minutes the
    // bank asked for, not its own one-minute backoff.
    let first = s.report().await;
    assert_eq!(first.status, SyncRunStatus::Failed);
    assert!(first.first_error().unwrap().to_string().contains("maintenance"), "{:?}", first.first_error());
    assert_eq!(s.clock.next_wait().await, 30 * MINUTE);

    // Still under maintenance then: the doubled backoff (2 minutes) is shorter than the window,
    // so it waits the window again.
    s.clock.advance_to_next_wake().await;
    assert_eq!(s.report().await.status, SyncRunStatus::Failed);
    assert_eq!(s.clock.next_wait().await, 30 * MINUTE);

    // The window ends; the next attempt syncs, and the link is back on its hourly interval.
    faults(&sandbox, json!({})).await;
    s.clock.advance_to_next_wake().await;
    let synced = s.report().await;
    assert_eq!(synced.status, SyncRunStatus::Ok, "{:?}", synced.first_error());
    assert_eq!(synced.accounts.len(), 4);
    assert_eq!(s.clock.next_wait().await, HOUR);

    // Maintenance again; the user asks for a sync while the scheduler waits it out.
    faults(&sandbox, json!({"maintenance": true, "retryAfterSeconds": 1800})).await;
    s.clock.advance_to_next_wake().await;
    assert_eq!(s.report().await.status, SyncRunStatus::Failed);
    assert_eq!(s.clock.next_wait().await, 30 * MINUTE);
    faults(&sandbox, json!({})).await;
    let asked_at = s.clock.now();
    s.handle.sync_now(None);
    assert_eq!(s.report().await.status, SyncRunStatus::Ok);
    assert_eq!(s.clock.now(), asked_at, "the sync on demand did not wait for the window");
    assert_eq!(s.clock.next_wait().await, HOUR);
    assert_eq!(s.runs_of(LinkId(1)), 5);
    s.stop().await;
}

#[tokio::test]
async fn scheduler_obeys_a_retry_after_of_at_most_a_day() {
    let sandbox = start().await;
    // Ten days: more likely a broken header than a real window.
    faults(&sandbox, json!({"maintenance": true, "retryAfterSeconds": 864_000})).await;
    let mut s = start_scheduler(&sandbox.base_url, client(&sandbox), config(Duration::ZERO, MINUTE, 6 * HOUR)).await;
    assert_eq!(s.report().await.status, SyncRunStatus::Failed);
    assert_eq!(s.clock.next_wait().await, 24 * HOUR);
    s.stop().await;
}

#[tokio::test]
async fn scheduler_backs_off_exponentially_after_repeated_server_errors_and_resets_after_a_success() {
    let sandbox = start().await;
    faults(&sandbox, json!({"failNext": 1_000_000, "failStatus": 500})).await;
    let mut s = start_scheduler(&sandbox.base_url, client(&sandbox), config(Duration::ZERO, MINUTE, 10 * MINUTE)).await;

    // 1, 2, 4, 8 minutes, then the 10-minute cap.
    for minutes in [1, 2, 4, 8, 10, 10] {
        let report = s.report().await;
        assert_eq!(report.status, SyncRunStatus::Failed);
        assert!(report.first_error().unwrap().to_string().contains("500"), "{:?}", report.first_error());
        assert_eq!(s.clock.next_wait().await, minutes * MINUTE);
        s.clock.advance_to_next_wake().await;
    }
    assert_eq!(s.report().await.status, SyncRunStatus::Failed);

    // The bank recovers: the next attempt syncs and the link returns to its interval.
    faults(&sandbox, json!({})).await;
    s.clock.advance_to_next_wake().await;
    assert_eq!(s.report().await.status, SyncRunStatus::Ok);
    assert_eq!(s.clock.next_wait().await, HOUR);

    // A new failure starts the backoff from the beginning.
    faults(&sandbox, json!({"failNext": 1_000_000, "failStatus": 500})).await;
    s.clock.advance_to_next_wake().await;
    assert_eq!(s.report().await.status, SyncRunStatus::Failed);
    assert_eq!(s.clock.next_wait().await, MINUTE);
    s.stop().await;
}

#[tokio::test]
async fn scheduler_adds_jitter_within_its_bound() {
    let sandbox = start().await;
    let jitter = 5 * MINUTE;
    let mut s = start_scheduler(&sandbox.base_url, client(&sandbox), config(jitter, MINUTE, HOUR)).await;
    let mut waits = Vec::new();
    for _ in 0..6 {
        assert_eq!(s.report().await.status, SyncRunStatus::Ok);
        let wait = s.clock.next_wait().await;
        assert!((HOUR..=HOUR + jitter).contains(&wait), "{wait:?}");
        waits.push(wait);
        s.clock.advance_to_next_wake().await;
    }
    // Drawn per round (millisecond steps over five minutes): six equal draws do not happen.
    assert!(waits.iter().any(|w| *w != waits[0]), "{waits:?}");
    s.stop().await;
}

#[tokio::test]
async fn scheduler_never_starts_a_second_sync_of_a_link_that_is_syncing() {
    let sandbox = start().await;
    let mut s = start_scheduler(&sandbox.base_url, client(&sandbox), config(Duration::ZERO, MINUTE, HOUR)).await;
    // The first round is under way (this runtime has one thread: the scheduler started it and
    // handles these before the sync gets to run).
    s.handle.sync_now(None);
    s.handle.sync_now(Some(LinkId(1)));
    s.handle.sync_now(None);
    let first = s.report().await;
    assert_eq!(first.status, SyncRunStatus::Ok, "{:?}", first.first_error());
    // The scheduler went back to sleep for the interval with no second sync behind it.
    assert_eq!(s.clock.next_wait().await, HOUR);
    assert!(matches!(s.reports.try_recv(), Err(broadcast::error::TryRecvError::Empty)));
    assert_eq!(s.runs_of(LinkId(1)), 1);

    // Asked again once it is idle, it syncs again.
    s.handle.sync_now(Some(LinkId(1)));
    assert_eq!(s.report().await.status, SyncRunStatus::Ok);
    assert_eq!(s.runs_of(LinkId(1)), 2);
    s.stop().await;
}

/// Requests under way in the sandbox's `/v1`, and the most seen at once.
#[derive(Default)]
struct InFlight {
    now: AtomicUsize,
    max: AtomicUsize,
}

async fn count_in_flight(State(count): State<Arc<InFlight>>, request: Request, next: Next) -> Response {
    if !request.uri().path().starts_with("/v1/") {
        return next.run(request).await;
    }
    let now = count.now.fetch_add(1, Ordering::SeqCst) + 1;
    count.max.fetch_max(now, Ordering::SeqCst);
    let response = next.run(request).await;
    count.now.fetch_sub(1, Ordering::SeqCst);
    response
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scheduler_keeps_the_requests_in_flight_to_one_host_under_the_cap() {
    // The sandbox's own router behind a layer that counts the requests under way; each answer
    // takes 20 ms so that the three links' requests overlap.
    let sandbox_config = SandboxConfig {
        today: Some(today()),
        faults: Faults { latency_ms: 20, ..Faults::default() },
        ..SandboxConfig::default()
    };
    let state = AppState::new(sandbox_config);
    let count = Arc::new(InFlight::default());
    let app = kura_sandbox::server::router(state)
        .layer(axum::middleware::from_fn_with_state(count.clone(), count_in_flight))
        .into_make_service_with_connect_info::<SocketAddr>();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base_url = format!("http://{}", listener.local_addr().unwrap());
    let server = tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });

    let banks = ["2011", "2254", "2680"];
    let (_dir, store) = store_with_links(&banks);
    let mut tokens = HashMap::new();
    for (i, bank) in banks.iter().enumerate() {
        tokens.insert(LinkId(i as i64 + 1), Arc::new(tokens_at(&base_url, "demo", bank).await));
    }
    let mut client_config = fast_config(&base_url);
    client_config.max_in_flight = 2;
    let client = ApiClient::new(client_config).unwrap();
    let engine = SyncEngine::new(Arc::new(Mutex::new(store)), SyncOptions::default());
    let (handle, task) = Scheduler::spawn_with_clock(
        engine.clone(),
        Arc::new(Connector { client, tokens }),
        config(Duration::ZERO, MINUTE, HOUR),
        Arc::new(ManualClock::new()),
    );
    let mut reports = handle.subscribe();
    let mut synced = Vec::new();
    for _ in banks {
        let report = reports.recv().await.unwrap();
        assert_eq!(report.status, SyncRunStatus::Ok, "{:?}", report.first_error());
        synced.push(report.link);
    }
    synced.sort();
    assert_eq!(synced, [LinkId(1), LinkId(2), LinkId(3)]);
    // The three links synced side by side, yet never more than two requests were under way.
    assert_eq!(count.max.load(Ordering::SeqCst), 2);
    handle.stop();
    task.await.unwrap();
    server.abort();
}

#[tokio::test]
async fn scheduler_leaves_a_link_that_needs_a_relink_alone() {
    let sandbox = start().await;
    let mut s = start_scheduler(&sandbox.base_url, client(&sandbox), config(Duration::ZERO, MINUTE, HOUR)).await;
    assert_eq!(s.report().await.status, SyncRunStatus::Ok);
    // The union revokes the grant: the next round marks the link reauth_required.
    faults(&sandbox, json!({"revokeAllTokens": true})).await;
    s.clock.advance_to_next_wake().await;
    assert_eq!(s.report().await.status, SyncRunStatus::Failed);
    let link = s.engine.store().lock().unwrap().link(LinkId(1)).unwrap();
    assert_eq!(link.status, kura_core::model::LinkStatus::ReauthRequired);

    // From then on the scheduler only looks for new links at the interval; it neither retries
    // the link nor wakes on the failed round's backoff.
    for _ in 0..3 {
        assert_eq!(s.clock.next_wait().await, HOUR);
        s.clock.advance_to_next_wake().await;
    }
    assert_eq!(s.clock.next_wait().await, HOUR);
    assert!(matches!(s.reports.try_recv(), Err(broadcast::error::TryRecvError::Empty)));
    assert_eq!(s.runs_of(LinkId(1)), 2);
    s.stop().await;
}
