//! What one segment of a desktop's log carries (its sealed body: JSON, deflated). Everything is
//! named by keys that mean the same on every desktop: a member's uid, a link's key at the desktop
//! that polls it, an account's identity (union, branch, type, number), a line's natural key.

use std::io::{Read, Write};

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::model::AccountIdentity;

/// The most a body may inflate to: far above any log's segment, far below a machine's memory.
const MAX_BODY: u64 = 2 << 30;

impl Body {
    /// The body as a segment holds it (JSON repeats its field names, so it deflates ~5-10x).
    pub fn encode(&self) -> Vec<u8> {
        let mut out = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::fast());
        serde_json::to_writer(&mut out, self).expect("a segment serialises");
        out.flush().expect("writing to memory");
        out.finish().expect("writing to memory")
    }

    /// Reads what [`Body::encode`] wrote; the error says what is wrong with it.
    pub fn decode(bytes: &[u8]) -> Result<Body, String> {
        let mut json = Vec::new();
        flate2::read::DeflateDecoder::new(bytes).take(MAX_BODY).read_to_end(&mut json).map_err(|e| e.to_string())?;
        serde_json::from_slice(&json).map_err(|e| e.to_string())
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Body {
    /// The writing desktop's name, as Settings shows it on the others.
    pub desktop_name: String,
    pub written_at: Option<DateTime<Utc>>,
    /// Every member as the writer has them (a household has few), with when each field was set.
    pub members: Vec<MemberRecord>,
    /// Members the writer removed.
    pub removed_members: Vec<Tombstone>,
    /// The writer's own categories and those whose fields it set, each field with when.
    pub categories: Vec<CategoryRecord>,
    /// Categories the writer deleted, and where their lines went.
    #[serde(default)]
    pub removed_categories: Vec<CategoryTombstone>,
    /// The links this desktop polls (never their tokens).
    pub links: Vec<LinkRecord>,
    /// Their accounts, with the lines and balances new since the writer's previous segment.
    pub accounts: Vec<AccountRecord>,
    /// What the person set on lines, each field with when.
    pub line_edits: Vec<LineEdit>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MemberRecord {
    pub uid: String,
    pub name: String,
    pub name_set: String,
    pub colour: String,
    pub colour_set: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Tombstone {
    pub uid: String,
    pub at: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CategoryRecord {
    pub uid: String,
    pub parent: Option<String>,
    pub kind: String,
    pub name: String,
    pub name_en: Option<String>,
    #[serde(default)]
    pub journal_account: Option<String>,
    /// A spending 大項目's monthly budget.
    #[serde(default)]
    pub budget: Option<i64>,
    /// When each field was set (empty: never, by anyone).
    #[serde(default)]
    pub set: CategoryClocks,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CategoryClocks {
    pub name: String,
    pub name_en: String,
    pub journal_account: String,
    pub budget: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CategoryTombstone {
    pub uid: String,
    pub at: String,
    /// The category its lines and rules went to (none: uncategorised).
    pub moved_to: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LinkRecord {
    /// `<desktop>/<link id there>`.
    pub key: String,
    pub bank_code: String,
    pub profile: String,
    pub member: String,
    pub status: String,
    pub consent_expires_at: Option<DateTime<Utc>>,
    pub last_sync_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AccountRecord {
    pub link: String,
    pub remote_account_id: String,
    pub identity: AccountIdentity,
    pub currency: String,
    pub synced_through: Option<NaiveDate>,
    pub last_synced_at: Option<DateTime<Utc>>,
    /// In the order the writer stored them (by day).
    pub lines: Vec<LineRecord>,
    pub balances: Vec<BalanceRecord>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LineRecord {
    pub date: NaiveDate,
    pub value_date: Option<NaiveDate>,
    pub amount: i64,
    pub balance: Option<i64>,
    pub remarks: String,
    pub item_key: Option<String>,
    /// Its place among identical lines of its day (1 for the first).
    pub occurrence: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BalanceRecord {
    pub balance: i64,
    pub withdrawable: i64,
    pub base_date: NaiveDate,
    pub base_at: DateTime<Utc>,
    pub fetched_at: DateTime<Utc>,
}

/// One field the person set on one line.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LineEdit {
    /// The line's natural key (see `store::share::line_key`).
    pub line: String,
    pub field: LineField,
    pub at: String,
}

/// The field and its value: a category by its uid.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", tag = "field", content = "value")]
pub enum LineField {
    Category(Option<String>),
    Memo(Option<String>),
    Transfer(bool),
}

impl LineField {
    pub fn name(&self) -> &'static str {
        match self {
            LineField::Category(_) => "category",
            LineField::Memo(_) => "memo",
            LineField::Transfer(_) => "transfer",
        }
    }
}
