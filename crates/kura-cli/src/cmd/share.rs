//! `kura share`: share the household with another desktop through a folder a sync engine keeps
//! in step (Syncthing, or any folder already synced): set it up and show the pairing code, join
//! with the code, write and read the logs now, show who was heard from, leave.

use std::io::{BufRead, IsTerminal};
use std::path::PathBuf;

use kura_core::app::AppContext;
use kura_core::app::share::{
    self, ShareCodeRequest, ShareCreateRequest, ShareJoinRequest, ShareLeaveRequest, ShareProblemKind,
    ShareStatusRequest, ShareSyncReport,
};
use kura_core::format::jst_datetime;
use kura_core::i18n::Language;
use kura_core::t;

use crate::error::CliError;
use crate::term::Term;

#[derive(clap::Args, Debug)]
#[command(args_conflicts_with_subcommands = true)]
pub struct Args {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(clap::Subcommand, Debug)]
enum Command {
    Create(CreateArgs),
    Join(JoinArgs),
    Code,
    Sync,
    Leave(LeaveArgs),
}

#[derive(clap::Args, Debug)]
struct CreateArgs {
    folder: PathBuf,
    #[arg(long)]
    name: Option<String>,
}

#[derive(clap::Args, Debug)]
struct JoinArgs {
    folder: PathBuf,
    code: Option<String>,
    #[arg(long)]
    name: Option<String>,
}

#[derive(clap::Args, Debug)]
struct LeaveArgs {
    #[arg(long, short)]
    yes: bool,
}

pub async fn run(args: Args, ctx: &AppContext, term: &Term) -> Result<(), CliError> {
    let lang = term.lang;
    match args.command {
        None => status(ctx, lang).await,
        Some(Command::Create(a)) => {
            let request = ShareCreateRequest { folder: a.folder.display().to_string(), desktop_name: a.name };
            let code = share::create(ctx, request).await?.code;
            println!("{}", t!(lang, "cli-share-created", folder = a.folder.display().to_string()));
            println!("  {code}");
            println!("{}", t!(lang, "cli-share-created-next"));
            Ok(())
        }
        Some(Command::Join(a)) => {
            let code = match a.code {
                Some(c) => c,
                None => read_code(lang)?,
            };
            let request = ShareJoinRequest { folder: a.folder.display().to_string(), code, desktop_name: a.name };
            let report = share::join(ctx, request).await?;
            println!("{}", t!(lang, "cli-share-joined", folder = a.folder.display().to_string()));
            print_report(lang, &report);
            Ok(())
        }
        Some(Command::Code) => {
            println!("{}", share::code(ctx, ShareCodeRequest {}).await?.code);
            Ok(())
        }
        Some(Command::Sync) => {
            let report = share::sync(ctx).await?;
            print_report(lang, &report);
            Ok(())
        }
        Some(Command::Leave(a)) => {
            let question = t!(lang, "cli-share-leave-confirm");
            if !term.confirm(a.yes, &question, t!(lang, "cli-share-leave-unasked"))? {
                return Ok(());
            }
            share::leave(ctx, ShareLeaveRequest {}).await?;
            println!("{}", t!(lang, "cli-share-left"));
            Ok(())
        }
    }
}

/// The pairing code typed at a prompt, or piped in.
fn read_code(lang: Language) -> Result<String, CliError> {
    if std::io::stdin().is_terminal() {
        eprint!("{}", t!(lang, "cli-share-code-prompt"));
    }
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line).map_err(|_| CliError::said(t!(lang, "cli-confirm-no-answer")))?;
    Ok(line.trim().to_owned())
}

fn print_report(lang: Language, r: &ShareSyncReport) {
    if let Some(seq) = r.written {
        println!("{}", t!(lang, "cli-share-written", seq));
    }
    println!("{}", t!(lang, "cli-share-applied", segments = r.applied, lines = r.lines, edits = r.edits));
    if r.skipped > 0 {
        println!("{}", t!(lang, "cli-share-skipped", count = r.skipped));
    }
}

async fn status(ctx: &AppContext, lang: Language) -> Result<(), CliError> {
    let s = share::status(ctx, ShareStatusRequest {}).await?;
    let Some(folder) = s.folder else {
        println!("{}", t!(lang, "cli-share-none"));
        return Ok(());
    };
    println!("{}", t!(lang, "cli-share-folder", folder, name = s.desktop_name));
    if s.peers.is_empty() {
        println!("{}", t!(lang, "cli-share-no-peers"));
    }
    for p in &s.peers {
        let links = p.links.iter().map(i64::to_string).collect::<Vec<_>>().join(", ");
        println!("{}", t!(lang, "cli-share-peer", name = p.name.as_str(), at = jst_datetime(p.last_heard_at), links));
    }
    for p in s.problems.iter().take(10) {
        println!(
            "{}",
            t!(
                lang,
                "cli-share-problem",
                at = jst_datetime(p.at),
                file = p.file.as_str(),
                problem = problem_text(lang, p.problem)
            )
        );
    }
    Ok(())
}

fn problem_text(lang: Language, p: ShareProblemKind) -> String {
    match p {
        ShareProblemKind::NotKura => t!(lang, "cli-share-problem-not-kura"),
        ShareProblemKind::Newer => t!(lang, "cli-share-problem-newer"),
        ShareProblemKind::OtherHousehold => t!(lang, "cli-share-problem-other-household"),
        ShareProblemKind::Misplaced => t!(lang, "cli-share-problem-misplaced"),
        ShareProblemKind::Incomplete => t!(lang, "cli-share-problem-incomplete"),
        ShareProblemKind::WrongKey => t!(lang, "cli-share-problem-wrong-key"),
        ShareProblemKind::Unreadable => t!(lang, "cli-share-problem-unreadable"),
    }
}
