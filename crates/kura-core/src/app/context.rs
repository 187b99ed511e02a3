//! What every command runs against.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, RwLock};

use super::CommandError;
use super::alerts::{AlertCheck, Alerts};
use super::data_folder::DataFolderMoved;
use super::links::LinkAttemptStatus;
use super::monthly_export::MonthlyExportStatus;
use super::settings::Preferences;
use crate::i18n::Language;
use crate::oauth::Browser;
use crate::profile::Profiles;
use crate::secrets::SecretStore;
use crate::store::{self, Store, location};
use crate::sync::{LinkReport, SchedulerHandle};

/// The open store, the credential store and the preferences of one data folder. Cheap to clone
/// (it is shared), so background work such as a link attempt can keep it.
#[derive(Clone)]
pub struct AppContext {
    inner: Arc<Inner>,
}

struct Inner {
    data_dir: PathBuf,
    database_file: PathBuf,
    store: Arc<Mutex<Store>>,
    secrets: SecretStore,
    preferences: RwLock<Preferences>,
    attempts: LinkAttempts,
    scheduler: Mutex<Option<SchedulerHandle>>,
    /// Every scheduler's reports, across restarts; `None` when syncing stops.
    sync_reports: tokio::sync::broadcast::Sender<Option<Arc<LinkReport>>>,
    system_browser: RwLock<Browser>,
    /// The latest monthly export check; its lock also keeps two checks from running at once.
    monthly_export: tokio::sync::Mutex<Option<MonthlyExportStatus>>,
    /// The config folder that remembers where the data is, when the data folder may move
    /// (it was not given with `--data-dir` / `KURA_DATA_DIR`).
    movable_with: Option<PathBuf>,
    last_move: Option<DataFolderMoved>,
    /// What the person has been told about outside the window.
    alerts: Alerts,
}

impl AppContext {
    /// Opens Kura's data for the app: in `explicit` when given, else where it was moved to or the
    /// platform's data folder, after finishing a move asked for in Settings. A failed move is
    /// shown in Settings and the data is opened where it was.
    pub fn start(explicit: Option<PathBuf>) -> Result<AppContext, CommandError> {
        let current = store::data_dir(explicit.as_deref())?;
        let config = crate::profile::config_dir().filter(|_| explicit.is_none());
        let (data_dir, last_move) = match config.as_deref().map(|c| location::finish_move(c, &current)) {
            Some(Ok(Some(to))) => (to, Some(DataFolderMoved::Moved { from: current.display().to_string() })),
            Some(Err(e)) => {
                tracing::error!(error = %e, "the data folder was not moved");
                (current, Some(DataFolderMoved::Failed { error: CommandError::from(e).to_failure() }))
            }
            None | Some(Ok(None)) => (current, None),
        };
        Self::open_in(data_dir, config, last_move)
    }

    /// Opens Kura's data for a terminal command: in `explicit` when given (`--data-dir`,
    /// `KURA_DATA_DIR`), else where the app keeps it, following a finished move (a move still
    /// waiting is the app's to do at its next start).
    pub fn for_terminal(explicit: Option<PathBuf>) -> Result<AppContext, CommandError> {
        let ctx = Self::open(store::data_dir(explicit.as_deref())?)?;
        // What the app says in words (category names in a report, a rules file's paths) follows
        // the terminal, like the command's own texts: the OS locale's where Settings chose none.
        // Only in memory; the saved Settings stay as they are.
        let lang = ctx.terminal_language();
        ctx.inner.preferences.write().unwrap_or_else(|p| p.into_inner()).language = lang;
        Ok(ctx)
    }

    /// The language a terminal command speaks: the one chosen in Settings where the person
    /// chose one, else the OS locale's.
    pub fn terminal_language(&self) -> Language {
        super::settings::terminal_language(self.data_dir())
    }

    /// Opens (creating if needed) the store in `data_dir` and reads the preferences there. The
    /// folder counts as given: Settings cannot move it.
    pub fn open(data_dir: PathBuf) -> Result<AppContext, CommandError> {
        Self::open_in(data_dir, None, None)
    }

    fn open_in(
        data_dir: PathBuf,
        movable_with: Option<PathBuf>,
        last_move: Option<DataFolderMoved>,
    ) -> Result<AppContext, CommandError> {
        let store = Store::open(Some(&data_dir))?;
        let secrets = SecretStore::for_data_dir(&data_dir)?;
        let preferences = Preferences::load(&data_dir);
        Ok(AppContext {
            inner: Arc::new(Inner {
                database_file: store.path().to_owned(),
                alerts: Alerts::new(&data_dir),
                data_dir,
                store: Arc::new(Mutex::new(store)),
                secrets,
                preferences: RwLock::new(preferences),
                attempts: LinkAttempts::default(),
                scheduler: Mutex::new(None),
                sync_reports: tokio::sync::broadcast::channel(64).0,
                system_browser: RwLock::new(Browser::System),
                monthly_export: tokio::sync::Mutex::new(None),
                movable_with,
                last_move,
            }),
        })
    }

    pub fn data_dir(&self) -> &Path {
        &self.inner.data_dir
    }

    pub fn database_file(&self) -> &Path {
        &self.inner.database_file
    }

    /// The config folder that remembers the data folder, when Settings may move it.
    pub(super) fn movable_with(&self) -> Option<&Path> {
        self.inner.movable_with.as_deref()
    }

    pub(super) fn last_move(&self) -> Option<&DataFolderMoved> {
        self.inner.last_move.as_ref()
    }

    /// The store, locked. Hold it only for a query, never across an `.await`.
    pub fn store(&self) -> MutexGuard<'_, Store> {
        // A panic while holding the lock leaves SQLite consistent (transactions roll back), so
        // a poisoned lock is still safe to use.
        self.inner.store.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The shared store, for the sync engine.
    pub(super) fn shared_store(&self) -> Arc<Mutex<Store>> {
        self.inner.store.clone()
    }

    /// Starts syncing every active link: now, then on the preferences' interval, and on
    /// `syncNow`. Call once, inside a Tokio runtime; it runs until [`AppContext::stop_syncing`].
    pub fn start_syncing(&self) -> Result<(), CommandError> {
        let profiles = Profiles::load()?;
        let handle = super::sync::spawn_scheduler(self, profiles);
        super::sync::relay_reports(&handle, self.inner.sync_reports.clone());
        if let Some(old) = self.inner.scheduler.lock().unwrap_or_else(|p| p.into_inner()).replace(handle) {
            old.stop();
        }
        super::share::spawn(self);
        Ok(())
    }

    pub fn stop_syncing(&self) {
        if let Some(handle) = self.inner.scheduler.lock().unwrap_or_else(|p| p.into_inner()).take() {
            handle.stop();
            let _ = self.inner.sync_reports.send(None);
        }
    }

    /// The running scheduler, if syncing was started (e.g. to subscribe to its reports).
    pub fn scheduler(&self) -> Option<SchedulerHandle> {
        self.inner.scheduler.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// Every scheduler's reports, for [`super::sync::SyncReports`].
    pub(super) fn sync_reports(&self) -> &tokio::sync::broadcast::Sender<Option<Arc<LinkReport>>> {
        &self.inner.sync_reports
    }

    pub fn secrets(&self) -> &SecretStore {
        &self.inner.secrets
    }

    pub fn preferences(&self) -> Preferences {
        self.inner.preferences.read().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// The language the app speaks: the one chosen in Settings (Japanese until one is).
    pub fn language(&self) -> Language {
        self.preferences().language
    }

    /// Looks at the links for what the person has not been told yet (see [`super::alerts`]).
    pub fn check_alerts(&self, now: chrono::DateTime<chrono::Utc>) -> Result<AlertCheck, CommandError> {
        let links = self.store().links()?;
        Ok(self.inner.alerts.check(&links, now, self.language()))
    }

    pub(super) fn set_preferences(&self, preferences: Preferences) {
        *self.inner.preferences.write().unwrap_or_else(|p| p.into_inner()) = preferences;
    }

    /// How linking opens the default browser when neither `KURA_BROWSER` nor profiles.toml
    /// names one: [`Browser::System`] unless the host supplied its own (the desktop's opener).
    pub fn system_browser(&self) -> Browser {
        self.inner.system_browser.read().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// Opens `url` in the browser linking would use (`KURA_BROWSER`, profiles.toml's `browser`,
    /// else the default one).
    pub fn open_in_browser(&self, url: &str) -> Result<(), CommandError> {
        let profiles = Profiles::load()?;
        Ok(Browser::from_env_or_else(profiles.browser(), self.system_browser())?.open(url)?)
    }

    pub fn set_system_browser(&self, browser: Browser) {
        *self.inner.system_browser.write().unwrap_or_else(|p| p.into_inner()) = browser;
    }

    pub(super) fn attempts(&self) -> &LinkAttempts {
        &self.inner.attempts
    }

    pub(super) fn monthly_export_status(&self) -> &tokio::sync::Mutex<Option<MonthlyExportStatus>> {
        &self.inner.monthly_export
    }
}

/// Link attempts in flight or finished, by id, for `linkStatus`.
#[derive(Default)]
pub(super) struct LinkAttempts {
    next: AtomicU64,
    states: Mutex<HashMap<u64, LinkAttemptStatus>>,
}

impl LinkAttempts {
    fn states(&self) -> MutexGuard<'_, HashMap<u64, LinkAttemptStatus>> {
        self.states.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub(super) fn begin(&self) -> u64 {
        let id = self.next.fetch_add(1, Ordering::Relaxed) + 1;
        self.states().insert(id, LinkAttemptStatus::Waiting);
        id
    }

    pub(super) fn finish(&self, id: u64, outcome: Result<LinkAttemptStatus, CommandError>) {
        let status = outcome.unwrap_or_else(|e| LinkAttemptStatus::Failed { error: e.to_failure() });
        self.states().insert(id, status);
    }

    pub(super) fn forget(&self, id: u64) {
        self.states().remove(&id);
    }

    pub(super) fn status(&self, id: u64) -> Option<LinkAttemptStatus> {
        self.states().get(&id).cloned()
    }
}
