//! The household's members and which member each link belongs to.

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, Row, params};

use super::{Store, StoreError};
use crate::household::{self, HouseholdError, Member};
use crate::model::{AccountId, LinkId, MemberId};

const MEMBER_COLUMNS: &str = "id, name, colour, created_at, updated_at, uid";

fn member(r: &Row<'_>) -> rusqlite::Result<Member> {
    Ok(Member {
        id: MemberId(r.get(0)?),
        name: r.get(1)?,
        colour: r.get(2)?,
        created_at: r.get(3)?,
        updated_at: r.get(4)?,
        uid: r.get(5)?,
    })
}

/// A unique-name violation as the refusal it is.
fn name_taken(name: &str) -> impl FnOnce(rusqlite::Error) -> HouseholdError + '_ {
    move |e| match e.sqlite_error_code() {
        Some(rusqlite::ErrorCode::ConstraintViolation) => HouseholdError::NameTaken { name: name.to_owned() },
        _ => StoreError::from(e).into(),
    }
}

/// An account of a member's, by both its ids.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberAccount {
    pub id: AccountId,
    /// Kura's account id (`2011-001-1-1234567`), as exports name accounts.
    pub kura_id: String,
    pub hidden: bool,
}

impl Store {
    /// The household's members, in the order they were added (the first is the one existing
    /// data was given to).
    pub fn members(&self) -> Result<Vec<Member>, StoreError> {
        let mut stmt = self.conn.prepare(&format!("SELECT {MEMBER_COLUMNS} FROM members ORDER BY id"))?;
        Ok(stmt.query_map([], member)?.collect::<Result<_, _>>()?)
    }

    /// The member a new link goes to when none is named: the first one.
    pub fn first_member(&self) -> Result<MemberId, StoreError> {
        // A household always keeps one member (`remove_member` needs an heir).
        Ok(MemberId(self.conn.query_row("SELECT min(id) FROM members", [], |r| r.get(0))?))
    }

    pub fn member(&self, id: MemberId) -> Result<Member, HouseholdError> {
        self.conn
            .query_row(&format!("SELECT {MEMBER_COLUMNS} FROM members WHERE id = ?1"), [id.0], member)
            .optional()
            .map_err(StoreError::from)?
            .ok_or(HouseholdError::UnknownMember(id))
    }

    /// The member called `name` (as typed: trimmed, exact otherwise).
    pub fn member_named(&self, name: &str) -> Result<Member, HouseholdError> {
        let members = self.members()?;
        let wanted = name.trim();
        members.iter().find(|m| m.name == wanted).cloned().ok_or_else(|| HouseholdError::UnknownMemberName {
            name: wanted.to_owned(),
            known: members.into_iter().map(|m| m.name).collect(),
        })
    }

    /// Adds a member; without a colour, the first of the palette no member has.
    pub fn add_member(
        &mut self,
        name: &str,
        colour: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<Member, HouseholdError> {
        let name = household::clean_name(name)?;
        let colour = match colour {
            Some(c) => household::clean_colour(c)?,
            None => {
                let taken: Vec<String> = self.members()?.into_iter().map(|m| m.colour).collect();
                household::next_colour(taken.iter().map(String::as_str)).to_owned()
            }
        };
        let tx = self.conn.transaction().map_err(StoreError::from)?;
        let id: i64 = tx
            .query_row(
                "INSERT INTO members (name, colour, created_at, updated_at, uid)
                 VALUES (?1, ?2, ?3, ?3, lower(hex(randomblob(16)))) RETURNING id",
                params![name, colour, now],
                |r| r.get(0),
            )
            .map_err(name_taken(&name))?;
        super::share::stamp_member(&tx, MemberId(id), &["name", "colour"])?;
        tx.commit().map_err(StoreError::from)?;
        self.member(MemberId(id))
    }

    /// Renames and/or recolours a member.
    pub fn update_member(
        &mut self,
        id: MemberId,
        name: Option<&str>,
        colour: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<Member, HouseholdError> {
        let current = self.member(id)?;
        let name = name.map(household::clean_name).transpose()?;
        let colour = colour.map(household::clean_colour).transpose()?;
        let changed: Vec<&str> = [("name", name.is_some()), ("colour", colour.is_some())]
            .into_iter()
            .filter_map(|(field, set)| set.then_some(field))
            .collect();
        let name = name.unwrap_or(current.name);
        let tx = self.conn.transaction().map_err(StoreError::from)?;
        tx.execute(
            "UPDATE members SET name = ?2, colour = ?3, updated_at = ?4 WHERE id = ?1",
            params![id.0, name, colour.unwrap_or(current.colour), now],
        )
        .map_err(name_taken(&name))?;
        super::share::stamp_member(&tx, id, &changed)?;
        tx.commit().map_err(StoreError::from)?;
        self.member(id)
    }

    /// Removes a member, handing their links (and so their accounts and history) to `heir`.
    /// Nothing is deleted but the member.
    pub fn remove_member(&mut self, id: MemberId, heir: MemberId, now: DateTime<Utc>) -> Result<(), HouseholdError> {
        let gone = self.member(id)?;
        self.member(heir)?;
        if heir == id {
            return Err(HouseholdError::MoveToSelf { name: gone.name });
        }
        let tx = self.conn.transaction().map_err(StoreError::from)?;
        tx.execute("UPDATE links SET member_id = ?2, updated_at = ?3 WHERE member_id = ?1", params![id.0, heir.0, now])
            .map_err(StoreError::from)?;
        // A tombstone, so the household's other desktops remove them too.
        super::share::stamp_member(&tx, id, &["removed"])?;
        tx.execute("DELETE FROM members WHERE id = ?1", [id.0]).map_err(StoreError::from)?;
        tx.commit().map_err(StoreError::from)?;
        Ok(())
    }

    /// The accounts reached through `member`'s links.
    pub fn accounts_of_member(&self, member: MemberId) -> Result<Vec<MemberAccount>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT a.id, a.remote_account_id, a.hidden FROM accounts a JOIN links l ON l.id = a.link_id
             WHERE l.member_id = ?1 ORDER BY a.id",
        )?;
        let rows = stmt.query_map([member.0], |r| {
            Ok(MemberAccount { id: AccountId(r.get(0)?), kura_id: r.get(1)?, hidden: r.get(2)? })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Forgets the members no link belongs to, without a trace for other desktops (joining a
    /// household, before this desktop's members were ever shared). May leave none.
    pub fn drop_idle_members(&mut self) -> Result<usize, StoreError> {
        Ok(self.conn.execute("DELETE FROM members WHERE id NOT IN (SELECT member_id FROM links)", [])?)
    }

    /// Gives a link (its accounts and their history with it) to another member.
    pub fn assign_link(&mut self, link: LinkId, to: MemberId, now: DateTime<Utc>) -> Result<(), HouseholdError> {
        self.member(to)?;
        let n = self
            .conn
            .execute("UPDATE links SET member_id = ?2, updated_at = ?3 WHERE id = ?1", params![link.0, to.0, now])
            .map_err(StoreError::from)?;
        if n == 0 {
            return Err(HouseholdError::UnknownLink(link));
        }
        Ok(())
    }
}
