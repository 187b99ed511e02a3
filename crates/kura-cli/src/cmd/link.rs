//! `kura link <union code>`: log in at the union in the browser and link its accounts.

use std::io::{IsTerminal, Read};
use std::time::Duration;

use chrono::Utc;
use kura_core::app::links::{self, LinkNow};
use kura_core::app::{AppContext, reminders};
use kura_core::format::{jst_date, jst_datetime};
use kura_core::i18n::Explain;
use kura_core::t;

use crate::error::CliError;
use crate::term::Term;

#[derive(clap::Args, Debug)]
pub struct Args {
    pub bank_code: String,
    #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u64).range(1..=60))]
    pub timeout_minutes: u64,
    #[arg(long)]
    pub no_browser: bool,
    #[arg(long)]
    pub client_secret_stdin: bool,
}

pub async fn run(args: Args, ctx: &AppContext, term: &Term) -> Result<(), CliError> {
    let lang = term.lang;
    let target = links::target(&args.bank_code)?;
    let code = target.bank_code.as_str();
    let union = t!(lang, "cli-union", name = target.union_name.as_str(), code);
    let client_secret = if args.client_secret_stdin {
        // Before asking for a secret that could not be used.
        target.check_takes_secret()?;
        Some(read_client_secret(term)?)
    } else {
        None
    };
    let minutes = args.timeout_minutes;
    let secret_given = client_secret.is_some();
    let request = LinkNow {
        bank_code: code.to_owned(),
        client_secret,
        open_browser: !args.no_browser,
        timeout: Duration::from_secs(minutes * 60),
    };
    let linked = links::link(ctx, request, |url| {
        println!("{}", t!(lang, "cli-link-linking", union = union.as_str()));
        match args.no_browser {
            true => println!("{}", t!(lang, "cli-link-open-yourself")),
            false => println!("{}", t!(lang, "cli-link-browser-opens")),
        }
        println!("  {url}");
        println!("{}", t!(lang, "cli-link-waiting", minutes));
    })
    .await?;
    if secret_given {
        println!("{}", t!(lang, "cli-link-secret-stored", profile = target.profile.as_str()));
    }
    println!("{}", t!(lang, "cli-link-done", union = union.as_str(), count = linked.accounts.len()));
    for a in linked.accounts.iter().map(|a| &a.identity) {
        println!(
            "  {} {} {} {} {}",
            a.branch_code, a.branch_name, a.account_type_name, a.account_number, a.account_name_kana
        );
    }
    if let Some(deferred) = &linked.accounts_deferred {
        println!("{}", t!(lang, "cli-link-accounts-later", reason = deferred.explain(lang).what));
    }
    match linked.link.consent_expires_at {
        Some(expires) => {
            let days = reminders::days_left(expires, Utc::now());
            println!("{}", t!(lang, "cli-link-consent-until", date = jst_date(expires).to_string(), days));
        }
        None => println!("{}", t!(lang, "cli-link-consent-unknown")),
    }
    if let Some(until) = linked.access_expires_at {
        println!("{}", t!(lang, "cli-link-no-refresh", until = jst_datetime(until), code));
    }
    println!("{}", t!(lang, "cli-link-next"));
    Ok(())
}

/// The client secret from standard input: one line when a person types or pastes it, else
/// everything piped in.
fn read_client_secret(term: &Term) -> Result<String, CliError> {
    let stdin = std::io::stdin();
    let secret = if stdin.is_terminal() {
        // Typed or pasted: not echoed, so it stays off the screen and out of terminal scrollback.
        rpassword::prompt_password(t!(term.lang, "cli-secret-prompt"))
    } else {
        let mut piped = String::new();
        stdin.lock().read_to_string(&mut piped).map(|_| piped)
    }
    .map_err(|e| {
        CliError::Said(kura_core::i18n::Explanation::new(t!(term.lang, "cli-secret-unreadable")).detail(e.to_string()))
    })?;
    let secret = secret.trim();
    if secret.is_empty() {
        return Err(CliError::said(t!(term.lang, "cli-secret-empty")));
    }
    Ok(secret.to_owned())
}
