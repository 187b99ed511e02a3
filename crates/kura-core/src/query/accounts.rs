//! Accounts with their latest balance, freshness, link state and gaps.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::Row;
use serde::Serialize;

use crate::format::jst_date;
use crate::model::{AccountId, AccountIdentity, AsOf, Gap, LinkId, LinkStatus, MemberId, ReconcileStatus};
use crate::store::{Store, StoreError};

/// A sync older than this many hours makes an account's figures stale.
pub const STALE_AFTER_HOURS: i64 = 24;
/// History not synced for this many days is at risk: the bank serves only ~90 days, so what is
/// not fetched soon is lost for good.
pub const AT_RISK_AFTER_DAYS: i64 = 60;

/// How current an account's stored data is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Staleness {
    Fresh,
    Stale,
    /// Unsynced history will soon fall out of the bank's window: sync now.
    AtRisk,
    NeverSynced,
}

impl Staleness {
    fn judge(now: DateTime<Utc>, last_synced_at: Option<DateTime<Utc>>, synced_through: Option<NaiveDate>) -> Self {
        let Some(last) = last_synced_at else {
            return Staleness::NeverSynced;
        };
        let covered = synced_through.unwrap_or_else(|| jst_date(last));
        if (jst_date(now) - covered).num_days() > AT_RISK_AFTER_DAYS {
            Staleness::AtRisk
        } else if (now - last).num_hours() >= STALE_AFTER_HOURS {
            Staleness::Stale
        } else {
            Staleness::Fresh
        }
    }
}

/// One account as the overview shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AccountSummary {
    pub id: AccountId,
    /// `None` once the account's link was removed (its history stays).
    pub link_id: Option<LinkId>,
    pub link_status: Option<LinkStatus>,
    /// The household member whose link reaches the account (`None` without a link).
    pub member_id: Option<MemberId>,
    #[serde(flatten)]
    pub identity: AccountIdentity,
    /// The union's name, when it is one of the consenting unions Kura knows.
    pub bank_name: Option<String>,
    pub currency: String,
    /// The latest balance the bank stated, and when it stated it.
    pub balance: Option<i64>,
    pub withdrawable: Option<i64>,
    pub as_of: Option<AsOf>,
    pub last_synced_at: Option<DateTime<Utc>>,
    pub synced_through: Option<NaiveDate>,
    pub staleness: Staleness,
    pub reconcile_status: ReconcileStatus,
    pub reconcile_detail: Option<String>,
    pub hidden: bool,
    /// Transactions stored for the account, kept by the write path (not counted per call).
    pub transaction_count: i64,
    pub gaps: Vec<Gap>,
}

type RawSummary = (AccountSummary, Option<String>, String);

fn summary(r: &Row<'_>, now: DateTime<Utc>) -> rusqlite::Result<RawSummary> {
    let as_of = match (r.get::<_, Option<NaiveDate>>("base_date")?, r.get::<_, Option<DateTime<Utc>>>("base_at")?) {
        (Some(date), Some(at)) => Some(AsOf { date, at }),
        _ => None,
    };
    let last_synced_at = r.get("last_synced_at")?;
    let synced_through = r.get("synced_through")?;
    let identity = crate::store::account_identity(r)?;
    Ok((
        AccountSummary {
            id: AccountId(r.get("id")?),
            link_id: r.get::<_, Option<i64>>("link_id")?.map(LinkId),
            link_status: None,
            member_id: r.get::<_, Option<i64>>("member_id")?.map(MemberId),
            bank_name: crate::institutions::by_code(&identity.bank_code).map(|i| i.name.clone()),
            identity,
            currency: r.get("currency")?,
            balance: r.get("balance")?,
            withdrawable: r.get("withdrawable")?,
            as_of,
            last_synced_at,
            synced_through,
            staleness: Staleness::judge(now, last_synced_at, synced_through),
            reconcile_status: ReconcileStatus::Ok,
            reconcile_detail: r.get("reconcile_detail")?,
            hidden: r.get("hidden")?,
            transaction_count: r.get("transaction_count")?,
            gaps: Vec::new(),
        },
        r.get("link_status")?,
        r.get("reconcile_status")?,
    ))
}

impl Store {
    /// Every account (hidden ones too, flagged), ordered by union, branch, type and number,
    /// with its latest balance, staleness as of `now`, link status and gaps.
    pub fn account_summaries(&self, now: DateTime<Utc>) -> Result<Vec<AccountSummary>, StoreError> {
        let mut gaps = self.all_gaps()?;
        let mut stmt = self.conn().prepare(
            "SELECT a.*, l.status AS link_status, l.member_id AS member_id, s.balance, s.withdrawable, s.base_date, s.base_at
             FROM accounts a
             LEFT JOIN links l ON l.id = a.link_id
             LEFT JOIN balance_snapshots s ON s.id = (
                 SELECT id FROM balance_snapshots WHERE account_id = a.id
                 ORDER BY base_date DESC, base_at DESC, id DESC LIMIT 1)
             ORDER BY a.bank_code, a.branch_code, a.account_type_code, a.account_number",
        )?;
        let raw = stmt.query_map([], |r| summary(r, now))?.collect::<Result<Vec<_>, _>>()?;
        raw.into_iter()
            .map(|(mut s, link_status, reconcile)| {
                s.link_status = link_status.map(|v| v.parse()).transpose()?;
                s.reconcile_status = reconcile.parse()?;
                s.gaps = gaps.remove(&s.id).unwrap_or_default();
                Ok(s)
            })
            .collect()
    }

    /// The gaps of one account, oldest first.
    pub fn gaps(&self, account: AccountId) -> Result<Vec<Gap>, StoreError> {
        let mut stmt = self.conn().prepare(
            "SELECT date_from, date_to, detected_at FROM gaps WHERE account_id = ?1 ORDER BY date_from, date_to",
        )?;
        let rows = stmt
            .query_map([account.0], |r| Ok(Gap { date_from: r.get(0)?, date_to: r.get(1)?, detected_at: r.get(2)? }))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn all_gaps(&self) -> Result<HashMap<AccountId, Vec<Gap>>, StoreError> {
        let mut stmt = self.conn().prepare(
            "SELECT account_id, date_from, date_to, detected_at FROM gaps ORDER BY account_id, date_from, date_to",
        )?;
        let mut out: HashMap<AccountId, Vec<Gap>> = HashMap::new();
        let rows = stmt.query_map([], |r| {
            Ok((AccountId(r.get(0)?), Gap { date_from: r.get(1)?, date_to: r.get(2)?, detected_at: r.get(3)? }))
        })?;
        for row in rows {
            let (id, gap) = row?;
            out.entry(id).or_default().push(gap);
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    #[test]
    fn staleness_follows_last_sync_and_coverage() {
        let now = Utc.with_ymd_and_hms(2026, 11, 24, 3, 0, 0).unwrap();
        let day = |d| NaiveDate::from_ymd_opt(2026, 11, d).unwrap();
        assert_eq!(Staleness::judge(now, None, None), Staleness::NeverSynced);
        let recent = now - chrono::Duration::hours(2);
        assert_eq!(Staleness::judge(now, Some(recent), Some(day(23))), Staleness::Fresh);
        let old = now - chrono::Duration::hours(30);
        assert_eq!(Staleness::judge(now, Some(old), Some(day(22))), Staleness::Stale);
        let ancient = now - chrono::Duration::days(61);
        assert_eq!(Staleness::judge(now, Some(ancient), None), Staleness::AtRisk);
    }
}
