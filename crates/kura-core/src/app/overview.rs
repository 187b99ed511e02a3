//! The dashboard: every account with its latest balance, how current it is, its link's state and
//! its gaps; totals; and whether the unions could be reached on the last sync.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::links::LinkState;
use super::sync_log::{SyncProblem, latest_finished_run};
use super::{AppContext, CommandError};
use crate::model::{AccountIdentity, MemberId};
use crate::query::{AccountSummary, Staleness};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum Freshness {
    Fresh,
    Stale,
    /// Unsynced history will soon leave the bank's ~90-day window: sync now or lose it.
    AtRisk,
    NeverSynced,
}

impl From<Staleness> for Freshness {
    fn from(s: Staleness) -> Self {
        match s {
            Staleness::Fresh => Freshness::Fresh,
            Staleness::Stale => Freshness::Stale,
            Staleness::AtRisk => Freshness::AtRisk,
            Staleness::NeverSynced => Freshness::NeverSynced,
        }
    }
}

/// A period of history lost for good (the bank no longer serves it and Kura never stored it).
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct GapItem {
    pub date_from: NaiveDate,
    pub date_to: NaiveDate,
    pub detected_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AccountCard {
    pub id: i64,
    pub link_id: Option<i64>,
    /// `None` once the account's link was removed (its history stays readable).
    pub link_status: Option<LinkState>,
    /// The household member whose link reaches the account.
    pub member_id: Option<i64>,
    #[serde(flatten)]
    #[ts(flatten)]
    pub identity: AccountIdentity,
    pub bank_name: String,
    pub balance: Option<i64>,
    pub withdrawable: Option<i64>,
    /// The bank's own "as of" for the balance: JST date and instant.
    pub as_of_date: Option<NaiveDate>,
    pub as_of: Option<DateTime<Utc>>,
    pub last_synced_at: Option<DateTime<Utc>>,
    pub synced_through: Option<NaiveDate>,
    pub freshness: Freshness,
    /// The new transactions did not add up to the balance change on the last sync.
    pub reconcile_mismatch: Option<String>,
    pub transaction_count: i64,
    pub gaps: Vec<GapItem>,
    /// Hidden from the dashboard and totals (only listed when asked for).
    pub hidden: bool,
}

impl From<AccountSummary> for AccountCard {
    fn from(s: AccountSummary) -> Self {
        let mismatch = s.reconcile_status == crate::model::ReconcileStatus::Mismatch;
        AccountCard {
            id: s.id.0,
            link_id: s.link_id.map(|l| l.0),
            link_status: s.link_status.map(Into::into),
            member_id: s.member_id.map(|m| m.0),
            bank_name: crate::institutions::name_of(&s.identity.bank_code),
            identity: s.identity,
            balance: s.balance,
            withdrawable: s.withdrawable,
            as_of_date: s.as_of.map(|a| a.date),
            as_of: s.as_of.map(|a| a.at),
            last_synced_at: s.last_synced_at,
            synced_through: s.synced_through,
            freshness: s.staleness.into(),
            reconcile_mismatch: mismatch.then(|| s.reconcile_detail.unwrap_or_default()),
            transaction_count: s.transaction_count,
            gaps: s
                .gaps
                .into_iter()
                .map(|g| GapItem { date_from: g.date_from, date_to: g.date_to, detected_at: g.detected_at })
                .collect(),
            hidden: s.hidden,
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
pub struct OverviewRequest {
    /// List hidden accounts too (they never count in the total).
    #[ts(optional)]
    pub include_hidden: Option<bool>,
    /// Only this household member's accounts (`total` is then theirs).
    #[ts(optional)]
    pub member_id: Option<i64>,
}

/// A member's part of the household's money.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct MemberShare {
    pub id: i64,
    pub name: String,
    pub colour: String,
    /// Sum of the latest balances of the member's visible accounts.
    pub total: i64,
    /// The member's share of the household total, in whole percent (rounded); `None` when the
    /// household's total is not positive.
    pub percent: Option<u32>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct OverviewResponse {
    /// Visible accounts (hidden ones too when asked), by union, branch, type and number.
    pub accounts: Vec<AccountCard>,
    /// Sum of the latest balances of the visible accounts listed.
    pub total: i64,
    /// Sum over every member's visible accounts (equal to `total` unless a member is asked for).
    pub household_total: i64,
    /// Every member with their total and share, in the order they were added.
    pub members: Vec<MemberShare>,
    /// The oldest "as of" among the balances in `total`: the total is no newer than this.
    pub total_as_of: Option<DateTime<Utc>>,
    /// The last sync of some link could not reach its union (network or timeout): the data
    /// shown is the cached copy.
    pub offline: bool,
    pub link_count: u32,
}

pub async fn overview(ctx: &AppContext, req: OverviewRequest) -> Result<OverviewResponse, CommandError> {
    let store = ctx.store();
    let with_hidden = req.include_hidden.unwrap_or(false);
    if let Some(m) = req.member_id {
        store.member(MemberId(m))?;
    }
    let all: Vec<AccountCard> = store
        .account_summaries(Utc::now())?
        .into_iter()
        .filter(|a| with_hidden || !a.hidden)
        .map(AccountCard::from)
        .collect();
    let sum = |member: Option<i64>| -> i64 {
        all.iter()
            .filter(|a| !a.hidden && member.is_none_or(|m| a.member_id == Some(m)))
            .filter_map(|a| a.balance)
            .sum()
    };
    let household_total = sum(None);
    let members = store
        .members()?
        .into_iter()
        .map(|m| {
            let total = sum(Some(m.id.0));
            // Rounded half up, in integers (yen sums can exceed f64's exact range).
            let percent = (household_total > 0).then(|| {
                let (part, whole) = (i128::from(total.max(0)), i128::from(household_total));
                ((part * 200 + whole) / (whole * 2)) as u32
            });
            MemberShare { id: m.id.0, name: m.name, colour: m.colour, total, percent }
        })
        .collect();
    let accounts: Vec<AccountCard> =
        all.into_iter().filter(|a| req.member_id.is_none_or(|m| a.member_id == Some(m))).collect();
    let links = store.links()?;
    let mut offline = false;
    for link in &links {
        // The last run that ended: a sync under way must not hide the banner.
        let latest = latest_finished_run(&store, link.id)?;
        if latest.as_ref().and_then(SyncProblem::of_run).is_some_and(|p| p.kind.is_unreachable()) {
            offline = true;
        }
    }
    let counted = || accounts.iter().filter(|a| !a.hidden);
    let total = counted().filter_map(|a| a.balance).sum();
    let total_as_of = counted().filter_map(|a| a.as_of).min();
    Ok(OverviewResponse {
        accounts,
        total,
        total_as_of,
        household_total,
        members,
        offline,
        link_count: links.len() as u32,
    })
}
