//! `kura sync`: fetches new balances and history for every active link (or one) and prints,
//! per account, what is new, the balance, warnings and what to do about errors.

use kura_core::app::share;
use kura_core::app::sync::{self, LinkReport, SyncError, Warning};
use kura_core::app::{AppContext, links::LinkState};
use kura_core::format::{date, yen};
use kura_core::i18n::{Explain, Language};
use kura_core::model::SyncRunStatus;
use kura_core::{institutions, t};

use crate::cmd::links::status_text;
use crate::error::CliError;
use crate::term::Term;

#[derive(clap::Args, Debug)]
pub struct Args {
    #[arg(long)]
    pub link: Option<i64>,
}

pub async fn run(args: Args, ctx: &AppContext, term: &Term) -> Result<(), CliError> {
    let lang = term.lang;
    let synced = sync::sync_links(ctx, args.link).await?;
    let shared = share::status(ctx, share::ShareStatusRequest {}).await?.folder.is_some();
    if synced.is_empty() && !shared {
        println!("{}", t!(lang, "cli-none-linked"));
        return Ok(());
    }
    let mut failed = false;
    for link in &synced {
        let code = link.link.bank_code.as_str();
        let union = t!(lang, "cli-union-code-first", code, name = institutions::name_of(code));
        println!("{}", t!(lang, "cli-sync-link", union, id = link.link.id.0));
        match &link.report {
            None => {
                let status = status_text(lang, LinkState::from(link.link.status));
                println!("  {}", t!(lang, "cli-sync-skipped", status, code));
            }
            Some(report) => {
                failed |= report.status != SyncRunStatus::Ok;
                print_report(term, report, code);
            }
        }
    }
    // The household's other desktops see what this one fetched, and it what they did.
    if shared {
        let r = share::sync(ctx).await?;
        println!("{}", t!(lang, "cli-share-applied", segments = r.applied, lines = r.lines, edits = r.edits));
    }
    if failed {
        return Err(CliError::said(t!(lang, "cli-sync-some-failed")));
    }
    Ok(())
}

fn print_report(term: &Term, report: &LinkReport, code: &str) {
    let lang = term.lang;
    for a in &report.accounts {
        let balance = a.balance.map(yen).unwrap_or_else(|| "—".into());
        let account = a.remote_account_id.as_str();
        println!("  {}", t!(lang, "cli-sync-account", account, count = a.new_transactions, balance));
        for w in &a.warnings {
            println!("    {}", t!(lang, "cli-sync-warning", text = warning_text(lang, w)));
        }
        if let Some(e) = &a.error {
            println!("    {}", t!(lang, "cli-sync-error", text = e.explain(lang).what));
        }
    }
    if let Some(e) = &report.error {
        let explained = e.explain(lang);
        println!("  {}", t!(lang, "cli-sync-error", text = explained.what.as_str()));
        if let Some(todo) = todo(lang, e, code).or(explained.todo) {
            println!("  {}", t!(lang, "cli-sync-todo", text = todo));
        }
        if let (true, Some(detail)) = (term.verbose, explained.detail) {
            println!("  {}", t!(lang, "cli-details", detail));
        }
    }
}

fn warning_text(lang: Language, w: &Warning) -> String {
    match w {
        Warning::ReconcileMismatch { previous_balance, new_lines_sum, balance } => t!(
            lang,
            "cli-warning-mismatch",
            previous = yen(*previous_balance),
            lines = yen(*new_lines_sum),
            balance = yen(*balance)
        ),
        Warning::GapRecorded { date_from, date_to } => {
            t!(lang, "cli-warning-gap", from = date(*date_from), to = date(*date_to))
        }
        Warning::AtRisk { days } => t!(lang, "cli-warning-at-risk", days = *days),
    }
}

/// What to do, where the terminal knows better than the error: the command that re-links this
/// union, or how long the union asked to wait.
fn todo(lang: Language, e: &SyncError, code: &str) -> Option<String> {
    if e.needs_relink() {
        return Some(t!(lang, "cli-sync-relink", code));
    }
    e.retry_after().map(|d| t!(lang, "cli-sync-wait", minutes = d.as_secs().div_ceil(60)))
}
