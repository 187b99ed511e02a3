//! Domain types shared across the core: what the sync engine hands to the store, and the ids and
//! states the store hands back. Amounts are integer yen; dates are JST calendar dates; instants
//! are UTC.

use std::fmt;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

id_type!(
    /// A link: one consent at one union, for one profile.
    LinkId
);
id_type!(
    /// An account in the local store (stable across unlink and re-link).
    AccountId
);
id_type!(
    /// One row of the sync-run log.
    SyncRunId
);
id_type!(
    /// A category of the household's books (大項目 or 中項目).
    CategoryId
);
id_type!(
    /// A rule that files lines into categories.
    RuleId
);
id_type!(
    /// A member of the household (世帯メンバー): every link, and its accounts, is one member's.
    MemberId
);

/// When the bank says its data is as of: the JST calendar date and the exact instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AsOf {
    pub date: NaiveDate,
    pub at: DateTime<Utc>,
}

/// The state of a link's consent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LinkStatus {
    Active,
    /// The consent can no longer be refreshed; the user must link again. Data is kept.
    ReauthRequired,
    /// The user unlinked or the bank revoked the grant. Data is kept.
    Revoked,
}

/// The state of a sync run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SyncRunStatus {
    Running,
    Ok,
    Failed,
    /// Some accounts synced, others failed.
    Partial,
}

/// Whether an account's balance agrees with its transactions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReconcileStatus {
    Ok,
    /// The new transactions do not add up to the balance change.
    Mismatch,
}

macro_rules! sql_text_enum {
    ($name:ident { $($variant:ident => $text:literal),+ $(,)? }) => {
        impl $name {
            /// The text stored in the database (and shown in logs).
            pub const fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = $crate::model::UnknownValue;
            fn from_str(s: &str) -> Result<Self, $crate::model::UnknownValue> {
                match s {
                    $($text => Ok($name::$variant),)+
                    _ => Err($crate::model::UnknownValue { kind: stringify!($name), value: s.to_owned() }),
                }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

sql_text_enum!(LinkStatus { Active => "active", ReauthRequired => "reauth_required", Revoked => "revoked" });
sql_text_enum!(SyncRunStatus { Running => "running", Ok => "ok", Failed => "failed", Partial => "partial" });
sql_text_enum!(ReconcileStatus { Ok => "ok", Mismatch => "mismatch" });

pub(crate) use sql_text_enum;

/// A stored enum column held a value this version of Kura does not know.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {kind} value {value:?}")]
pub struct UnknownValue {
    pub kind: &'static str,
    pub value: String,
}

/// A link as the linking code records it. Never holds a secret: tokens live in the keyring.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewLink {
    /// 4-digit union code.
    pub bank_code: String,
    /// Whose consent it is.
    pub member: MemberId,
    /// The connection profile (endpoints, client id) the link was made through.
    pub profile: String,
    /// Granted scopes, space-separated as OAuth sends them.
    pub scope: String,
    pub consent_expires_at: Option<DateTime<Utc>>,
}

pub use kura_openapi::AccountIdentity;

/// An account as the API lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemoteAccount {
    pub account_id: String,
    pub identity: AccountIdentity,
    pub currency_code: String,
}

/// A balance as the API states it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BalanceReading {
    pub balance: i64,
    pub withdrawable: i64,
    pub as_of: AsOf,
}

/// One transaction line as the bank states it: fetched, stored, listed and exported alike.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Transaction {
    /// JST calendar date of the posting.
    pub transaction_date: NaiveDate,
    pub value_date: Option<NaiveDate>,
    /// Signed: credits (入金) positive, debits (出金) negative.
    pub amount: i64,
    /// Balance after this line, when the bank sends it.
    pub balance: Option<i64>,
    /// Exactly as the bank sent it.
    pub remarks: String,
    /// The bank's stable key of the line; some unions send none.
    pub item_key: Option<String>,
}

/// A period of history that can no longer be fetched from the bank and was never stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Gap {
    pub date_from: NaiveDate,
    pub date_to: NaiveDate,
    pub detected_at: DateTime<Utc>,
}
