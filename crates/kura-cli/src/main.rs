//! `kura`: link credit-union accounts, sync them into the local store, read and export them,
//! and run the sandbox Open API. A front end like the desktop window: it parses arguments, calls
//! kura-core's application layer and formats the answers, in the person's language.

mod cmd;
mod error;
mod term;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use kura_core::app::{self, AppContext};

use crate::error::CliError;
use crate::term::Term;

#[derive(Parser)]
#[command(name = "kura", version, about = "Kura (蔵): your credit union accounts, stored on your desktop")]
struct Cli {
    #[command(flatten)]
    global: Global,
    #[command(subcommand)]
    command: Command,
}

/// Options every command understands.
#[derive(clap::Args, Debug, Clone)]
pub struct Global {
    /// Where Kura keeps its database and settings (default: the platform's data folder).
    #[arg(long, global = true, env = "KURA_DATA_DIR")]
    pub data_dir: Option<PathBuf>,
    /// With an error, also print the other side's own words (the union's, the OS's).
    #[arg(long, short, global = true)]
    pub verbose: bool,
}

#[derive(Subcommand)]
enum Command {
    /// Link a credit union: log in and allow access in the browser (tokens go to the OS keyring).
    Link(cmd::link::Args),
    /// List linked unions with their status and consent expiry.
    Links(cmd::links::Args),
    /// Unlink: revoke access at the union, delete the tokens, keep or purge the cached data.
    Unlink(cmd::unlink::Args),
    /// Fetch new balances and history from every linked union (or one link).
    Sync(cmd::sync::Args),
    /// Stored accounts with their latest balance, how current they are, and warnings.
    Accounts(cmd::accounts::Args),
    /// Stored transactions, newest first: filter by account, dates, in/out, amount; search remarks.
    Tx(cmd::tx::Args),
    /// Export cached history for bookkeeping: CSV, XLSX, OFX, QIF, ledger, hledger, beancount, JSON Lines.
    Export(cmd::export::Args),
    /// Run the simulated federation Open API (OAuth server + resource API) on loopback.
    Sandbox(cmd::sandbox::Args),
    /// Serve Kura's web UI on 127.0.0.1 for a browser (prints the address with its session key).
    Serve(cmd::serve::Args),
}

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::try_from_env("KURA_LOG").unwrap_or_else(|_| "warn".into()))
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
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
        Command::Sync(args) => cmd::sync::run(args, &open()?, term).await,
        Command::Accounts(args) => cmd::accounts::run(args, &open()?, term).await,
        Command::Tx(args) => cmd::tx::run(args, &open()?, term).await,
        Command::Export(args) => cmd::export::run(args, &open()?, term).await,
        Command::Sandbox(args) => cmd::sandbox::run(args, term).await,
        // Like the desktop app, it finishes a move of the data folder asked for in Settings.
        Command::Serve(args) => cmd::serve::run(args, AppContext::start(cli.global.data_dir.clone())?, term).await,
    }
}
