//! `kura link <union code>`: log in at the union in the browser and link its accounts.

use std::io::{BufRead, IsTerminal, Read, Write};
use std::time::Duration;

use chrono::Utc;
use kura_core::app::household::{self, MembersListRequest};
use kura_core::app::links::{self, LinkItem, LinkNow, LinksListRequest};
use kura_core::app::{AppContext, reminders};
use kura_core::format::{jst_date, jst_datetime};
use kura_core::i18n::Explain;
use kura_core::model::MemberId;
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
    #[arg(long, value_name = "MEMBER")]
    pub member: Option<String>,
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
    let member = match &args.member {
        Some(word) => Some(household::member_by_word(ctx, word)?.id),
        None => ask_member(ctx, term, code, &union).await?,
    };
    let minutes = args.timeout_minutes;
    let secret_given = client_secret.is_some();
    let request = LinkNow {
        bank_code: code.to_owned(),
        client_secret,
        member,
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
    let whose = household::list(ctx, MembersListRequest {}).await?.members;
    let name = whose.iter().find(|m| m.id == linked.link.member_id).map(|m| m.name.as_str()).unwrap_or_default();
    match linked.renewed {
        true => println!("{}", t!(lang, "cli-link-renewed", id = linked.link.id, member = name)),
        false => println!("{}", t!(lang, "cli-link-new", id = linked.link.id, member = name)),
    }
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

/// Whose login this is, asked on a terminal when it matters: the union is linked already and
/// the household has several members, so the login may be another person's (then it becomes
/// their own link). `None`: not asked (the login renews the link it shares accounts with, or a
/// new link goes to the household's first member).
async fn ask_member(ctx: &AppContext, term: &Term, code: &str, union: &str) -> Result<Option<MemberId>, CliError> {
    let lang = term.lang;
    let members = household::list(ctx, MembersListRequest {}).await?.members;
    let linked: Vec<LinkItem> =
        links::list(ctx, LinksListRequest {}).await?.links.into_iter().filter(|l| l.bank_code == code).collect();
    if linked.is_empty() || members.len() < 2 || !std::io::stdin().is_terminal() {
        return Ok(None);
    }
    let holders: Vec<&str> =
        members.iter().filter(|m| linked.iter().any(|l| l.member_id == m.id)).map(|m| m.name.as_str()).collect();
    println!("{}", t!(lang, "cli-link-ask-member", union, holders = holders.join("、")));
    for (n, m) in members.iter().enumerate() {
        println!("  {}) {}", n + 1, m.name);
    }
    let unanswered = || CliError::said(t!(lang, "cli-confirm-no-answer"));
    loop {
        print!("{}", t!(lang, "cli-link-ask-member-prompt", count = members.len()));
        std::io::stdout().flush().map_err(|_| unanswered())?;
        let mut answer = String::new();
        if std::io::stdin().lock().read_line(&mut answer).map_err(|_| unanswered())? == 0 {
            return Err(unanswered());
        }
        let answer = answer.trim();
        let chosen = match answer.parse::<usize>() {
            Ok(n) if (1..=members.len()).contains(&n) => Some(&members[n - 1]),
            _ => members.iter().find(|m| m.name == answer),
        };
        match chosen {
            Some(m) => return Ok(Some(MemberId(m.id))),
            None => println!("{}", t!(lang, "cli-link-ask-member-again", count = members.len())),
        }
    }
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
