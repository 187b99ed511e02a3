//! What a person should hear about outside the window: links that need re-authentication, keep
//! failing, or whose consent lapses soon. Each is told once per episode (a consent reminder once
//! a day, across restarts), in the person's language; the shells only show what this decides.
//! A look at the store after every sync and on a timer also sees syncs by the CLI or `kura serve`.

use std::collections::HashSet;
use std::sync::Mutex;

use chrono::{DateTime, TimeDelta, Utc};

use super::reminders::{self, ConsentReminder, ReminderLog};
use crate::format::{date, jst_date};
use crate::i18n::Language;
use crate::institutions;
use crate::model::{LinkId, LinkStatus};
use crate::store::LinkRow;
use crate::t;

/// A link whose syncs have failed for this long (with no success since) "keeps failing".
pub const FAILING_FOR: TimeDelta = TimeDelta::hours(6);

/// Something to tell the person about one link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alert {
    pub link: LinkId,
    pub kind: AlertKind,
    pub title: String,
    pub body: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AlertKind {
    /// The consent lapses within [`reminders::REMIND_DAYS`].
    ConsentEndsSoon,
    /// The consent has lapsed.
    ConsentEnded,
    /// Only a new login helps (the union refused the grant, or gave no refresh token).
    ReauthRequired,
    /// Syncing has failed for [`FAILING_FOR`] with no success since.
    KeepsFailing,
}

/// What one look at the links found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlertCheck {
    /// The last successful sync of any link (the tray shows it).
    pub last_sync: Option<DateTime<Utc>>,
    /// What the person has not been told yet.
    pub alerts: Vec<Alert>,
}

/// What the person has been told, so each thing is said once.
pub struct Alerts {
    told: Mutex<Told>,
    reminders: Mutex<ReminderLog>,
}

#[derive(Default)]
struct Told {
    reauth: HashSet<LinkId>,
    failing: HashSet<LinkId>,
}

impl Alerts {
    /// Remembers the consent reminders given in `data_dir` (across restarts); the rest only while
    /// this process runs.
    pub fn new(data_dir: &std::path::Path) -> Alerts {
        Alerts { told: Mutex::default(), reminders: Mutex::new(ReminderLog::load(data_dir)) }
    }

    /// Looks at `links` at `now`: what has not been told yet, which now counts as told.
    pub fn check(&self, links: &[LinkRow], now: DateTime<Utc>, lang: Language) -> AlertCheck {
        let due = {
            let mut log = self.reminders.lock().unwrap_or_else(|p| p.into_inner());
            let due = log.take_due(&reminders::reminders(links, now), jst_date(now));
            if !due.is_empty()
                && let Err(e) = log.save()
            {
                tracing::warn!(error = %e, "the consent reminders may come again today");
            }
            due
        };
        let found = assess(links, now);
        let (reauth, failing) = {
            let mut told = self.told.lock().unwrap_or_else(|p| p.into_inner());
            (newly(&mut told.reauth, &found.reauth), newly(&mut told.failing, &found.failing))
        };
        let union = |id: LinkId| links.iter().find(|l| l.id == id).map(|l| institutions::name_of(&l.bank_code));
        let mut alerts: Vec<Alert> = due.iter().map(|r| consent_alert(r, lang)).collect();
        for (ids, kind) in [(reauth, AlertKind::ReauthRequired), (failing, AlertKind::KeepsFailing)] {
            for link in ids {
                let union = union(link).unwrap_or_default();
                let (title, body) = match kind {
                    AlertKind::ReauthRequired => (t!(lang, "alert-reauth-title"), t!(lang, "alert-reauth-body", union)),
                    _ => (t!(lang, "alert-failing-title"), t!(lang, "alert-failing-body", union)),
                };
                alerts.push(Alert { link, kind, title, body });
            }
        }
        AlertCheck { last_sync: found.last_sync, alerts }
    }
}

/// The reminder before (or after) a consent lapses.
fn consent_alert(r: &ConsentReminder, lang: Language) -> Alert {
    let union = institutions::name_of(&r.bank_code);
    let on = date(jst_date(r.expires_at));
    let (kind, title, body) = if r.days_left < 0 {
        (
            AlertKind::ConsentEnded,
            t!(lang, "alert-consent-ended-title"),
            t!(lang, "alert-consent-ended-body", union, on),
        )
    } else {
        let days = r.days_left;
        (
            AlertKind::ConsentEndsSoon,
            t!(lang, "alert-consent-soon-title"),
            t!(lang, "alert-consent-soon-body", union, on, days),
        )
    };
    Alert { link: r.link, kind, title, body }
}

/// What one look at the store found, before anything is told.
#[derive(Debug, PartialEq, Eq)]
struct Findings {
    last_sync: Option<DateTime<Utc>>,
    reauth: Vec<LinkId>,
    failing: Vec<LinkId>,
}

fn assess(links: &[LinkRow], now: DateTime<Utc>) -> Findings {
    let last_sync = links.iter().filter_map(|l| l.last_sync_at).max();
    let reauth = links.iter().filter(|l| l.status == LinkStatus::ReauthRequired).map(|l| l.id).collect();
    let failing = links
        .iter()
        .filter(|l| {
            l.status == LinkStatus::Active
                && l.last_error.is_some()
                && now - l.last_sync_at.unwrap_or(l.created_at) > FAILING_FOR
        })
        .map(|l| l.id)
        .collect();
    Findings { last_sync, reauth, failing }
}

/// The ids in `current` not told before; forgets the ones no longer current, so the next
/// episode is told again.
fn newly(told: &mut HashSet<LinkId>, current: &[LinkId]) -> Vec<LinkId> {
    told.retain(|id| current.contains(id));
    current.iter().copied().filter(|id| told.insert(*id)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn link(id: i64, status: LinkStatus, last_sync_at: Option<&str>, last_error: Option<&str>) -> LinkRow {
        let t = |s: &str| DateTime::parse_from_rfc3339(s).unwrap().to_utc();
        LinkRow {
            id: LinkId(id),
            bank_code: "2011".into(),
            profile: "sandbox".into(),
            member_id: crate::model::MemberId(1),
            polled_by: None,
            status,
            scope: "balance transactions".into(),
            consent_expires_at: None,
            created_at: t("2026-11-01T00:00:00Z"),
            updated_at: t("2026-11-01T00:00:00Z"),
            last_sync_at: last_sync_at.map(t),
            last_error: last_error.map(str::to_owned),
        }
    }

    #[test]
    fn finds_the_last_sync_and_the_links_to_tell_about() {
        let now = DateTime::parse_from_rfc3339("2026-11-24T12:00:00Z").unwrap().to_utc();
        let links = [
            link(1, LinkStatus::Active, Some("2026-11-24T11:00:00Z"), None),
            link(2, LinkStatus::ReauthRequired, Some("2026-11-20T00:00:00Z"), Some("invalid_grant")),
            link(3, LinkStatus::Active, Some("2026-11-24T01:00:00Z"), Some("network")),
            link(4, LinkStatus::Active, Some("2026-11-24T10:00:00Z"), Some("rate limited")),
            link(5, LinkStatus::Revoked, None, Some("revoked")),
        ];
        let found = assess(&links, now);
        assert_eq!(found.last_sync, links[0].last_sync_at);
        assert_eq!(found.reauth, vec![LinkId(2)]);
        assert_eq!(found.failing, vec![LinkId(3)]);
    }

    #[test]
    fn tells_once_per_episode() {
        let mut told = HashSet::new();
        assert_eq!(newly(&mut told, &[LinkId(1), LinkId(2)]), vec![LinkId(1), LinkId(2)]);
        assert_eq!(newly(&mut told, &[LinkId(1), LinkId(2)]), vec![]);
        assert_eq!(newly(&mut told, &[LinkId(2)]), vec![]);
        assert_eq!(newly(&mut told, &[LinkId(1), LinkId(2)]), vec![LinkId(1)]);
    }

    #[test]
    fn a_check_tells_each_link_once_in_the_chosen_language() {
        let dir = tempfile::tempdir().unwrap();
        let alerts = Alerts::new(dir.path());
        let now = DateTime::parse_from_rfc3339("2026-11-24T12:00:00Z").unwrap().to_utc();
        let links = [link(2, LinkStatus::ReauthRequired, None, Some("invalid_grant"))];
        let first = alerts.check(&links, now, Language::Ja);
        assert_eq!(first.alerts.len(), 1);
        assert_eq!(first.alerts[0].kind, AlertKind::ReauthRequired);
        assert_eq!(first.alerts[0].title, "再認証が必要です");
        assert!(first.alerts[0].body.starts_with("北央信用組合の連携"), "{}", first.alerts[0].body);
        assert!(alerts.check(&links, now, Language::En).alerts.is_empty(), "told already");
    }

    fn reminder(expires_at: DateTime<Utc>, days_left: i64) -> ConsentReminder {
        ConsentReminder { link: LinkId(1), bank_code: "2011".into(), expires_at, days_left }
    }

    fn message(r: &ConsentReminder, lang: Language) -> (String, String) {
        let alert = consent_alert(r, lang);
        (alert.title, alert.body)
    }

    #[test]
    fn names_the_union_and_the_jst_date_in_the_chosen_language() {
        // 2099-03-01 20:00 UTC is already 3/2 in Japan.
        let soon = DateTime::parse_from_rfc3339("2099-03-01T20:00:00Z").unwrap().to_utc();
        let (title, body) = message(&reminder(soon, 5), Language::Ja);
        assert_eq!(title, "同意の期限が近づいています");
        assert_eq!(
            body,
            "北央信用組合の連携の同意は2099/03/02に切れます（あと5日）。Kura の「連携」から再認証すると同期が続きます。"
        );
        let (title, body) = message(&reminder(soon, 1), Language::En);
        assert_eq!(title, "Consent ends soon");
        assert_eq!(
            body,
            "The consent for 北央信用組合 ends on 2099/03/02 (1 day left). Re-authenticate under Links in Kura to keep syncing."
        );
        assert!(message(&reminder(soon, 0), Language::Ja).1.contains("あと1日未満"));
        assert!(message(&reminder(soon, 0), Language::En).1.contains("less than a day left"));
        assert!(message(&reminder(soon, 9), Language::En).1.contains("9 days left"));
    }

    #[test]
    fn says_when_the_consent_has_already_lapsed() {
        let past = Utc::now() - TimeDelta::hours(3);
        let (title, body) = message(&reminder(past, -1), Language::Ja);
        assert_eq!(title, "同意の期限が切れました");
        assert!(body.starts_with("北央信用組合の連携の同意は") && body.contains("再開"), "{body}");
        assert_eq!(message(&reminder(past, -1), Language::En).0, "Consent has ended");
    }
}
