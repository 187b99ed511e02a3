//! The reminder before a link's consent lapses: an OS notification per link at most once a day
//! (kura-core's `ReminderLog` remembers the day across restarts), in the language the user
//! chose, so they renew before syncing stops rather than after.

use std::sync::Mutex;

use chrono::{DateTime, Utc};
use kura_core::commands::AppContext;
use kura_core::commands::settings::Language;
use kura_core::format::{date, jst_date};
use kura_core::oauth::consent::{self, ConsentReminder, ReminderLog};
use kura_core::store::LinkRow;
use tauri::{AppHandle, Manager};
use tauri_plugin_notification::NotificationExt;

/// The log of reminders given, shared by every look at the store (the timer and the syncs).
pub struct Reminders(Mutex<ReminderLog>);

impl Reminders {
    pub fn load(ctx: &AppContext) -> Reminders {
        Reminders(Mutex::new(ReminderLog::load(ctx.data_dir())))
    }
}

/// Notifies about every link whose consent lapses within the reminder window and that has not
/// been reminded today.
pub fn remind(app: &AppHandle, links: &[LinkRow], now: DateTime<Utc>) {
    let due = {
        let reminders = app.state::<Reminders>();
        let mut log = reminders.0.lock().unwrap_or_else(|p| p.into_inner());
        let due = log.take_due(&consent::reminders(links, now), jst_date(now));
        if !due.is_empty()
            && let Err(e) = log.save()
        {
            tracing::warn!(error = %e, "the consent reminders may come again today");
        }
        due
    };
    if due.is_empty() {
        return;
    }
    let language = app.state::<AppContext>().preferences().language;
    for reminder in &due {
        let (title, body) = message(reminder, language);
        if let Err(e) = app.notification().builder().title(title).body(body).show() {
            tracing::warn!(error = %e, "cannot show the consent reminder");
        }
    }
}

/// The notification's title and body.
fn message(r: &ConsentReminder, language: Language) -> (String, String) {
    let union = kura_core::institutions::by_code(&r.bank_code).map_or_else(|| r.bank_code.clone(), |i| i.name.clone());
    let on = date(jst_date(r.expires_at));
    match (language, r.days_left < 0) {
        (Language::Ja, false) => (
            "同意の期限が近づいています".to_owned(),
            format!(
                "{union}の連携の同意は{on}に切れます（{}）。Kura の「連携」から再認証すると同期が続きます。",
                if r.days_left < 1 { "あと1日未満".to_owned() } else { format!("あと{}日", r.days_left) }
            ),
        ),
        (Language::Ja, true) => (
            "同意の期限が切れました".to_owned(),
            format!("{union}の連携の同意は{on}に切れました。Kura の「連携」から再認証すると同期を再開できます。"),
        ),
        (Language::En, false) => (
            "Consent ends soon".to_owned(),
            format!(
                "The consent for {union} ends on {on} ({}). Re-authenticate under Links in Kura to keep syncing.",
                match r.days_left {
                    ..1 => "less than a day left".to_owned(),
                    1 => "1 day left".to_owned(),
                    n => format!("{n} days left"),
                }
            ),
        ),
        (Language::En, true) => (
            "Consent has ended".to_owned(),
            format!("The consent for {union} ended on {on}. Re-authenticate under Links in Kura to resume syncing."),
        ),
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeDelta;
    use kura_core::model::LinkId;

    use super::*;

    fn reminder(expires_at: DateTime<Utc>, days_left: i64) -> ConsentReminder {
        ConsentReminder { link: LinkId(1), bank_code: "2011".into(), expires_at, days_left }
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
