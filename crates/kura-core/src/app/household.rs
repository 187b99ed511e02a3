//! The household's members: listing, adding, renaming and recolouring them, removing one (their
//! links go to another member), giving a link to a member; and narrowing the views and exports
//! to one member's accounts.

use chrono::Utc;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{AppContext, CommandError};
use crate::household::{HouseholdError, Member};
use crate::model::{AccountId, LinkId, MemberId};
use crate::store::Store;

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct MemberItem {
    pub id: i64,
    pub name: String,
    /// `#rrggbb`.
    pub colour: String,
    pub link_count: u32,
    /// Accounts reached through the member's links, hidden ones included.
    pub account_count: u32,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct MembersResponse {
    /// In the order they were added.
    pub members: Vec<MemberItem>,
}

#[derive(Debug, Clone, Default, Deserialize, TS)]
pub struct MembersListRequest {}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct MemberAddRequest {
    pub name: String,
    /// `#rrggbb`; absent: the first palette colour no member has.
    #[serde(default)]
    #[ts(optional)]
    pub colour: Option<String>,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct MemberUpdateRequest {
    pub id: i64,
    #[serde(default)]
    #[ts(optional)]
    pub name: Option<String>,
    #[serde(default)]
    #[ts(optional)]
    pub colour: Option<String>,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct MemberRemoveRequest {
    pub id: i64,
    /// Who takes over the member's links; absent: the first other member.
    #[serde(default)]
    #[ts(optional)]
    pub heir_id: Option<i64>,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct LinkAssignRequest {
    pub link_id: i64,
    pub member_id: i64,
}

/// The members with how many links and accounts each holds.
pub fn members(store: &Store) -> Result<MembersResponse, CommandError> {
    let links = store.links()?;
    let mut items = Vec::new();
    for m in store.members()? {
        let (mut link_count, mut account_count) = (0, 0);
        for l in links.iter().filter(|l| l.member_id == m.id) {
            link_count += 1;
            account_count += store.accounts_of_link(l.id)?.len() as u32;
        }
        items.push(MemberItem { id: m.id.0, name: m.name, colour: m.colour, link_count, account_count });
    }
    Ok(MembersResponse { members: items })
}

pub async fn list(ctx: &AppContext, _req: MembersListRequest) -> Result<MembersResponse, CommandError> {
    members(&ctx.store())
}

pub async fn add(ctx: &AppContext, req: MemberAddRequest) -> Result<MembersResponse, CommandError> {
    let mut store = ctx.store();
    store.add_member(&req.name, req.colour.as_deref(), Utc::now())?;
    members(&store)
}

pub async fn update(ctx: &AppContext, req: MemberUpdateRequest) -> Result<MembersResponse, CommandError> {
    let mut store = ctx.store();
    store.update_member(MemberId(req.id), req.name.as_deref(), req.colour.as_deref(), Utc::now())?;
    members(&store)
}

pub async fn remove(ctx: &AppContext, req: MemberRemoveRequest) -> Result<MembersResponse, CommandError> {
    let mut store = ctx.store();
    let gone = store.member(MemberId(req.id))?;
    let heir = match req.heir_id {
        Some(h) => MemberId(h),
        None => heir_of(&store.members()?, &gone)?,
    };
    store.remove_member(gone.id, heir, Utc::now())?;
    members(&store)
}

/// The first member other than `gone`.
fn heir_of(members: &[Member], gone: &Member) -> Result<MemberId, HouseholdError> {
    members.iter().find(|m| m.id != gone.id).map(|m| m.id).ok_or(HouseholdError::LastMember { name: gone.name.clone() })
}

pub async fn assign(ctx: &AppContext, req: LinkAssignRequest) -> Result<MembersResponse, CommandError> {
    let mut store = ctx.store();
    store.assign_link(LinkId(req.link_id), MemberId(req.member_id), Utc::now())?;
    members(&store)
}

/// The member a person means by `word`: their name, else their ID.
pub fn member_by_word(ctx: &AppContext, word: &str) -> Result<Member, CommandError> {
    let store = ctx.store();
    match store.member_named(word) {
        Ok(m) => Ok(m),
        Err(e) => match word.trim().parse::<i64>() {
            Ok(id) if store.member(MemberId(id)).is_ok() => Ok(store.member(MemberId(id))?),
            _ => Err(e.into()),
        },
    }
}

/// The accounts a view or export covers: those asked for (none: every visible account),
/// narrowed to `member`'s when one is given. `None` means no narrowing (every visible account);
/// an empty list means none at all (a member without accounts).
pub(super) fn scope(
    store: &Store,
    accounts: &[i64],
    member: Option<i64>,
) -> Result<Option<Vec<AccountId>>, CommandError> {
    let asked: Vec<AccountId> = accounts.iter().copied().map(AccountId).collect();
    let Some(member) = member else {
        return Ok((!asked.is_empty()).then_some(asked));
    };
    let theirs = store.accounts_of_member(store.member(MemberId(member))?.id)?;
    Ok(Some(match asked.is_empty() {
        // Like the whole household's view: the member's visible accounts.
        true => theirs.into_iter().filter(|a| !a.hidden).map(|a| a.id).collect(),
        false => asked.into_iter().filter(|a| theirs.iter().any(|t| t.id == *a)).collect(),
    }))
}
