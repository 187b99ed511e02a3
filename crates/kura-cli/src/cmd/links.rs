//! `kura links`: every link with its status and how long its consent lasts.

use chrono::Utc;
use kura_core::app::links::{self, LinkItem, LinkState, LinksListRequest};
use kura_core::app::{AppContext, reminders};
use kura_core::i18n::Language;
use kura_core::{institutions, t};

use crate::error::CliError;
use crate::term::Term;

#[derive(clap::Args, Debug)]
pub struct Args {}

pub async fn run(_args: Args, ctx: &AppContext, term: &Term) -> Result<(), CliError> {
    let lang = term.lang;
    let listed = links::list(ctx, LinksListRequest {}).await?.links;
    if listed.is_empty() {
        println!("{}", t!(lang, "cli-none-linked"));
        return Ok(());
    }
    for link in &listed {
        let line = t!(
            lang,
            "cli-links-line",
            id = format!("{:>4}", link.id),
            union = t!(lang, "cli-union-code-first", code = link.bank_code.as_str(), name = link.bank_name.as_str()),
            status = status_text(lang, link.status),
            count = link.account_count,
            consent = consent_text(lang, link),
        );
        println!("{line}");
        if let Some(error) = &link.last_error {
            println!("      {}", t!(lang, "cli-links-last-error", message = error.message.as_str()));
        }
    }
    print_reminders(ctx, lang)
}

pub fn status_text(lang: Language, status: LinkState) -> String {
    match status {
        LinkState::Active => t!(lang, "cli-status-active"),
        LinkState::ReauthRequired => t!(lang, "cli-status-reauth"),
        LinkState::Revoked => t!(lang, "cli-status-revoked"),
    }
}

fn consent_text(lang: Language, link: &LinkItem) -> String {
    match link.consent_expires_at {
        None => t!(lang, "cli-consent-unknown"),
        Some(at) => match reminders::days_left(at, Utc::now()) {
            d if d < 0 => t!(lang, "cli-consent-expired"),
            0 => t!(lang, "cli-consent-today"),
            days => t!(lang, "cli-consent-in", days),
        },
    }
}

/// A reminder for every active link whose consent lapses within two weeks, so the person renews
/// it before syncing stops.
fn print_reminders(ctx: &AppContext, lang: Language) -> Result<(), CliError> {
    for r in reminders::due(ctx, Utc::now())? {
        let union =
            t!(lang, "cli-union-code-first", code = r.bank_code.as_str(), name = institutions::name_of(&r.bank_code));
        let code = r.bank_code.as_str();
        match r.days_left {
            ..0 => eprintln!("{}", t!(lang, "cli-reminder-expired", union, code)),
            days => eprintln!("{}", t!(lang, "cli-reminder-soon", union, days, code)),
        }
    }
    Ok(())
}
