//! Runs the sync engine for every active link: at start, on an interval with jitter, and on
//! demand. Waits out maintenance and rate limits (`Retry-After`) and backs off exponentially
//! after failures, per link. The engine keeps two syncs of one link from overlapping; the
//! shared [`ApiClient`] of a host caps the requests in flight to it.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use rand::RngExt;
use tokio::sync::{broadcast, mpsc};
use tokio::task::{JoinHandle, JoinSet};
use tokio::time::Instant;

use super::engine::{LinkReport, SyncEngine, SyncError};
use crate::api::{ApiClient, ApiError, TokenSource};
use crate::model::{LinkId, LinkStatus};
use crate::store::LinkRow;

/// Gives the scheduler what it needs to reach a link's bank. Implementations hand out one
/// [`ApiClient`] per host (clones share its in-flight limit).
pub trait LinkConnector: Send + Sync {
    fn connect(&self, link: &LinkRow) -> Result<(ApiClient, Arc<dyn TokenSource>), ApiError>;
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
    /// Syncs every active link (or just `link`) now, whatever its schedule or backoff.
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
    due: HashMap<LinkId, Instant>,
    failures: HashMap<LinkId, u32>,
    reports: broadcast::Sender<Arc<LinkReport>>,
}

impl Scheduler {
    /// Starts polling; the first round runs at once.
    pub fn spawn(
        engine: SyncEngine,
        connector: Arc<dyn LinkConnector>,
        config: SchedulerConfig,
    ) -> (SchedulerHandle, JoinHandle<()>) {
        let (commands, rx) = mpsc::unbounded_channel();
        let (reports, _) = broadcast::channel(64);
        let handle = SchedulerHandle {
            commands,
            reports: reports.clone(),
        };
        let scheduler = Scheduler {
            engine,
            connector,
            config,
            due: HashMap::new(),
            failures: HashMap::new(),
            reports,
        };
        (handle, tokio::spawn(scheduler.run(rx)))
    }

    async fn run(mut self, mut commands: mpsc::UnboundedReceiver<Command>) {
        let mut syncing: JoinSet<(LinkId, Arc<LinkReport>)> = JoinSet::new();
        let mut in_progress: HashMap<LinkId, ()> = HashMap::new();
        let mut forced: Option<Option<LinkId>> = Some(None);
        loop {
            let links = match self.engine.store().lock().expect("store lock").links() {
                Ok(links) => links,
                Err(e) => {
                    tracing::error!(error = %e, "cannot read links; retrying later");
                    Vec::new()
                }
            };
            let now = Instant::now();
            for link in links.iter().filter(|l| l.status == LinkStatus::Active) {
                let wanted = match forced {
                    Some(None) => true,
                    Some(Some(id)) => {
                        id == link.id || self.due.get(&link.id).is_none_or(|d| *d <= now)
                    }
                    None => self.due.get(&link.id).is_none_or(|d| *d <= now),
                };
                if wanted && !in_progress.contains_key(&link.id) {
                    in_progress.insert(link.id, ());
                    self.due.insert(link.id, now + self.config.max_backoff);
                    let engine = self.engine.clone();
                    let connector = self.connector.clone();
                    let link = link.clone();
                    syncing.spawn(async move {
                        let report = match connector.connect(&link) {
                            Ok((client, tokens)) => {
                                engine.sync_link(link.id, &client, tokens.as_ref()).await
                            }
                            Err(e) => LinkReport {
                                link: link.id,
                                run: None,
                                status: crate::model::SyncRunStatus::Failed,
                                accounts: Vec::new(),
                                error: Some(e.into()),
                            },
                        };
                        (link.id, Arc::new(report))
                    });
                }
            }
            forced = None;
            let next_due = self
                .due
                .values()
                .min()
                .copied()
                .unwrap_or(now + self.config.interval);
            tokio::select! {
                command = commands.recv() => match command {
                    Some(Command::SyncNow(link)) => forced = Some(link),
                    Some(Command::Stop) | None => break,
                },
                Some(Ok((link, report))) = syncing.join_next(), if !syncing.is_empty() => {
                    in_progress.remove(&link);
                    self.schedule_after(link, &report);
                    let _ = self.reports.send(report);
                }
                _ = tokio::time::sleep_until(next_due) => {}
            }
        }
        syncing.abort_all();
    }

    fn schedule_after(&mut self, link: LinkId, report: &LinkReport) {
        let wait = match report.first_error() {
            None => {
                self.failures.remove(&link);
                self.config.interval + self.jitter()
            }
            Some(error) => {
                let n = self.failures.entry(link).or_default();
                *n += 1;
                let backoff = self
                    .config
                    .base_backoff
                    .saturating_mul(1 << (*n - 1).min(16))
                    .min(self.config.max_backoff);
                let asked = match error {
                    SyncError::Api(e) => e.retry_after().unwrap_or_default(),
                    _ => Duration::ZERO,
                };
                backoff.max(asked) + self.jitter()
            }
        };
        self.due.insert(link, Instant::now() + wait);
    }

    fn jitter(&self) -> Duration {
        let max = self.config.jitter.as_millis() as u64;
        Duration::from_millis(if max == 0 {
            0
        } else {
            rand::rng().random_range(0..=max)
        })
    }
}
