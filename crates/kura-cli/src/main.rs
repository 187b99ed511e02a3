//! `kura`: link credit-union accounts, sync them into the local store, read and export them,
//! and run the sandbox Open API.

mod cmd;

use std::path::PathBuf;

use clap::{Parser, Subcommand};

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
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::try_from_env("KURA_LOG").unwrap_or_else(|_| "warn".into()))
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    match cli.command {
        Command::Link(args) => cmd::link::run(args, &cli.global).await,
        Command::Links(args) => cmd::links::run(args, &cli.global).await,
        Command::Unlink(args) => cmd::unlink::run(args, &cli.global).await,
        Command::Sync(args) => cmd::sync::run(args, &cli.global).await,
        Command::Accounts(args) => cmd::accounts::run(args, &cli.global),
        Command::Tx(args) => cmd::tx::run(args, &cli.global),
        Command::Export(args) => cmd::export::run(args, &cli.global),
        Command::Sandbox(args) => cmd::sandbox::run(args, &cli.global).await,
        Command::Serve(args) => cmd::serve::run(args, &cli.global).await,
    }
}
