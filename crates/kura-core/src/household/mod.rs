//! The household: the people whose consents share one book. Every link, and through it every
//! account, belongs to one member; the views and exports show the whole household or one member.

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::explain;
use crate::i18n::{Explain, Explanation, Language};
use crate::model::{LinkId, MemberId};
use crate::store::StoreError;

/// The colours offered for members, in the order a new member takes them (the first unused).
pub const PALETTE: [&str; 8] = ["#2f6fb0", "#c0504d", "#4f9a55", "#9a5fb4", "#d08a2e", "#2e9a9a", "#b0577f", "#6b7280"];

/// The member a new data folder starts with (store/migrations/007_members.sql names it too).
pub const FIRST_MEMBER_NAME: &str = "わたし";

/// Longest name kept, in characters: it labels a chip and a column.
pub const MAX_NAME_CHARS: usize = 40;

/// A member as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Member {
    pub id: MemberId,
    /// The member's id on every desktop of the household.
    pub uid: String,
    pub name: String,
    /// `#rrggbb`, lower case.
    pub colour: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// Why a change to the household was refused. Nothing is changed by a refusal.
#[derive(Debug, thiserror::Error)]
#[error("{}", self.explain(Language::En).summary())]
pub enum HouseholdError {
    #[error(transparent)]
    Store(#[from] StoreError),
    EmptyName,
    NameTooLong {
        name: String,
    },
    NameTaken {
        name: String,
    },
    BadColour {
        colour: String,
    },
    UnknownMember(MemberId),
    UnknownMemberName {
        name: String,
        known: Vec<String>,
    },
    /// A household keeps at least one member: the links need someone to belong to.
    LastMember {
        name: String,
    },
    /// Removing a member hands their links to another member, not to themselves.
    MoveToSelf {
        name: String,
    },
    UnknownLink(LinkId),
    /// A view or export of one member who holds no account (among those asked for).
    NoAccounts {
        name: String,
    },
}

impl Explain for HouseholdError {
    fn explain(&self, lang: Language) -> Explanation {
        use HouseholdError as E;
        match self {
            E::Store(e) => e.explain(lang),
            E::EmptyName => explain!(lang, "household-empty-name"),
            E::NameTooLong { name } => {
                explain!(lang, "household-name-too-long", name = name.as_str(), max = MAX_NAME_CHARS)
            }
            E::NameTaken { name } => explain!(lang, "household-name-taken", name = name.as_str()),
            E::BadColour { colour } => explain!(lang, "household-bad-colour", colour = colour.as_str()),
            E::UnknownMember(id) => explain!(lang, "household-unknown-member", id = id.0),
            E::UnknownMemberName { name, known } => {
                explain!(lang, "household-unknown-member-name", name = name.as_str(), known = known.join(", "))
            }
            E::LastMember { name } => explain!(lang, "household-last-member", name = name.as_str()),
            E::MoveToSelf { name } => explain!(lang, "household-move-to-self", name = name.as_str()),
            E::UnknownLink(id) => explain!(lang, "household-unknown-link", id = id.0),
            E::NoAccounts { name } => explain!(lang, "household-no-accounts", name = name.as_str()),
        }
    }
}

/// A member's name as kept: trimmed, not empty, not too long.
pub fn clean_name(name: &str) -> Result<String, HouseholdError> {
    let name = name.trim();
    if name.is_empty() {
        return Err(HouseholdError::EmptyName);
    }
    if name.chars().count() > MAX_NAME_CHARS {
        return Err(HouseholdError::NameTooLong { name: name.to_owned() });
    }
    Ok(name.to_owned())
}

/// A colour as kept: `#rrggbb` (or `#RRGGBB`), lower-cased.
pub fn clean_colour(colour: &str) -> Result<String, HouseholdError> {
    let c = colour.trim();
    let hex = c.strip_prefix('#').filter(|h| h.len() == 6 && h.bytes().all(|b| b.is_ascii_hexdigit()));
    match hex {
        Some(h) => Ok(format!("#{}", h.to_ascii_lowercase())),
        None => Err(HouseholdError::BadColour { colour: colour.to_owned() }),
    }
}

/// The first palette colour no member has yet (the first one again once all are taken).
pub fn next_colour<'a>(taken: impl IntoIterator<Item = &'a str> + Clone) -> &'static str {
    PALETTE.iter().copied().find(|c| !taken.clone().into_iter().any(|t| t == *c)).unwrap_or(PALETTE[0])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_trimmed_and_bounded() {
        assert_eq!(clean_name("  花子 ").unwrap(), "花子");
        assert!(matches!(clean_name(" \u{3000} "), Err(HouseholdError::EmptyName)));
        assert!(clean_name(&"あ".repeat(MAX_NAME_CHARS)).is_ok());
        assert!(matches!(clean_name(&"あ".repeat(MAX_NAME_CHARS + 1)), Err(HouseholdError::NameTooLong { .. })));
    }

    #[test]
    fn colours_are_hex_and_lower_case() {
        assert_eq!(clean_colour("#C0504D").unwrap(), "#c0504d");
        for bad in ["c0504d", "#c0504", "#g0504d", "red", ""] {
            assert!(matches!(clean_colour(bad), Err(HouseholdError::BadColour { .. })), "{bad}");
        }
    }

    #[test]
    fn a_new_member_takes_the_first_free_colour() {
        assert_eq!(next_colour([]), PALETTE[0]);
        assert_eq!(next_colour([PALETTE[0], PALETTE[2]]), PALETTE[1]);
        assert_eq!(next_colour(PALETTE), PALETTE[0]);
    }
}
