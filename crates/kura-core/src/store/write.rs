//! What the linking code and the sync engine write.

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{OptionalExtension, Row, params};
use serde::Serialize;

use super::{Store, StoreError};
use crate::model::{
    AccountId, LinkId, LinkStatus, MemberId, NewLink, ReconcileStatus, RemoteAccount, SyncRunId, SyncRunStatus,
};

/// A link as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LinkRow {
    pub id: LinkId,
    pub bank_code: String,
    pub profile: String,
    /// Whose consent it is.
    pub member_id: MemberId,
    /// The household's desktop that holds the link's tokens and polls it, when it is not this one
    /// (its data arrives through that desktop's log).
    pub polled_by: Option<String>,
    pub status: LinkStatus,
    pub scope: String,
    pub consent_expires_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub last_sync_at: Option<DateTime<Utc>>,
    pub last_error: Option<String>,
}

/// What the sync engine needs to know about a stored account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountState {
    pub id: AccountId,
    pub link_id: Option<LinkId>,
    /// The bank's `accountId`, for API paths.
    pub remote_account_id: String,
    pub bank_code: String,
    /// The last JST date whose transactions are fully stored.
    pub synced_through: Option<NaiveDate>,
    pub last_synced_at: Option<DateTime<Utc>>,
    pub hidden: bool,
}

/// How a sync run ended.
#[derive(Debug, Clone, Copy)]
pub struct RunOutcome<'a> {
    pub status: SyncRunStatus,
    pub new_transactions: u64,
    pub failure: Option<RunFailure<'a>>,
}

/// The error a failed (or partial) run hit, with the raw response when there was one.
#[derive(Debug, Clone, Copy)]
pub struct RunFailure<'a> {
    /// A short machine-readable kind, e.g. `rate_limited`, `network`, `invalid_response`.
    pub kind: &'a str,
    pub message: &'a str,
    pub http_status: Option<u16>,
    pub response_body: Option<&'a [u8]>,
}

impl LinkRow {
    /// Whether this desktop holds the link's tokens and polls it (not another of the household's).
    pub fn polled_here(&self) -> bool {
        self.polled_by.is_none()
    }
}

const LINK_COLUMNS: &str = "id, bank_code, profile, status, scope, consent_expires_at, created_at, updated_at, \
                            last_sync_at, last_error, member_id, polled_by";

fn link_row(r: &Row<'_>) -> rusqlite::Result<(LinkRow, String)> {
    let status: String = r.get(3)?;
    Ok((
        LinkRow {
            id: LinkId(r.get(0)?),
            bank_code: r.get(1)?,
            profile: r.get(2)?,
            status: LinkStatus::Active,
            scope: r.get(4)?,
            consent_expires_at: r.get(5)?,
            created_at: r.get(6)?,
            updated_at: r.get(7)?,
            last_sync_at: r.get(8)?,
            last_error: r.get(9)?,
            member_id: MemberId(r.get(10)?),
            polled_by: r.get(11)?,
        },
        status,
    ))
}

fn finish_link((mut row, status): (LinkRow, String)) -> Result<LinkRow, StoreError> {
    row.status = status.parse()?;
    Ok(row)
}

const ACCOUNT_STATE_COLUMNS: &str = "id, link_id, remote_account_id, bank_code, synced_through, last_synced_at, hidden";

fn account_state(r: &Row<'_>) -> rusqlite::Result<AccountState> {
    Ok(AccountState {
        id: AccountId(r.get(0)?),
        link_id: r.get::<_, Option<i64>>(1)?.map(LinkId),
        remote_account_id: r.get(2)?,
        bank_code: r.get(3)?,
        synced_through: r.get(4)?,
        last_synced_at: r.get(5)?,
        hidden: r.get(6)?,
    })
}

impl Store {
    /// Records a new link: a consent at `bank_code` through `profile`, of `link.member`.
    pub fn add_link(&mut self, link: &NewLink, now: DateTime<Utc>) -> Result<LinkId, StoreError> {
        let id = self.conn.query_row(
            "INSERT INTO links (bank_code, profile, member_id, status, scope, consent_expires_at, created_at,
                 updated_at)
             VALUES (?1, ?2, ?3, 'active', ?4, ?5, ?6, ?6)
             RETURNING id",
            params![link.bank_code, link.profile, link.member.0, link.scope, link.consent_expires_at, now],
            |r| r.get(0),
        )?;
        Ok(LinkId(id))
    }

    /// A new consent for an existing link (the same person logged in again): active again, its
    /// scope and expiry as granted now, its last error cleared.
    pub fn renew_link(
        &mut self,
        id: LinkId,
        scope: &str,
        consent_expires_at: Option<DateTime<Utc>>,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let n = self.conn.execute(
            "UPDATE links SET status = 'active', scope = ?2, consent_expires_at = ?3, updated_at = ?4, last_error = NULL
             WHERE id = ?1",
            params![id.0, scope, consent_expires_at, now],
        )?;
        if n == 0 {
            return Err(StoreError::UnknownLink(id));
        }
        Ok(())
    }

    pub fn link(&self, id: LinkId) -> Result<LinkRow, StoreError> {
        let row = self
            .conn
            .query_row(&format!("SELECT {LINK_COLUMNS} FROM links WHERE id = ?1"), [id.0], link_row)
            .optional()?
            .ok_or(StoreError::UnknownLink(id))?;
        finish_link(row)
    }

    /// All links, oldest first.
    pub fn links(&self) -> Result<Vec<LinkRow>, StoreError> {
        let mut stmt = self.conn.prepare(&format!("SELECT {LINK_COLUMNS} FROM links ORDER BY id"))?;
        let rows = stmt.query_map([], link_row)?.collect::<Result<Vec<_>, _>>()?;
        rows.into_iter().map(finish_link).collect()
    }

    /// Sets a link's status, e.g. `ReauthRequired` when its consent can no longer be refreshed.
    /// Its accounts and history are untouched.
    pub fn set_link_status(
        &mut self,
        id: LinkId,
        status: LinkStatus,
        last_error: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let n = self.conn.execute(
            "UPDATE links SET status = ?2, last_error = ?3, updated_at = ?4 WHERE id = ?1",
            params![id.0, status.as_str(), last_error, now],
        )?;
        if n == 0 { Err(StoreError::UnknownLink(id)) } else { Ok(()) }
    }

    /// Forgets a link. Its accounts, balances and transactions stay (detached), and a later
    /// link to the same accounts continues their history.
    pub fn delete_link(&mut self, id: LinkId) -> Result<(), StoreError> {
        let n = self.conn.execute("DELETE FROM links WHERE id = ?1", [id.0])?;
        if n == 0 { Err(StoreError::UnknownLink(id)) } else { Ok(()) }
    }

    /// Forgets a link and everything stored through it: its accounts with their balances,
    /// history and gaps (which cascade), then the link itself, in one transaction. Sync-run rows
    /// stay, detached, so the log still shows what happened.
    pub fn purge_link(&mut self, id: LinkId) -> Result<(), StoreError> {
        let tx = self.conn.transaction()?;
        tx.execute("DELETE FROM accounts WHERE link_id = ?1", [id.0])?;
        if tx.execute("DELETE FROM links WHERE id = ?1", [id.0])? == 0 {
            // Dropping the transaction rolls back: nothing is deleted for an unknown link.
            return Err(StoreError::UnknownLink(id));
        }
        tx.commit()?;
        Ok(())
    }

    /// Records an account the API listed under `link` and returns its local id. An account seen
    /// before (same union, branch, type and number), even through an earlier link, keeps its id
    /// and history.
    pub fn upsert_account(
        &mut self,
        link: LinkId,
        account: &RemoteAccount,
        now: DateTime<Utc>,
    ) -> Result<AccountId, StoreError> {
        upsert_account(&self.conn, link, account, now)
    }

    /// The accounts currently attached to `link`, by id.
    pub fn accounts_of_link(&self, link: LinkId) -> Result<Vec<AccountState>, StoreError> {
        let mut stmt = self
            .conn
            .prepare(&format!("SELECT {ACCOUNT_STATE_COLUMNS} FROM accounts WHERE link_id = ?1 ORDER BY id"))?;
        Ok(stmt.query_map([link.0], account_state)?.collect::<Result<_, _>>()?)
    }

    pub fn account_state(&self, id: AccountId) -> Result<AccountState, StoreError> {
        self.conn
            .query_row(&format!("SELECT {ACCOUNT_STATE_COLUMNS} FROM accounts WHERE id = ?1"), [id.0], account_state)
            .optional()?
            .ok_or(StoreError::UnknownAccount(id))
    }

    /// Hides an account from overviews and totals (its data stays), or shows it again.
    pub fn set_account_hidden(&mut self, id: AccountId, hidden: bool) -> Result<(), StoreError> {
        let n = self.conn.execute("UPDATE accounts SET hidden = ?2 WHERE id = ?1", params![id.0, hidden])?;
        if n == 0 { Err(StoreError::UnknownAccount(id)) } else { Ok(()) }
    }

    /// Flags (or clears) a mismatch between an account's balance and its transactions.
    pub fn set_reconcile(
        &mut self,
        id: AccountId,
        status: ReconcileStatus,
        detail: Option<&str>,
    ) -> Result<(), StoreError> {
        let n = self.conn.execute(
            "UPDATE accounts SET reconcile_status = ?2, reconcile_detail = ?3 WHERE id = ?1",
            params![id.0, status.as_str(), detail],
        )?;
        if n == 0 { Err(StoreError::UnknownAccount(id)) } else { Ok(()) }
    }

    /// Starts a row of the sync-run log, for a whole link or one account of it.
    pub fn begin_sync_run(
        &mut self,
        link: LinkId,
        account: Option<AccountId>,
        now: DateTime<Utc>,
    ) -> Result<SyncRunId, StoreError> {
        self.conn
            .execute(
                "INSERT INTO sync_runs (link_id, account_id, started_at) VALUES (?1, ?2, ?3)",
                params![link.0, account.map(|a| a.0), now],
            )
            .map_err(|e| match e.sqlite_error_code() {
                Some(rusqlite::ErrorCode::ConstraintViolation) => StoreError::UnknownLink(link),
                _ => e.into(),
            })?;
        Ok(SyncRunId(self.conn.last_insert_rowid()))
    }

    /// Closes a sync run with its outcome; the link's `last_sync_at` (on success) and
    /// `last_error` follow it.
    pub fn finish_sync_run(
        &mut self,
        run: SyncRunId,
        outcome: &RunOutcome<'_>,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let tx = self.conn.transaction()?;
        let f = outcome.failure.as_ref();
        let link: Option<Option<i64>> = tx
            .query_row(
                "UPDATE sync_runs SET finished_at = ?2, status = ?3, new_transactions = ?4, error_kind = ?5,
                     error_message = ?6, http_status = ?7, response_body = ?8
                 WHERE id = ?1 RETURNING link_id",
                params![
                    run.0,
                    now,
                    outcome.status.as_str(),
                    i64::try_from(outcome.new_transactions).unwrap_or(i64::MAX),
                    f.map(|f| f.kind),
                    f.map(|f| f.message),
                    f.and_then(|f| f.http_status),
                    f.and_then(|f| f.response_body),
                ],
                |r| r.get(0),
            )
            .optional()?;
        let Some(link) = link else {
            return Err(StoreError::UnknownSyncRun(run));
        };
        if let Some(link) = link {
            let succeeded = matches!(outcome.status, SyncRunStatus::Ok | SyncRunStatus::Partial);
            tx.execute(
                "UPDATE links SET last_sync_at = CASE WHEN ?2 THEN ?3 ELSE last_sync_at END, last_error = ?4
                 WHERE id = ?1",
                params![link, succeeded, now, f.map(|f| f.message)],
            )?;
        }
        tx.commit()?;
        Ok(())
    }

    /// Records a period of an account's history that the bank no longer serves and Kura never
    /// stored. Returns false when that gap was already recorded.
    pub fn record_gap(
        &mut self,
        account: AccountId,
        date_from: NaiveDate,
        date_to: NaiveDate,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let n = self
            .conn
            .execute(
                "INSERT INTO gaps (account_id, date_from, date_to, detected_at) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT DO NOTHING",
                params![account.0, date_from.min(date_to), date_to.max(date_from), now],
            )
            .map_err(|e| match e.sqlite_error_code() {
                Some(rusqlite::ErrorCode::ConstraintViolation) => StoreError::UnknownAccount(account),
                _ => e.into(),
            })?;
        Ok(n == 1)
    }
}

/// Records an account the API listed under `link` (see [`Store::upsert_account`]).
pub(super) fn upsert_account(
    conn: &rusqlite::Connection,
    link: LinkId,
    account: &RemoteAccount,
    now: DateTime<Utc>,
) -> Result<AccountId, StoreError> {
    let a = &account.identity;
    let id = conn
        .query_row(
            "INSERT INTO accounts (link_id, remote_account_id, bank_code, branch_code, branch_name,
                 account_type_code, account_type_name, account_number, account_name_kana, currency,
                 created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
             ON CONFLICT (bank_code, branch_code, account_type_code, account_number) DO UPDATE SET
                 link_id = excluded.link_id, remote_account_id = excluded.remote_account_id,
                 branch_name = excluded.branch_name, account_type_name = excluded.account_type_name,
                 account_name_kana = excluded.account_name_kana, currency = excluded.currency
             RETURNING id",
            params![
                link.0,
                account.account_id,
                a.bank_code,
                a.branch_code,
                a.branch_name,
                a.account_type_code,
                a.account_type_name,
                a.account_number,
                a.account_name_kana,
                account.currency_code,
                now
            ],
            |r| r.get(0),
        )
        .map_err(|e| match e.sqlite_error_code() {
            Some(rusqlite::ErrorCode::ConstraintViolation) => StoreError::UnknownLink(link),
            _ => e.into(),
        })?;
    Ok(AccountId(id))
}
