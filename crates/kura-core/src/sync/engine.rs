//! One sync of one link. Per account: the balance and the history since the last sync minus an
//! overlap (late postings exist), applied to the store in one SQLite transaction, so a failure
//! leaves what was stored intact and the next run resumes. History is never deleted.
//!
//! Gaps: the bank serves only the last 90 days. When an account's `synced_through` is older than
//! the window's first day, the days in between can no longer be fetched: they are recorded as a
//! gap at that sync, and shown forever. The history before an account's first sync is not a gap:
//! Kura never had it and never promised it (it is unknown, not lost).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use chrono::{Duration, NaiveDate, Utc};
use serde::Serialize;

use super::LinkConnector;
use crate::api::{ApiClient, ApiError, TokenSource};
use crate::explain;
use crate::i18n::{Explain, Explanation, Language};
use crate::model::{AccountId, BalanceReading, LinkId, LinkStatus, ReconcileStatus, SyncRunId, SyncRunStatus};
use crate::query::AT_RISK_AFTER_DAYS;
use crate::store::{
    AccountSyncEnd, AccountWriter, FiledPage, LinkRow, RunFailure, RunOutcome, Store, StoreError, SyncCounts,
};

#[derive(Debug, Clone)]
pub struct SyncOptions {
    /// Days before `synced_through` fetched again, for lines the bank posts late.
    pub overlap_days: i64,
    /// How many days (including today) the bank serves.
    pub window_days: i64,
}

impl Default for SyncOptions {
    fn default() -> Self {
        Self { overlap_days: 7, window_days: 90 }
    }
}

#[derive(Debug, thiserror::Error)]
#[error("{}", self.explain(Language::En).summary())]
pub enum SyncError {
    #[error(transparent)]
    Api(#[from] ApiError),
    Store(#[from] StoreError),
    Inactive(LinkId, LinkStatus),
    /// The link's profile (profiles.toml) is missing or unusable.
    #[error(transparent)]
    Config(#[from] crate::profile::ProfileError),
}

impl Explain for SyncError {
    fn explain(&self, lang: Language) -> Explanation {
        match self {
            SyncError::Api(e) => e.explain(lang),
            SyncError::Store(e) => {
                let cause = e.explain(lang);
                let explanation = explain!(lang, "sync-store", reason = cause.what);
                match cause.detail {
                    Some(detail) => explanation.detail(detail),
                    None => explanation,
                }
            }
            SyncError::Inactive(id, status) => explain!(lang, "sync-inactive", id = id.0, status = status.as_str()),
            SyncError::Config(e) => e.explain(lang),
        }
    }
}

impl SyncError {
    /// Whether only linking the union again helps.
    pub fn needs_relink(&self) -> bool {
        match self {
            SyncError::Api(e) => e.needs_relink(),
            SyncError::Inactive(..) => true,
            SyncError::Store(_) | SyncError::Config(_) => false,
        }
    }

    /// How long the union asked Kura to wait before trying again.
    pub fn retry_after(&self) -> Option<std::time::Duration> {
        match self {
            SyncError::Api(e) => e.retry_after(),
            _ => None,
        }
    }

    fn failure_kind(&self) -> &'static str {
        match self {
            SyncError::Api(e) => e.kind(),
            SyncError::Store(_) => "store",
            SyncError::Inactive(..) => "inactive_link",
            SyncError::Config(_) => "config",
        }
    }
}

/// Something the user should know about an account that is not an error.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase", tag = "kind")]
pub enum Warning {
    /// The previous balance plus the new lines does not give the bank's new balance.
    ReconcileMismatch { previous_balance: i64, new_lines_sum: i64, balance: i64 },
    /// These days fell out of the bank's window before Kura fetched them: lost for good.
    GapRecorded { date_from: NaiveDate, date_to: NaiveDate },
    /// The account has not been synced for this many days; its history is at risk.
    AtRisk { days: i64 },
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AccountReport {
    pub account: AccountId,
    pub remote_account_id: String,
    pub new_transactions: u64,
    pub balance: Option<i64>,
    pub warnings: Vec<Warning>,
    /// Why this account did not sync, if it did not.
    #[serde(serialize_with = "as_message")]
    pub error: Option<SyncError>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LinkReport {
    pub link: LinkId,
    pub run: Option<SyncRunId>,
    pub status: SyncRunStatus,
    pub accounts: Vec<AccountReport>,
    /// The error that stopped the whole link (accounts not listed, consent gone, maintenance).
    #[serde(serialize_with = "as_message")]
    pub error: Option<SyncError>,
}

fn as_message<S: serde::Serializer>(e: &Option<SyncError>, s: S) -> Result<S::Ok, S::Error> {
    match e {
        Some(e) => s.serialize_some(&e.to_string()),
        None => s.serialize_none(),
    }
}

impl LinkReport {
    pub fn new_transactions(&self) -> u64 {
        self.accounts.iter().map(|a| a.new_transactions).sum()
    }

    /// The first error met, of the link or of an account.
    pub fn first_error(&self) -> Option<&SyncError> {
        self.error.as_ref().or_else(|| self.accounts.iter().find_map(|a| a.error.as_ref()))
    }
}

/// What one account's sync reads: its history from `from` to `to` (whole days), for `run`.
#[derive(Clone, Copy)]
struct Window<'a> {
    id: AccountId,
    remote: &'a str,
    from: NaiveDate,
    to: NaiveDate,
    run: Option<SyncRunId>,
    fetched_at: chrono::DateTime<Utc>,
}

/// Errors after which the other accounts of the link would fail the same way.
fn stops_the_link(e: &ApiError) -> bool {
    e.needs_relink()
        || matches!(
            e,
            ApiError::Maintenance { .. }
                | ApiError::RateLimited { .. }
                | ApiError::Network { .. }
                | ApiError::IncompatibleVersion { .. }
                | ApiError::InsecureUrl { .. }
                | ApiError::Token(_)
        )
}

/// Runs syncs against the store; never two of one link at once.
#[derive(Clone)]
pub struct SyncEngine {
    store: Arc<Mutex<Store>>,
    options: SyncOptions,
    running: Arc<Mutex<HashMap<LinkId, Arc<tokio::sync::Mutex<()>>>>>,
}

impl SyncEngine {
    pub fn new(store: Arc<Mutex<Store>>, options: SyncOptions) -> Self {
        Self { store, options, running: Arc::default() }
    }

    pub fn store(&self) -> &Arc<Mutex<Store>> {
        &self.store
    }

    fn with_store<R>(&self, f: impl FnOnce(&mut Store) -> Result<R, StoreError>) -> Result<R, StoreError> {
        let mut store = self.store.lock().expect("store lock poisoned");
        f(&mut store)
    }

    /// Syncs `link` through `connector`; reported even when its bank cannot be reached.
    pub async fn sync_connected(&self, link: &LinkRow, connector: &dyn LinkConnector) -> LinkReport {
        match connector.connect(link) {
            Ok((client, tokens)) => self.sync_link(link.id, &client, tokens.as_ref()).await,
            Err(e) => LinkReport {
                link: link.id,
                run: None,
                status: SyncRunStatus::Failed,
                accounts: Vec::new(),
                error: Some(e),
            },
        }
    }

    /// Syncs every account of `link`. A sync of the same link already under way is waited
    /// for first, so the two never interleave.
    pub async fn sync_link(&self, link: LinkId, client: &ApiClient, tokens: &dyn TokenSource) -> LinkReport {
        let gate = self.running.lock().expect("lock").entry(link).or_default().clone();
        let _one_at_a_time = gate.lock().await;
        let mut report =
            LinkReport { link, run: None, status: SyncRunStatus::Failed, accounts: Vec::new(), error: None };
        match self.run_link(link, client, tokens, &mut report).await {
            Ok(()) => {}
            Err(e) => report.error = Some(e),
        }
        let failed = report.accounts.iter().filter(|a| a.error.is_some()).count();
        report.status = match (&report.error, failed) {
            (None, 0) => SyncRunStatus::Ok,
            (None, n) if n < report.accounts.len() => SyncRunStatus::Partial,
            _ if report.accounts.iter().any(|a| a.error.is_none()) => SyncRunStatus::Partial,
            _ => SyncRunStatus::Failed,
        };
        if let Some(run) = report.run {
            let error = report.first_error();
            let message = error.map(ToString::to_string);
            let api = error.and_then(|e| match e {
                SyncError::Api(a) => Some(a),
                _ => None,
            });
            let outcome = RunOutcome {
                status: report.status,
                new_transactions: report.new_transactions(),
                failure: error.map(|e| RunFailure {
                    kind: e.failure_kind(),
                    message: message.as_deref().unwrap_or_default(),
                    http_status: api.and_then(ApiError::http_status),
                    response_body: api.and_then(ApiError::raw_body).map(str::as_bytes),
                }),
            };
            if let Err(e) = self.with_store(|s| s.finish_sync_run(run, &outcome, Utc::now())) {
                tracing::error!(%link, error = %e, "cannot record the end of a sync run");
            }
        }
        report
    }

    async fn run_link(
        &self,
        link: LinkId,
        client: &ApiClient,
        tokens: &dyn TokenSource,
        report: &mut LinkReport,
    ) -> Result<(), SyncError> {
        let row = self.with_store(|s| s.link(link))?;
        if row.status != LinkStatus::Active {
            return Err(SyncError::Inactive(link, row.status));
        }
        report.run = Some(self.with_store(|s| s.begin_sync_run(link, None, Utc::now()))?);
        let list = match client.accounts(tokens).await {
            Ok(list) => list,
            Err(e) => return Err(self.link_failed(link, e)),
        };
        let today = list.as_of.date;
        for remote in &list.accounts {
            let id = self.with_store(|s| s.upsert_account(link, remote, Utc::now()))?;
            let mut account = AccountReport {
                account: id,
                remote_account_id: remote.account_id.clone(),
                new_transactions: 0,
                balance: None,
                warnings: Vec::new(),
                error: None,
            };
            let result = self.sync_account(id, today, client, tokens, report.run, &mut account).await;
            match result {
                Ok(()) => report.accounts.push(account),
                Err(SyncError::Api(e)) if stops_the_link(&e) => {
                    report.accounts.push(account);
                    return Err(self.link_failed(link, e));
                }
                Err(e) => {
                    account.error = Some(e);
                    report.accounts.push(account);
                }
            }
        }
        Ok(())
    }

    /// Marks the link `reauth_required` when only a new link helps; its data stays.
    fn link_failed(&self, link: LinkId, e: ApiError) -> SyncError {
        if e.needs_relink() {
            let message = e.to_string();
            if let Err(store) =
                self.with_store(|s| s.set_link_status(link, LinkStatus::ReauthRequired, Some(&message), Utc::now()))
            {
                return store.into();
            }
        }
        e.into()
    }

    async fn sync_account(
        &self,
        id: AccountId,
        today: NaiveDate,
        client: &ApiClient,
        tokens: &dyn TokenSource,
        run: Option<SyncRunId>,
        report: &mut AccountReport,
    ) -> Result<(), SyncError> {
        let state = self.with_store(|s| s.account_state(id))?;
        let window_start = today - Duration::days(self.options.window_days - 1);
        let from = match state.synced_through {
            None => window_start,
            Some(through) => {
                if through + Duration::days(1) < window_start {
                    let (gap_from, gap_to) = (through + Duration::days(1), window_start - Duration::days(1));
                    self.with_store(|s| s.record_gap(id, gap_from, gap_to, Utc::now()))?;
                    report.warnings.push(Warning::GapRecorded { date_from: gap_from, date_to: gap_to });
                }
                (through - Duration::days(self.options.overlap_days)).clamp(window_start, today)
            }
        };
        let window = Window { id, remote: &state.remote_account_id, from, to: today, run, fetched_at: Utc::now() };
        let mut stored = self.stream(&window, client, tokens, false).await;
        if let Err(SyncError::Store(StoreError::DayReopened { date, .. })) = &stored {
            // Nothing of the first attempt was kept; read again holding every day's state.
            tracing::warn!(%id, %date, "the bank does not group its lines by day; reading the account again");
            stored = self.stream(&window, client, tokens, true).await;
        }
        let (balance, counts) = match stored {
            Ok(x) => x,
            Err(e) => {
                if matches!(e, SyncError::Api(_))
                    && let Some(days) = at_risk_days(state.synced_through, today)
                {
                    report.warnings.push(Warning::AtRisk { days });
                }
                return Err(e);
            }
        };
        report.new_transactions = counts.inserted;
        report.balance = Some(balance.balance);
        // Only when every line since the previous snapshot was in this fetch does the sum prove
        // anything: the fetch began no later than the day after the last fully synced day.
        let contiguous = state.synced_through.is_some_and(|t| from <= t + Duration::days(1));
        if let (true, Some(previous)) = (contiguous, counts.previous_balance) {
            let expected = previous.checked_add(counts.inserted_sum);
            let (status, detail) = if expected == Some(balance.balance) {
                (ReconcileStatus::Ok, None)
            } else {
                report.warnings.push(Warning::ReconcileMismatch {
                    previous_balance: previous,
                    new_lines_sum: counts.inserted_sum,
                    balance: balance.balance,
                });
                let detail = format!(
                    "previous balance {previous} + new lines {} ≠ balance {} as of {}",
                    counts.inserted_sum, balance.balance, balance.as_of.date
                );
                (ReconcileStatus::Mismatch, Some(detail))
            };
            self.with_store(|s| s.set_reconcile(id, status, detail.as_deref()))?;
        }
        Ok(())
    }

    /// Fetches the account's history in `w` and stages it page by page as it arrives (on a
    /// thread of its own, while the next page is fetched and filed), then stores it with the
    /// balance in one transaction. Nothing is kept when any part fails.
    async fn stream(
        &self,
        w: &Window<'_>,
        client: &ApiClient,
        tokens: &dyn TokenSource,
        any_day_order: bool,
    ) -> Result<(BalanceReading, SyncCounts), SyncError> {
        let Window { id, remote, from, to, run, fetched_at } = *w;
        let mut writer = self.with_store(|s| s.account_writer(id, run, fetched_at, any_day_order))?;
        let filer = writer.filer();
        // Two pages in flight at most: one being staged, one filed and waiting. Lines are
        // parsed, folded and filed here, beside the writer's thread.
        let (pages, mut inbox) = tokio::sync::mpsc::channel::<FiledPage>(1);
        let writing = tokio::task::spawn_blocking(move || -> Result<AccountWriter, StoreError> {
            while let Some(page) = inbox.blocking_recv() {
                writer.add(&page)?;
            }
            Ok(writer)
        });
        let mut pager = client.transactions(tokens, remote, from, to);
        if !any_day_order {
            pager = pager.one_day_at_a_time();
        }
        let fetched = async {
            while let Some(page) = pager.next_page().await? {
                if pages.send(filer.file(page.transactions)).await.is_err() {
                    break; // the writer stopped; its error is the one to report
                }
            }
            Ok::<_, ApiError>(())
        }
        .await;
        drop(pages);
        let writer = writing.await.unwrap_or_else(|e| std::panic::resume_unwind(e.into_panic()))?;
        fetched?;
        // A line posted between the history and this request can flag one reconcile mismatch;
        // the next sync's overlap stores it.
        let balance = client.balance(tokens, remote).await?;
        tracing::debug!(%id, pages = pager.pages_fetched(), %from, %to, "fetched");
        let end = AccountSyncEnd { balance: Some(balance), synced_through: Some(to) };
        let counts = tokio::task::spawn_blocking(move || writer.commit(&end))
            .await
            .unwrap_or_else(|e| std::panic::resume_unwind(e.into_panic()))?;
        Ok((balance, counts))
    }
}

/// Days since the account's history was last covered, when more than the at-risk threshold.
fn at_risk_days(synced_through: Option<NaiveDate>, today: NaiveDate) -> Option<i64> {
    let days = (today - synced_through?).num_days();
    (days > AT_RISK_AFTER_DAYS).then_some(days)
}
