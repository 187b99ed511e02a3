//! `kura link <union code>`: log in at the union in the browser and link its accounts.

use std::io::{IsTerminal, Read};
use std::time::Duration;

use anyhow::Context;
use chrono::Utc;
use kura_core::institutions;
use kura_core::oauth::{self, Browser, OAuthError, consent};
use kura_core::profile::Profiles;
use kura_core::secrets::SecretStore;
use kura_core::store::{self, Store};

use crate::Global;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// The union's 4-digit code, e.g. 2011.
    pub bank_code: String,
    /// Minutes to wait for the login in the browser.
    #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u64).range(1..=60))]
    pub timeout_minutes: u64,
    /// Do not open a browser; only print the address to open.
    #[arg(long)]
    pub no_browser: bool,
    /// Read the profile's client secret (confidential clients) from standard input and keep it
    /// in the OS credential store before linking.
    #[arg(long)]
    pub client_secret_stdin: bool,
}

pub async fn run(args: Args, global: &Global) -> anyhow::Result<()> {
    let code = args.bank_code.trim();
    let profiles = Profiles::load()?;
    let profile = profiles.resolve(code)?;
    let union = institutions::by_code(code).map_or(code.to_owned(), |i| format!("{} ({code})", i.name));
    let data_dir = store::data_dir(global.data_dir.as_deref())?;
    let mut store = Store::open(Some(&data_dir))?;
    let secrets = SecretStore::for_data_dir(&data_dir)?;
    let secret = if args.client_secret_stdin {
        // Before asking for a secret that could not be used.
        if !profile.confidential {
            return Err(OAuthError::NotConfidential(profile.name).into());
        }
        Some(read_client_secret()?)
    } else {
        None
    };
    let browser = if args.no_browser { Browser::Manual } else { Browser::from_env_or(profiles.browser())? };
    let timeout = Duration::from_secs(args.timeout_minutes * 60);
    let show_url = |url: &dyn std::fmt::Display| {
        println!("Linking {union}.");
        match browser {
            Browser::Manual => println!("Open this address in your browser:"),
            _ => println!("Your browser opens the union's login page. If it does not, open this address:"),
        }
        println!("  {url}");
        println!(
            "Waiting for you to log in and allow access (up to {} minutes; Ctrl+C cancels)…",
            args.timeout_minutes
        );
    };
    let profile_name = profile.name.clone();
    let linked = match &secret {
        Some(secret) => {
            oauth::link_with_client_secret(&mut store, &secrets, profile, secret, &browser, timeout, |url| {
                show_url(url)
            })
            .await?
        }
        None => oauth::link(&mut store, &secrets, profile, &browser, timeout, |url| show_url(url)).await?,
    };
    if secret.is_some() {
        println!("Stored the client secret of profile `{profile_name}` in the OS credential store.");
    }
    println!("Linked {union}: {} account(s).", linked.accounts.len());
    for a in &linked.accounts {
        println!(
            "  {} {} {} {} {}",
            a.branch_code, a.branch_name, a.account_type_name, a.account_number, a.account_name_kana
        );
    }
    if let Some(deferred) = &linked.accounts_deferred {
        println!("The union could not list the accounts yet ({deferred}); the next sync lists them.");
    }
    match linked.link.consent_expires_at {
        Some(expires) => {
            let days = consent::days_left(expires, Utc::now());
            println!("Consent expires on {} (in {days} days).", kura_core::format::jst_date(expires));
        }
        None => println!(
            "The union did not say when your consent expires, so Kura cannot remind you before it does; syncing stops then and `kura links` shows the link needs a new login."
        ),
    }
    if let Some(until) = linked.access_expires_at {
        println!(
            "This union gives Kura no refresh token: the link works until {} (JST), and every time after that it needs a new login (`kura link {code}`).",
            kura_core::format::jst_datetime(until)
        );
    }
    println!("Next: run `kura sync` to fetch balances and history.");
    Ok(())
}

/// The client secret from standard input: one line when a person types or pastes it, else
/// everything piped in.
fn read_client_secret() -> anyhow::Result<String> {
    let stdin = std::io::stdin();
    let secret = if stdin.is_terminal() {
        // Typed or pasted: not echoed, so it stays off the screen and out of terminal scrollback.
        rpassword::prompt_password("Client secret (ends with Enter): ")
    } else {
        let mut piped = String::new();
        stdin.lock().read_to_string(&mut piped).map(|_| piped)
    }
    .context("cannot read the client secret from standard input")?;
    let secret = secret.trim();
    anyhow::ensure!(!secret.is_empty(), "standard input held no client secret");
    Ok(secret.to_owned())
}
