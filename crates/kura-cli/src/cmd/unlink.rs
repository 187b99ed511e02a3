//! `kura unlink <link id>`: revoke the link at the union, forget its tokens, and keep or purge
//! its cached accounts and history.

use std::io::{BufRead, IsTerminal, Write};

use kura_core::app::AppContext;
use kura_core::app::links::{self, UnlinkRequest};
use kura_core::t;

use crate::error::CliError;
use crate::term::Term;

#[derive(clap::Args, Debug)]
pub struct Args {
    pub link_id: i64,
    #[arg(long, conflicts_with = "purge")]
    pub keep_data: bool,
    #[arg(long)]
    pub purge: bool,
}

pub async fn run(args: Args, ctx: &AppContext, term: &Term) -> Result<(), CliError> {
    let lang = term.lang;
    // Fail on an unknown id before asking anything.
    let link = links::get(ctx, args.link_id)?;
    let code = link.bank_code.as_str();
    let purge = match (args.keep_data, args.purge) {
        (true, _) => false,
        (_, true) => true,
        _ if std::io::stdin().is_terminal() => ask(term, code)?,
        _ => return Err(CliError::said(t!(lang, "cli-unlink-say-what", id = args.link_id))),
    };
    let done = links::unlink(ctx, UnlinkRequest { link_id: args.link_id, purge }).await?;
    match (done.revoked_at_union, &done.revoke_error) {
        (true, _) => println!("{}", t!(lang, "cli-unlink-revoked")),
        (false, Some(e)) => println!("{}", t!(lang, "cli-unlink-not-told", reason = e.message.as_str())),
        (false, None) => println!("{}", t!(lang, "cli-unlink-no-revocation")),
    }
    println!("{}", t!(lang, "cli-unlink-tokens-deleted"));
    if done.client_secret_deleted {
        println!("{}", t!(lang, "cli-unlink-secret-deleted", profile = link.profile.as_str()));
    }
    match purge {
        false => println!("{}", t!(lang, "cli-unlink-kept", code)),
        true => println!("{}", t!(lang, "cli-unlink-purged")),
    }
    Ok(())
}

/// Keep (false) or purge (true), asked on the terminal.
fn ask(term: &Term, code: &str) -> Result<bool, CliError> {
    let stdin = std::io::stdin();
    let unanswered = || CliError::said(t!(term.lang, "cli-unlink-no-answer"));
    loop {
        print!("{}", t!(term.lang, "cli-unlink-ask", code));
        std::io::stdout().flush().map_err(|_| unanswered())?;
        let mut answer = String::new();
        if stdin.lock().read_line(&mut answer).map_err(|_| unanswered())? == 0 {
            return Err(unanswered());
        }
        match answer.trim().to_lowercase().as_str() {
            "k" | "keep" | "" => return Ok(false),
            "p" | "purge" => return Ok(true),
            _ => println!("{}", t!(term.lang, "cli-unlink-answer")),
        }
    }
}
