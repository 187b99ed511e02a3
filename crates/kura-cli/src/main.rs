//! `kura`: link credit-union accounts, sync them into the local store, read and export them,
//! and run the sandbox Open API. A front end like the desktop window: it parses arguments, calls
//! kura-core's application layer and formats the answers, in the person's language.

mod books;
mod cmd;
mod error;
mod help;
mod term;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{FromArgMatches, Parser, Subcommand};
use kura_core::app::{self, AppContext};

use crate::error::CliError;
use crate::term::Term;

#[derive(Parser)]
#[command(name = "kura", version)]
struct Cli {
    #[command(flatten)]
    global: Global,
    #[command(subcommand)]
    command: Command,
}

/// Options every command understands.
#[derive(clap::Args, Debug, Clone)]
pub struct Global {
    #[arg(long, global = true, env = "KURA_DATA_DIR")]
    pub data_dir: Option<PathBuf>,
    #[arg(long, short, global = true)]
    pub verbose: bool,
}

#[derive(Subcommand)]
enum Command {
    Link(cmd::link::Args),
    Links(cmd::links::Args),
    Unlink(cmd::unlink::Args),
    Household(cmd::household::Args),
    Share(cmd::share::Args),
    Sync(cmd::sync::Args),
    Accounts(cmd::accounts::Args),
    Tx(cmd::tx::Args),
    Categories(cmd::categories::Args),
    Rules(cmd::rules::Args),
    Report(cmd::report::Args),
    Export(cmd::export::Args),
    Sandbox(cmd::sandbox::Args),
    Serve(cmd::serve::Args),
}

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::try_from_env("KURA_LOG").unwrap_or_else(|_| "warn".into()))
        .with_writer(std::io::stderr)
        .init();
    // The help speaks the language of Kura's usual (or KURA_DATA_DIR's) data folder; what a
    // command prints, the language of the folder it was given.
    let data_dir_env = std::env::var_os("KURA_DATA_DIR").filter(|d| !d.is_empty()).map(PathBuf::from);
    let matches = help::localized(app::settings::terminal_language_for(data_dir_env.as_deref())).get_matches();
    let cli = Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit());
    let term = Term {
        lang: app::settings::terminal_language_for(cli.global.data_dir.as_deref()),
        verbose: cli.global.verbose,
    };
    // Errors are told, never dumped: no backtrace in a person's terminal, whatever RUST_BACKTRACE says.
    match run(cli, &term).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            term.error(&e.explain(term.lang));
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli, term: &Term) -> Result<(), CliError> {
    let open = || AppContext::for_terminal(cli.global.data_dir.clone());
    match cli.command {
        Command::Link(args) => cmd::link::run(args, &open()?, term).await,
        Command::Links(args) => cmd::links::run(args, &open()?, term).await,
        Command::Unlink(args) => cmd::unlink::run(args, &open()?, term).await,
        Command::Household(args) => cmd::household::run(args, &open()?, term).await,
        Command::Share(args) => cmd::share::run(args, &open()?, term).await,
        Command::Sync(args) => cmd::sync::run(args, &open()?, term).await,
        Command::Accounts(args) => cmd::accounts::run(args, &open()?, term).await,
        Command::Tx(args) => cmd::tx::run(args, &open()?, term).await,
        Command::Categories(args) => cmd::categories::run(args, &open()?, term).await,
        Command::Rules(args) => cmd::rules::run(args, &open()?, term).await,
        Command::Report(args) => cmd::report::run(args, &open()?, term).await,
        Command::Export(args) => cmd::export::run(args, &open()?, term).await,
        Command::Sandbox(args) => cmd::sandbox::run(args, term).await,
        // Like the desktop app, it finishes a move of the data folder asked for in Settings.
        Command::Serve(args) => cmd::serve::run(args, AppContext::start(cli.global.data_dir.clone())?, term).await,
    }
}
