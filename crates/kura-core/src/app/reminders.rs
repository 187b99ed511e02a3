//! Consent expiry: how long each link has left, and the reminder shown before one lapses so
//! the user renews it before syncing stops rather than after.

use std::collections::BTreeMap;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDate, Utc};

use crate::model::{LinkId, LinkStatus};
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

/// The reminders due now for `ctx`'s links, for a front end that shows them on every look (the
/// CLI's `kura links`); the desktop app's notifications go through [`super::alerts`], once a day.
pub fn due(ctx: &super::AppContext, now: DateTime<Utc>) -> Result<Vec<ConsentReminder>, super::CommandError> {
    // Only this desktop can renew the consents it holds.
    let links: Vec<LinkRow> = ctx.store().links()?.into_iter().filter(LinkRow::polled_here).collect();
    Ok(reminders(&links, now))
}

/// The file in the data folder that remembers which day each link was last reminded on.
const LOG_FILE: &str = "consent-reminders.json";

/// Which JST calendar day each link was last reminded on, so a reminder (an OS notification in
/// the desktop app) comes at most once per link per day, also across restarts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReminderLog {
    path: PathBuf,
    last: BTreeMap<i64, NaiveDate>,
}

#[derive(Debug, thiserror::Error)]
#[error("cannot record the consent reminders in {path}: {source}")]
pub struct ReminderLogError {
    path: String,
    source: std::io::Error,
}

impl ReminderLog {
    /// The log in `data_dir`; a missing or unreadable file is an empty log (at worst a
    /// reminder comes twice in a day, which beats never).
    pub fn load(data_dir: &Path) -> ReminderLog {
        let path = data_dir.join(LOG_FILE);
        let last = match std::fs::read(&path) {
            Ok(bytes) => serde_json::from_slice(&bytes).unwrap_or_else(|e| {
                tracing::warn!(path = %path.display(), error = %e, "ignoring an unreadable consent reminder log");
                BTreeMap::new()
            }),
            Err(_) => BTreeMap::new(),
        };
        ReminderLog { path, last }
    }

    /// The reminders not yet given on `today` (a JST date), now recorded as given; links no
    /// longer due are forgotten, so a renewed consent that lapses again is reminded afresh.
    /// Returns nothing new when called again the same day.
    pub fn take_due(&mut self, reminders: &[ConsentReminder], today: NaiveDate) -> Vec<ConsentReminder> {
        self.last.retain(|id, _| reminders.iter().any(|r| r.link.0 == *id));
        reminders.iter().filter(|r| self.last.insert(r.link.0, today) != Some(today)).cloned().collect()
    }

    /// Writes the log (atomically: a crash leaves the old one or the new one).
    pub fn save(&self) -> Result<(), ReminderLogError> {
        let json = serde_json::to_vec_pretty(&self.last).expect("dates serialise");
        crate::export::write_atomically(&self.path, |w| w.write_all(&json).map_err(Into::into))
            .map_err(|e| ReminderLogError { path: self.path.display().to_string(), source: std::io::Error::other(e) })
    }

    /// The day `link` was last reminded on.
    pub fn last_reminded(&self, link: LinkId) -> Option<NaiveDate> {
        self.last.get(&link.0).copied()
    }
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
            member_id: crate::model::MemberId(1),
            polled_by: None,
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

    fn reminder(id: i64, days_left: i64, now: DateTime<Utc>) -> ConsentReminder {
        ConsentReminder {
            link: LinkId(id),
            bank_code: "2011".into(),
            expires_at: now + Duration::days(days_left),
            days_left,
        }
    }

    #[test]
    fn reminds_each_link_once_a_day_across_restarts() {
        let dir = tempfile::tempdir().unwrap();
        let now = Utc::now();
        let day = |d: u32| NaiveDate::from_ymd_opt(2026, 11, d).unwrap();
        let due = [reminder(1, 5, now), reminder(2, 13, now)];

        let mut log = ReminderLog::load(dir.path());
        let first: Vec<i64> = log.take_due(&due, day(24)).iter().map(|r| r.link.0).collect();
        assert_eq!(first, [1, 2]);
        assert!(log.take_due(&due, day(24)).is_empty(), "a second look the same day reminds no one");
        log.save().unwrap();

        // A restart the same day: still nothing; the next day: both again.
        let mut log = ReminderLog::load(dir.path());
        assert_eq!(log.last_reminded(LinkId(1)), Some(day(24)));
        assert!(log.take_due(&due, day(24)).is_empty());
        assert_eq!(log.take_due(&due, day(25)).len(), 2);

        // Link 1 renewed (no longer due) is forgotten; when it is due again it is reminded at once.
        assert_eq!(log.take_due(&due[1..], day(25)), []);
        assert_eq!(log.last_reminded(LinkId(1)), None);
        assert_eq!(log.take_due(&due, day(25)), [due[0].clone()]);
    }

    #[test]
    fn an_unreadable_log_counts_as_empty() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(LOG_FILE), b"{not json").unwrap();
        let mut log = ReminderLog::load(dir.path());
        assert_eq!(
            log.take_due(&[reminder(7, 3, Utc::now())], NaiveDate::from_ymd_opt(2026, 11, 24).unwrap()).len(),
            1
        );
        log.save().unwrap();
        assert_eq!(ReminderLog::load(dir.path()), log);
    }
}
