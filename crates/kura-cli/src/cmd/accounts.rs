//! `kura accounts`: every stored account with its latest balance, how current it is, and flags.

use kura_core::app::links::LinkState;
use kura_core::app::overview::{self, AccountCard, Freshness, OverviewRequest};
use kura_core::app::{AppContext, household};
use kura_core::format::{date, jst_datetime, yen};
use kura_core::i18n::Language;
use kura_core::t;

use crate::error::CliError;
use crate::term::{Term, table};

#[derive(clap::Args, Debug)]
pub struct Args {
    #[arg(long, value_name = "MEMBER")]
    pub member: Option<String>,
    #[arg(long)]
    pub json: bool,
}

pub async fn run(args: Args, ctx: &AppContext, term: &Term) -> Result<(), CliError> {
    let lang = term.lang;
    let member_id = args.member.as_deref().map(|m| household::member_by_word(ctx, m)).transpose()?.map(|m| m.id.0);
    let accounts = overview::overview(ctx, OverviewRequest { include_hidden: Some(true), member_id }).await?.accounts;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&accounts).expect("accounts serialise"));
        return Ok(());
    }
    if accounts.is_empty() {
        println!("{}", t!(lang, "cli-accounts-none"));
        return Ok(());
    }
    let rows: Vec<Vec<String>> = accounts.iter().map(|a| row(lang, a)).collect();
    let headers = [
        "cli-col-id",
        "cli-col-union",
        "cli-col-branch",
        "cli-col-type",
        "cli-col-number",
        "cli-col-balance",
        "cli-col-as-of",
        "cli-col-synced",
        "cli-col-flags",
    ]
    .map(|id| kura_core::i18n::text(lang, id, &Default::default()));
    print!("{}", table(&headers, &rows, &[5]));
    for a in &accounts {
        for g in &a.gaps {
            println!("{}", t!(lang, "cli-accounts-gap", id = a.id, from = date(g.date_from), to = date(g.date_to)));
        }
    }
    Ok(())
}

fn row(lang: Language, a: &AccountCard) -> Vec<String> {
    let freshness = match a.freshness {
        Freshness::Fresh => t!(lang, "cli-fresh"),
        Freshness::Stale => t!(lang, "cli-stale"),
        Freshness::AtRisk => t!(lang, "cli-at-risk"),
        Freshness::NeverSynced => t!(lang, "cli-never"),
    };
    let mut flags = Vec::new();
    match a.link_status {
        Some(LinkState::Active) => {}
        Some(LinkState::ReauthRequired) => flags.push(t!(lang, "cli-flag-relink")),
        Some(LinkState::Revoked) | None => flags.push(t!(lang, "cli-flag-unlinked")),
    }
    if a.reconcile_mismatch.is_some() {
        flags.push(t!(lang, "cli-flag-mismatch"));
    }
    if !a.gaps.is_empty() {
        flags.push(t!(lang, "cli-flag-gaps"));
    }
    if a.hidden {
        flags.push(t!(lang, "cli-flag-hidden"));
    }
    vec![
        a.id.to_string(),
        a.bank_name.clone(),
        format!("{} {}", a.identity.branch_code, a.identity.branch_name),
        a.identity.account_type_name.clone(),
        a.identity.account_number.clone(),
        a.balance.map(yen).unwrap_or_else(|| "-".into()),
        a.as_of.map(jst_datetime).unwrap_or_else(|| "-".into()),
        freshness,
        flags.join(", "),
    ]
}
