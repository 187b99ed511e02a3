//! `kura unlink <link id>`: revoke the link at the union, forget its tokens, and keep or purge
//! its cached accounts and history.

use std::io::{BufRead, IsTerminal, Write};

use kura_core::model::LinkId;
use kura_core::oauth::{self, CachedData};
use kura_core::profile::Profiles;
use kura_core::secrets::SecretStore;
use kura_core::store::{self, Store};

use crate::Global;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// The link's id, as `kura links` shows it.
    pub link_id: i64,
    /// Keep the accounts and history for reading offline (and for a later re-link).
    #[arg(long, conflicts_with = "purge")]
    pub keep_data: bool,
    /// Delete the link's accounts and their history from this computer.
    #[arg(long)]
    pub purge: bool,
}

pub async fn run(args: Args, global: &Global) -> anyhow::Result<()> {
    let data_dir = store::data_dir(global.data_dir.as_deref())?;
    let mut store = Store::open(Some(&data_dir))?;
    let id = LinkId(args.link_id);
    // Fail on an unknown id before asking anything.
    let link = store.link(id)?;
    let data = match (args.keep_data, args.purge) {
        (true, _) => CachedData::Keep,
        (_, true) => CachedData::Purge,
        _ if std::io::stdin().is_terminal() => ask(&link.bank_code)?,
        _ => anyhow::bail!(
            "say what to do with the cached accounts and history: `kura unlink {} --keep-data` or `--purge`",
            args.link_id
        ),
    };
    let secrets = SecretStore::for_data_dir(&data_dir)?;
    let profiles = Profiles::load()?;
    let unlinked = oauth::unlink(&mut store, &secrets, &profiles, id, data).await?;
    match (&unlinked.revoked, &unlinked.revoke_error) {
        (true, _) => println!("The union revoked Kura's access."),
        (false, Some(e)) => {
            println!("Could not tell the union to revoke access ({e}); it lapses when the consent expires.")
        }
        (false, None) => println!("The union offers no revocation; Kura's access lapses when the consent expires."),
    }
    println!("Deleted the tokens from the OS credential store.");
    if unlinked.client_secret_deleted {
        println!(
            "Deleted the client secret of profile `{}` too: no other link uses it. `kura link --client-secret-stdin` stores it again.",
            link.profile
        );
    }
    match data {
        CachedData::Keep => {
            println!("Kept the cached accounts and history; `kura link {}` continues them.", link.bank_code)
        }
        CachedData::Purge => println!("Deleted the link's accounts and history from this computer."),
    }
    Ok(())
}

fn ask(bank_code: &str) -> anyhow::Result<CachedData> {
    let stdin = std::io::stdin();
    loop {
        print!("Keep the cached accounts and history of {bank_code} for reading offline? [k]eep / [p]urge: ");
        std::io::stdout().flush()?;
        let mut answer = String::new();
        if stdin.lock().read_line(&mut answer)? == 0 {
            anyhow::bail!("no answer; nothing was unlinked");
        }
        match answer.trim().to_lowercase().as_str() {
            "k" | "keep" | "" => return Ok(CachedData::Keep),
            "p" | "purge" => return Ok(CachedData::Purge),
            _ => println!("Answer k (keep) or p (purge)."),
        }
    }
}
