//! The sync log: what each sync did, which error it met, and the raw body of a failed request.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{AppContext, CommandError};
use crate::model::{LinkId, SyncRunId, SyncRunStatus};
use crate::query::SyncRunRow;
use crate::store::{Store, StoreError};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum RunState {
    Running,
    Ok,
    Failed,
    /// Some accounts synced, others failed.
    Partial,
}

impl From<SyncRunStatus> for RunState {
    fn from(s: SyncRunStatus) -> Self {
        match s {
            SyncRunStatus::Running => RunState::Running,
            SyncRunStatus::Ok => RunState::Ok,
            SyncRunStatus::Failed => RunState::Failed,
            SyncRunStatus::Partial => RunState::Partial,
        }
    }
}

/// Why a sync failed, as a class the UI explains in the user's language with what to do about
/// it. Read from the machine name the sync log stores (`ApiError::kind` and the engine's own).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum SyncErrorKind {
    /// The union's server could not be reached (offline, or the server is down).
    Network,
    /// The union's server did not answer in time.
    Timeout,
    /// The consent expired or was revoked: re-authenticate.
    ReauthRequired,
    /// The access token was refused even after a refresh: re-authenticate.
    Unauthorized,
    /// No access token could be had for another reason (e.g. the credential store is locked).
    TokenUnavailable,
    /// The union refused the app's client credentials, or the client secret is missing:
    /// re-authenticate and give the secret.
    ClientCredentials,
    RateLimited,
    Maintenance,
    /// Another HTTP error status (see `httpStatus`).
    Http,
    IncompatibleVersion,
    /// The union's server sent a response Kura cannot read.
    Malformed,
    TooLarge,
    Paging,
    /// The profile names a plain http:// API address off loopback.
    InsecureUrl,
    /// The profile's API address is unusable.
    InvalidUrl,
    Tls,
    /// The local database could not be written.
    Store,
    /// The link is not active (re-authentication needed or unlinked).
    InactiveLink,
    /// The link's profile in profiles.toml is missing or unusable.
    Config,
    /// A kind this version does not know (e.g. written by a newer Kura).
    Other,
}

impl SyncErrorKind {
    /// The class of a stored `error_kind`.
    pub fn from_stored(kind: &str) -> Self {
        use SyncErrorKind as K;
        match kind {
            "network" => K::Network,
            "timeout" => K::Timeout,
            "reauth_required" => K::ReauthRequired,
            "unauthorized" => K::Unauthorized,
            "token_unavailable" => K::TokenUnavailable,
            "client_credentials" => K::ClientCredentials,
            "rate_limited" => K::RateLimited,
            "maintenance" => K::Maintenance,
            "http" => K::Http,
            "incompatible_version" => K::IncompatibleVersion,
            "malformed" => K::Malformed,
            "too_large" => K::TooLarge,
            "paging" => K::Paging,
            "insecure_url" => K::InsecureUrl,
            "invalid_url" => K::InvalidUrl,
            "tls" => K::Tls,
            "store" => K::Store,
            "inactive_link" => K::InactiveLink,
            "config" => K::Config,
            _ => K::Other,
        }
    }

    /// The union could not be reached at all, so what the UI shows is the cached copy.
    pub fn is_unreachable(self) -> bool {
        matches!(self, SyncErrorKind::Network | SyncErrorKind::Timeout)
    }
}

/// A failed sync as the UI shows it: the localisable class, and the core's own message as the
/// detail a person can copy into a report.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SyncProblem {
    pub kind: SyncErrorKind,
    pub http_status: Option<u16>,
    /// In English, from the core; for reports, not for the headline.
    pub message: String,
}

impl SyncProblem {
    /// The failure a sync run recorded, if it failed.
    pub fn of_run(run: &SyncRunRow) -> Option<SyncProblem> {
        let kind = run.error_kind.as_deref()?;
        Some(SyncProblem {
            kind: SyncErrorKind::from_stored(kind),
            http_status: run.http_status,
            message: run.error_message.clone().unwrap_or_default(),
        })
    }
}

/// The latest run of `link` that has ended (a run under way has no outcome yet).
pub(super) fn latest_finished_run(store: &Store, link: LinkId) -> Result<Option<SyncRunRow>, StoreError> {
    // Runs of one link never overlap (the engine waits), so at most the newest is under way.
    Ok(store.sync_runs(Some(link), None, 2)?.into_iter().find(|r| r.status != SyncRunStatus::Running))
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SyncLogRequest {
    /// One link's runs, or every link's.
    pub link_id: Option<i64>,
    /// For paging: only runs older than this id.
    pub before: Option<i64>,
    pub limit: u32,
}

/// A sync run as the sync log shows it: the stored run, its state and why it failed. (The kept
/// response body of a failed request comes with `syncRunBody`.)
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SyncRunItem {
    #[serde(flatten)]
    #[ts(flatten)]
    pub run: SyncRunRow,
    pub state: RunState,
    /// Why the run failed, when it did.
    pub error: Option<SyncProblem>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SyncLogResponse {
    /// Latest first.
    pub runs: Vec<SyncRunItem>,
}

pub async fn log(ctx: &AppContext, req: SyncLogRequest) -> Result<SyncLogResponse, CommandError> {
    let rows =
        ctx.store().sync_runs(req.link_id.map(LinkId), req.before.map(SyncRunId), req.limit.clamp(1, 500) as usize)?;
    Ok(SyncLogResponse {
        runs: rows
            .into_iter()
            .map(|run| SyncRunItem { error: SyncProblem::of_run(&run), state: run.status.into(), run })
            .collect(),
    })
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SyncRunBodyRequest {
    pub run_id: i64,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SyncRunBodyResponse {
    /// The body as text (invalid UTF-8 replaced), for reading and for a bug report.
    pub body: Option<String>,
}

pub async fn body(ctx: &AppContext, req: SyncRunBodyRequest) -> Result<SyncRunBodyResponse, CommandError> {
    let body = ctx.store().sync_run_body(SyncRunId(req.run_id))?;
    Ok(SyncRunBodyResponse { body: body.map(|b| String::from_utf8_lossy(&b).into_owned()) })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_the_sync_log_stores_has_its_class() {
        use crate::api::{ApiError, TokenError};
        let (url, detail, body) = (String::from("u"), String::from("d"), String::new());
        let api = [
            ApiError::InsecureUrl { url: url.clone() },
            ApiError::InvalidUrl { url: url.clone(), detail: detail.clone() },
            ApiError::Tls { detail: detail.clone() },
            ApiError::Network { url: url.clone(), detail: detail.clone() },
            ApiError::Timeout { url: url.clone() },
            ApiError::Http {
                url: url.clone(),
                status: 500,
                error_code: None,
                message: None,
                retry_after: None,
                body: body.clone(),
            },
            ApiError::RateLimited { url: url.clone(), retry_after: None, body: body.clone() },
            ApiError::Maintenance { url: url.clone(), retry_after: None, message: None, body: body.clone() },
            ApiError::Unauthorized { url: url.clone(), error_code: None, body: body.clone() },
            ApiError::Token(TokenError::ReauthRequired { detail: detail.clone() }),
            ApiError::Token(TokenError::Unavailable { detail: detail.clone() }),
            ApiError::Token(TokenError::ClientCredentials { detail: detail.clone() }),
            ApiError::Token(TokenError::Unreachable { detail: detail.clone() }),
            ApiError::IncompatibleVersion { url: url.clone(), found: None },
            ApiError::Malformed { url: url.clone(), field: detail.clone(), detail: detail.clone(), body },
            ApiError::TooLarge { url: url.clone(), limit: 1 },
            ApiError::Paging { url, detail },
        ];
        // The engine's own kinds beside the API's.
        let stored = api.iter().map(ApiError::kind).chain(["store", "inactive_link", "config"]);
        for name in stored {
            assert_ne!(SyncErrorKind::from_stored(name), SyncErrorKind::Other, "{name}");
        }
        assert_eq!(SyncErrorKind::from_stored("from_a_newer_kura"), SyncErrorKind::Other);
    }

    #[test]
    fn only_network_failures_mean_offline() {
        assert!(SyncErrorKind::Network.is_unreachable());
        assert!(SyncErrorKind::Timeout.is_unreachable());
        assert!(!SyncErrorKind::TokenUnavailable.is_unreachable());
        assert!(!SyncErrorKind::Maintenance.is_unreachable());
    }
}
