//! The sync log: what each sync did, which error it met, and the raw body of a failed request.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{AppContext, CommandError};
use crate::model::{LinkId, SyncRunId, SyncRunStatus};

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

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SyncLogRequest {
    /// One link's runs, or every link's.
    pub link_id: Option<i64>,
    /// For paging: only runs older than this id.
    pub before: Option<i64>,
    pub limit: u32,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SyncRunItem {
    pub id: i64,
    pub link_id: Option<i64>,
    pub bank_code: Option<String>,
    pub started_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
    pub state: RunState,
    pub new_transactions: i64,
    pub error_kind: Option<String>,
    pub error_message: Option<String>,
    pub http_status: Option<u16>,
    /// Size of the kept response body of a failed request (fetch it with `syncRunBody`).
    pub response_body_len: Option<i64>,
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
            .map(|r| SyncRunItem {
                id: r.id.0,
                link_id: r.link_id.map(|l| l.0),
                bank_code: r.bank_code,
                started_at: r.started_at,
                finished_at: r.finished_at,
                state: r.status.into(),
                new_transactions: r.new_transactions,
                error_kind: r.error_kind,
                error_message: r.error_message,
                http_status: r.http_status,
                response_body_len: r.response_body_len,
            })
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
