//! `kura sync`: fetches new balances and history for every active link (or one) and prints,
//! per account, what is new, the balance, warnings and what to do about errors.

use std::sync::{Arc, Mutex};

use anyhow::Context;
use kura_core::commands::sync::ProfileConnector;
use kura_core::format::yen;
use kura_core::institutions;
use kura_core::model::{LinkId, LinkStatus, SyncRunStatus};
use kura_core::profile::Profiles;
use kura_core::secrets::SecretStore;
use kura_core::store::{self, Store};
use kura_core::sync::{LinkConnector, LinkReport, SyncEngine, SyncError, SyncOptions, Warning};

use crate::Global;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Sync only this link (see `kura links`).
    #[arg(long)]
    pub link: Option<i64>,
}

pub async fn run(args: Args, global: &Global) -> anyhow::Result<()> {
    let profiles = Profiles::load()?;
    let data_dir = store::data_dir(global.data_dir.as_deref())?;
    let store = Store::open(Some(&data_dir))?;
    let secrets = SecretStore::for_data_dir(&data_dir)?;
    let links: Vec<_> = store.links()?.into_iter().filter(|l| args.link.is_none_or(|id| l.id == LinkId(id))).collect();
    if links.is_empty() {
        match args.link {
            Some(id) => anyhow::bail!("no link {id}; see `kura links`"),
            None => {
                println!("No unions linked yet. Link one with `kura link <union code>`, e.g. `kura link 2011`.");
                return Ok(());
            }
        }
    }
    let engine = SyncEngine::new(Arc::new(Mutex::new(store)), SyncOptions::default());
    let connector = ProfileConnector::new(profiles, secrets);
    let mut failed = false;
    for link in &links {
        let union = institutions::by_code(&link.bank_code)
            .map_or_else(|| link.bank_code.clone(), |i| format!("{} {}", link.bank_code, i.name));
        println!("{union} (link {})", link.id);
        if link.status != LinkStatus::Active && args.link.is_none() {
            println!("  skipped: {}; re-link with `kura link {}`", link.status, link.bank_code);
            continue;
        }
        let (client, tokens) = connector.connect(link).context("cannot reach the union")?;
        let report = engine.sync_link(link.id, &client, tokens.as_ref()).await;
        failed |= report.status != SyncRunStatus::Ok;
        print_report(&report, &link.bank_code);
    }
    if failed {
        anyhow::bail!("some accounts did not sync; what was stored before is unchanged");
    }
    Ok(())
}

fn print_report(report: &LinkReport, bank_code: &str) {
    for a in &report.accounts {
        let balance = a.balance.map(yen).unwrap_or_else(|| "—".into());
        println!("  {}  {} new  balance {}", a.remote_account_id, a.new_transactions, balance);
        for w in &a.warnings {
            println!("    warning: {}", warning_text(w));
        }
        if let Some(e) = &a.error {
            println!("    error: {e}");
        }
    }
    if let Some(e) = &report.error {
        println!("  error: {e}");
        if let Some(hint) = hint(e, bank_code) {
            println!("  what to do: {hint}");
        }
    }
}

fn warning_text(w: &Warning) -> String {
    match w {
        Warning::ReconcileMismatch { previous_balance, new_lines_sum, balance } => format!(
            "the balance does not add up: previous {} + new lines {} ≠ {}; the bank may have posted a correction",
            yen(*previous_balance),
            yen(*new_lines_sum),
            yen(*balance)
        ),
        Warning::GapRecorded { date_from, date_to } => {
            format!(
                "history from {date_from} to {date_to} was not synced in time and is no longer available from the bank"
            )
        }
        Warning::AtRisk { days } => {
            format!("not synced for {days} days; history older than 90 days is lost if not synced soon")
        }
    }
}

fn hint(e: &SyncError, bank_code: &str) -> Option<String> {
    match e {
        SyncError::Api(api) if api.needs_relink() => Some(format!("re-link with `kura link {bank_code}`")),
        SyncError::Inactive(..) => Some(format!("re-link with `kura link {bank_code}`")),
        SyncError::Api(api) => api.retry_after().map(|d| format!("try again in {} minutes", d.as_secs().div_ceil(60))),
        SyncError::Store(_) => None,
    }
}
