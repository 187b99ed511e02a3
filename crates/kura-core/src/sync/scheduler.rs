//! Runs the sync engine for every active link: at start, on an interval with jitter, and on
//! demand. Waits out maintenance and rate limits (`Retry-After`) and backs off exponentially
//! after failures, per link. A link is never synced twice at once (the scheduler starts no
//! second sync while one runs, and the engine serialises any other caller); the shared
//! [`ApiClient`] of a host caps the requests in flight to it.

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use rand::RngExt;
use tokio::sync::{broadcast, mpsc};
use tokio::task::{JoinHandle, JoinSet};
use tokio::time::Instant;

use super::engine::{LinkReport, SyncEngine, SyncError};
use crate::api::{ApiClient, TokenSource};
use crate::model::{LinkId, LinkStatus};
use crate::store::LinkRow;

/// The longest `Retry-After` obeyed: a bank asking for more than a day is more likely sending a
/// broken header than a real window, and the link would otherwise go quiet for good.
const MAX_ASKED_WAIT: Duration = Duration::from_secs(24 * 3600);

/// Gives the scheduler what it needs to reach a link's bank. Implementations hand out one
/// [`ApiClient`] per host (clones share its in-flight limit).
pub trait LinkConnector: Send + Sync {
    fn connect(&self, link: &LinkRow) -> Result<(ApiClient, Arc<dyn TokenSource>), SyncError>;
}

/// Where the scheduler's time comes from: tokio's clock in the app ([`TokioClock`]). Tests
/// drive their own, so hours of backoff pass at once while the syncs still talk real HTTP
/// (tokio's paused time cannot serve there: it jumps to the next timer whenever the runtime
/// waits on a socket, which fires request timeouts).
pub trait Clock: Send + Sync {
    fn now(&self) -> Instant;
    /// Completes once `now()` reaches `deadline`.
    fn sleep_until(&self, deadline: Instant) -> Pin<Box<dyn Future<Output = ()> + Send + 'static>>;
}

/// Tokio's clock.
pub struct TokioClock;

impl Clock for TokioClock {
    fn now(&self) -> Instant {
        Instant::now()
    }

    fn sleep_until(&self, deadline: Instant) -> Pin<Box<dyn Future<Output = ()> + Send + 'static>> {
        Box::pin(tokio::time::sleep_until(deadline))
    }
}

#[derive(Debug, Clone)]
pub struct SchedulerConfig {
    pub interval: Duration,
    /// A random extra wait in [0, jitter] so many installs do not poll at the same second.
    pub jitter: Duration,
    /// First wait after a failure; doubles with each failure in a row.
    pub base_backoff: Duration,
    pub max_backoff: Duration,
}

impl Default for SchedulerConfig {
    fn default() -> Self {
        Self {
            interval: Duration::from_secs(3600),
            jitter: Duration::from_secs(300),
            base_backoff: Duration::from_secs(60),
            max_backoff: Duration::from_secs(6 * 3600),
        }
    }
}

enum Command {
    SyncNow(Option<LinkId>),
    Stop,
}

/// Controls a running scheduler.
#[derive(Clone)]
pub struct SchedulerHandle {
    commands: mpsc::UnboundedSender<Command>,
    reports: broadcast::Sender<Arc<LinkReport>>,
}

impl SchedulerHandle {
    /// Syncs every active link (or just `link`) now, whatever its schedule or backoff. A link
    /// that is syncing already is not synced again: the running sync answers the request.
    pub fn sync_now(&self, link: Option<LinkId>) {
        let _ = self.commands.send(Command::SyncNow(link));
    }

    /// Every finished sync's report, e.g. for notifications.
    pub fn subscribe(&self) -> broadcast::Receiver<Arc<LinkReport>> {
        self.reports.subscribe()
    }

    pub fn stop(&self) {
        let _ = self.commands.send(Command::Stop);
    }
}

pub struct Scheduler {
    engine: SyncEngine,
    connector: Arc<dyn LinkConnector>,
    config: SchedulerConfig,
    clock: Arc<dyn Clock>,
    /// When each active link that is not syncing is next due; absent: due now.
    due: HashMap<LinkId, Instant>,
    failures: HashMap<LinkId, u32>,
    reports: broadcast::Sender<Arc<LinkReport>>,
}

impl Scheduler {
    /// Starts polling on tokio's clock; the first round runs at once.
    pub fn spawn(
        engine: SyncEngine,
        connector: Arc<dyn LinkConnector>,
        config: SchedulerConfig,
    ) -> (SchedulerHandle, JoinHandle<()>) {
        Self::spawn_with_clock(engine, connector, config, Arc::new(TokioClock))
    }

    /// Starts polling on `clock`; the first round runs at once.
    pub fn spawn_with_clock(
        engine: SyncEngine,
        connector: Arc<dyn LinkConnector>,
        config: SchedulerConfig,
        clock: Arc<dyn Clock>,
    ) -> (SchedulerHandle, JoinHandle<()>) {
        let (commands, rx) = mpsc::unbounded_channel();
        let (reports, _) = broadcast::channel(64);
        let handle = SchedulerHandle { commands, reports: reports.clone() };
        let scheduler =
            Scheduler { engine, connector, config, clock, due: HashMap::new(), failures: HashMap::new(), reports };
        (handle, tokio::spawn(scheduler.run(rx)))
    }

    async fn run(mut self, mut commands: mpsc::UnboundedReceiver<Command>) {
        let mut syncing: JoinSet<Arc<LinkReport>> = JoinSet::new();
        // The link each running sync task belongs to.
        let mut running: HashMap<tokio::task::Id, LinkId> = HashMap::new();
        let mut forced: Option<Option<LinkId>> = Some(None);
        loop {
            let links = match self.engine.store().lock().expect("store lock").links() {
                Ok(links) => links,
                Err(e) => {
                    tracing::error!(error = %e, "cannot read links; retrying later");
                    Vec::new()
                }
            };
            let active: Vec<&LinkRow> =
                links.iter().filter(|l| l.status == LinkStatus::Active && l.polled_here()).collect();
            // Unlinked links and links waiting for a re-link keep no schedule: a stale due time
            // would wake this loop over and over.
            self.due.retain(|id, _| active.iter().any(|l| l.id == *id));
            self.failures.retain(|id, _| active.iter().any(|l| l.id == *id));
            let now = self.clock.now();
            for link in active {
                if running.values().any(|id| *id == link.id) {
                    continue;
                }
                let is_due = self.due.get(&link.id).is_none_or(|d| *d <= now);
                let wanted = match forced {
                    Some(None) => true,
                    Some(Some(id)) => id == link.id || is_due,
                    None => is_due,
                };
                if wanted {
                    self.due.remove(&link.id);
                    let task = syncing.spawn(sync_one(self.engine.clone(), self.connector.clone(), link.clone()));
                    running.insert(task.id(), link.id);
                }
            }
            forced = None;
            // A running sync wakes the loop when it ends; with none running, look for new links
            // at the interval.
            let next_due =
                self.due.values().min().copied().or_else(|| running.is_empty().then(|| now + self.config.interval));
            let sleep = next_due.map(|at| self.clock.sleep_until(at));
            tokio::select! {
                command = commands.recv() => match command {
                    Some(Command::SyncNow(link)) => forced = Some(link),
                    Some(Command::Stop) | None => break,
                },
                Some(joined) = syncing.join_next_with_id(), if !syncing.is_empty() => {
                    let (task, report) = match joined {
                        Ok((task, report)) => (task, Some(report)),
                        Err(e) => {
                            tracing::error!(error = %e, "a sync task ended without a report");
                            (e.id(), None)
                        }
                    };
                    if let Some(link) = running.remove(&task) {
                        self.schedule_after(link, report.as_deref().and_then(LinkReport::first_error), report.is_none());
                        if let Some(report) = report {
                            let _ = self.reports.send(report);
                        }
                    }
                }
                () = async { match sleep { Some(sleep) => sleep.await, None => std::future::pending().await } } => {}
            }
        }
        syncing.abort_all();
    }

    /// Sets when `link` is next due after a sync that ended with `error` (or `crashed`).
    fn schedule_after(&mut self, link: LinkId, error: Option<&SyncError>, crashed: bool) {
        let wait = if error.is_none() && !crashed {
            self.failures.remove(&link);
            self.config.interval
        } else {
            let n = self.failures.entry(link).or_default();
            *n += 1;
            let backoff = self.config.base_backoff.saturating_mul(1 << (*n - 1).min(16)).min(self.config.max_backoff);
            let asked = match error {
                Some(SyncError::Api(e)) => e.retry_after().unwrap_or_default().min(MAX_ASKED_WAIT),
                _ => Duration::ZERO,
            };
            backoff.max(asked)
        };
        self.due.insert(link, self.clock.now() + wait + self.jitter());
    }

    fn jitter(&self) -> Duration {
        let max = self.config.jitter.as_millis() as u64;
        Duration::from_millis(if max == 0 { 0 } else { rand::rng().random_range(0..=max) })
    }
}

async fn sync_one(engine: SyncEngine, connector: Arc<dyn LinkConnector>, link: LinkRow) -> Arc<LinkReport> {
    Arc::new(engine.sync_connected(&link, connector.as_ref()).await)
}
