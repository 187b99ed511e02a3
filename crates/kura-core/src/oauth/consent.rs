//! Consent expiry: how long each link has left, and the reminder shown before one lapses so
//! the user renews it before syncing stops rather than after.

use chrono::{DateTime, Utc};

use crate::model::LinkStatus;
use crate::store::LinkRow;

/// Remind this many days (or fewer) before a consent lapses.
pub const REMIND_DAYS: i64 = 14;

/// A link whose consent lapses soon (or has lapsed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsentReminder {
    pub link: crate::model::LinkId,
    pub bank_code: String,
    pub expires_at: DateTime<Utc>,
    /// Whole days left, rounded down; negative when already lapsed.
    pub days_left: i64,
}

/// Whole days until `expires_at` (negative once past), rounded down.
pub fn days_left(expires_at: DateTime<Utc>, now: DateTime<Utc>) -> i64 {
    (expires_at - now).num_seconds().div_euclid(86_400)
}

/// The active links whose consent lapses within [`REMIND_DAYS`].
pub fn reminders(links: &[LinkRow], now: DateTime<Utc>) -> Vec<ConsentReminder> {
    links
        .iter()
        .filter(|l| l.status == LinkStatus::Active)
        .filter_map(|l| {
            let expires_at = l.consent_expires_at?;
            let days_left = days_left(expires_at, now);
            (days_left < REMIND_DAYS).then(|| ConsentReminder {
                link: l.id,
                bank_code: l.bank_code.clone(),
                expires_at,
                days_left,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use chrono::Duration;

    use super::*;
    use crate::model::LinkId;

    fn link(id: i64, status: LinkStatus, expires: Option<Duration>, now: DateTime<Utc>) -> LinkRow {
        LinkRow {
            id: LinkId(id),
            bank_code: "2011".into(),
            profile: "sandbox".into(),
            status,
            scope: "balance".into(),
            consent_expires_at: expires.map(|d| now + d),
            created_at: now,
            updated_at: now,
            last_sync_at: None,
            last_error: None,
        }
    }

    #[test]
    fn reminds_of_active_links_lapsing_within_two_weeks() {
        let now = Utc::now();
        let links = [
            link(1, LinkStatus::Active, Some(Duration::days(90)), now),
            link(2, LinkStatus::Active, Some(Duration::days(13) + Duration::hours(5)), now),
            link(3, LinkStatus::Active, Some(Duration::hours(-1)), now),
            link(4, LinkStatus::Revoked, Some(Duration::days(1)), now),
            link(5, LinkStatus::Active, None, now),
            link(6, LinkStatus::Active, Some(Duration::days(14)), now),
        ];
        let r = reminders(&links, now);
        assert_eq!(r.iter().map(|r| (r.link.0, r.days_left)).collect::<Vec<_>>(), [(2, 13), (3, -1)]);
    }
}
