//! `kura links`: every link with its status and how long its consent lasts.

use chrono::Utc;
use kura_core::institutions;
use kura_core::model::LinkStatus;
use kura_core::oauth::consent;
use kura_core::store::{LinkRow, Store};

use crate::Global;

#[derive(clap::Args, Debug)]
pub struct Args {}

pub async fn run(_args: Args, global: &Global) -> anyhow::Result<()> {
    let store = Store::open(global.data_dir.as_deref())?;
    let links = store.links()?;
    if links.is_empty() {
        println!("No unions linked yet. Link one with `kura link <union code>`, e.g. `kura link 2011`.");
        return Ok(());
    }
    let now = Utc::now();
    for link in &links {
        let accounts = store.accounts_of_link(link.id)?.len();
        println!(
            "{:>4}  {}  {}  {} account(s)  {}",
            link.id,
            union_name(&link.bank_code),
            status_text(link.status),
            accounts,
            consent_text(link, now)
        );
        if let Some(error) = &link.last_error {
            println!("      last error: {error}");
        }
    }
    print_reminders(&links);
    Ok(())
}

fn union_name(code: &str) -> String {
    institutions::by_code(code).map_or_else(|| code.to_owned(), |i| format!("{code} {}", i.name))
}

fn status_text(status: LinkStatus) -> &'static str {
    match status {
        LinkStatus::Active => "active",
        LinkStatus::ReauthRequired => "reauth required (run `kura link` for this union again)",
        LinkStatus::Revoked => "revoked (unlinked; cached data kept)",
    }
}

fn consent_text(link: &LinkRow, now: chrono::DateTime<Utc>) -> String {
    match link.consent_expires_at {
        None => "consent expiry unknown".into(),
        Some(at) => match consent::days_left(at, now) {
            d if d < 0 => "consent expired".into(),
            0 => "consent expires today".into(),
            1 => "consent expires in 1 day".into(),
            d => format!("consent expires in {d} days"),
        },
    }
}

/// Prints a reminder for every active link whose consent lapses within two weeks, so the user
/// renews it before syncing stops.
pub fn print_reminders(links: &[LinkRow]) {
    for r in consent::reminders(links, Utc::now()) {
        let union = union_name(&r.bank_code);
        if r.days_left < 0 {
            eprintln!("Reminder: the consent for {union} has expired; run `kura link {}` to renew it.", r.bank_code);
        } else {
            eprintln!(
                "Reminder: the consent for {union} expires in {} day(s); run `kura link {}` to renew it before syncing stops.",
                r.days_left, r.bank_code
            );
        }
    }
}
