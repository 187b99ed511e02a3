//! The sync-run log users read: when, what, how many new, which error.

use chrono::{DateTime, Utc};
use rusqlite::OptionalExtension;
use serde::Serialize;
use ts_rs::TS;

use crate::model::{AccountId, LinkId, SyncRunId, SyncRunStatus};
use crate::store::{Store, StoreError};

/// One sync run. The raw response body of a failed request is fetched separately
/// ([`Store::sync_run_body`]) because it can be large. The sync log's entries carry it whole;
/// they state its status and failure in the UI's terms, so those columns stay out of its JSON.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SyncRunRow {
    #[ts(type = "number")]
    pub id: SyncRunId,
    #[ts(type = "number | null")]
    pub link_id: Option<LinkId>,
    #[ts(type = "number | null")]
    pub account_id: Option<AccountId>,
    pub bank_code: Option<String>,
    pub started_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
    #[serde(skip)]
    #[ts(skip)]
    pub status: SyncRunStatus,
    pub new_transactions: i64,
    #[serde(skip)]
    #[ts(skip)]
    pub error_kind: Option<String>,
    #[serde(skip)]
    #[ts(skip)]
    pub error_message: Option<String>,
    #[serde(skip)]
    #[ts(skip)]
    pub http_status: Option<u16>,
    /// Size of the stored raw response body in bytes, if one was kept.
    pub response_body_len: Option<i64>,
}

impl Store {
    /// Sync runs, latest first: of one link or of all, up to `limit`, older than `before` when
    /// paging.
    pub fn sync_runs(
        &self,
        link: Option<LinkId>,
        before: Option<SyncRunId>,
        limit: usize,
    ) -> Result<Vec<SyncRunRow>, StoreError> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT r.id, r.link_id, r.account_id, l.bank_code, r.started_at, r.finished_at, r.status,
                 r.new_transactions, r.error_kind, r.error_message, r.http_status, length(r.response_body)
             FROM sync_runs r LEFT JOIN links l ON l.id = r.link_id
             WHERE (?1 IS NULL OR r.link_id = ?1) AND (?2 IS NULL OR r.id < ?2)
             ORDER BY r.id DESC LIMIT ?3",
        )?;
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let rows = stmt
            .query_map(rusqlite::params![link.map(|l| l.0), before.map(|b| b.0), limit], |r| {
                Ok((
                    SyncRunRow {
                        id: SyncRunId(r.get(0)?),
                        link_id: r.get::<_, Option<i64>>(1)?.map(LinkId),
                        account_id: r.get::<_, Option<i64>>(2)?.map(AccountId),
                        bank_code: r.get(3)?,
                        started_at: r.get(4)?,
                        finished_at: r.get(5)?,
                        status: SyncRunStatus::Running,
                        new_transactions: r.get(7)?,
                        error_kind: r.get(8)?,
                        error_message: r.get(9)?,
                        http_status: r.get(10)?,
                        response_body_len: r.get(11)?,
                    },
                    r.get::<_, String>(6)?,
                ))
            })?
            .collect::<Result<Vec<_>, _>>()?;
        rows.into_iter()
            .map(|(mut row, status)| {
                row.status = status.parse()?;
                Ok(row)
            })
            .collect()
    }

    /// The raw response body kept for a failed run, if any.
    pub fn sync_run_body(&self, run: SyncRunId) -> Result<Option<Vec<u8>>, StoreError> {
        self.conn()
            .query_row("SELECT response_body FROM sync_runs WHERE id = ?1", [run.0], |r| r.get(0))
            .optional()?
            .ok_or(StoreError::UnknownSyncRun(run))
    }
}
