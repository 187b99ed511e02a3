//! `kura sandbox`: the simulated federation Open API, for trying Kura and for tests.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;

use chrono::{DateTime, Duration, FixedOffset, NaiveDate};
use kura_core::i18n::Explanation;
use kura_core::t;
use kura_sandbox::oauth::OAuthModes;
use kura_sandbox::{Faults, SandboxConfig};

use crate::error::CliError;
use crate::term::Term;

#[derive(clap::Args, Debug)]
pub struct Args {
    #[arg(long, default_value_t = 7878)]
    pub port: u16,
    #[arg(long, default_value_t = IpAddr::V4(Ipv4Addr::LOCALHOST))]
    pub bind: IpAddr,
    #[arg(long, default_value_t = SandboxConfig::default().seed)]
    pub seed: u64,
    #[arg(long)]
    pub today: Option<NaiveDate>,
    #[arg(long, requires = "ca_out")]
    pub tls: bool,
    #[arg(long, requires = "tls")]
    pub ca_out: Option<PathBuf>,
    #[arg(long, value_name = "N")]
    pub large: Option<u64>,
    #[arg(long, default_value_t = 3600)]
    pub access_token_ttl: i64,
    #[arg(long, default_value_t = 30)]
    pub refresh_token_ttl_days: i64,
    #[arg(long, default_value_t = 90)]
    pub consent_ttl_days: i64,

    #[arg(long, value_name = "MS", help_heading = "Faults")]
    pub latency_ms: Option<u64>,
    #[arg(long, value_name = "P", help_heading = "Faults")]
    pub error_rate: Option<f64>,
    #[arg(long, value_name = "N", help_heading = "Faults")]
    pub fail_next: Option<u32>,
    #[arg(long, value_name = "STATUS", help_heading = "Faults")]
    pub fail_status: Option<u16>,
    #[arg(long, help_heading = "Faults")]
    pub rate_limited: bool,
    #[arg(long, value_name = "N", help_heading = "Faults")]
    pub rate_limit_next: Option<u32>,
    #[arg(long, value_name = "SECONDS", help_heading = "Faults")]
    pub retry_after: Option<u32>,
    #[arg(long, help_heading = "Faults")]
    pub maintenance: bool,
    #[arg(long, value_name = "FROM/TO", value_parser = parse_window, help_heading = "Faults")]
    pub maintenance_window: Option<(DateTime<FixedOffset>, DateTime<FixedOffset>)>,
    #[arg(long, value_name = "N", help_heading = "Faults")]
    pub malformed_json: Option<u32>,
    #[arg(long, value_name = "N", help_heading = "Faults")]
    pub truncated_body: Option<u32>,
    #[arg(long, value_name = "N", help_heading = "Faults")]
    pub repeat_page: Option<u32>,
    #[arg(long, value_name = "N", help_heading = "Faults")]
    pub duplicate_item: Option<u32>,
    #[arg(long, help_heading = "Faults")]
    pub loop_next_item_key: bool,
    #[arg(long, help_heading = "Faults")]
    pub omit_item_key: bool,

    #[arg(long, help_heading = "Authorization server")]
    pub session_grants: bool,
    #[arg(long, value_name = "PATH", help_heading = "Authorization server")]
    pub issuer_path: Option<String>,
    #[arg(long, help_heading = "Authorization server")]
    pub no_refresh_token: bool,
    #[arg(long, help_heading = "Authorization server")]
    pub iss_parameter: bool,
    #[arg(long, help_heading = "Authorization server")]
    pub plain_token_response: bool,
}

fn parse_window(value: &str) -> Result<(DateTime<FixedOffset>, DateTime<FixedOffset>), String> {
    let (from, to) = value.split_once('/').ok_or("expected FROM/TO, two RFC 3339 times separated by '/'")?;
    let parse = |s: &str| DateTime::parse_from_rfc3339(s).map_err(|e| format!("{s:?} is not an RFC 3339 time: {e}"));
    Ok((parse(from)?, parse(to)?))
}

impl Args {
    fn oauth_modes(&self) -> OAuthModes {
        OAuthModes {
            session_grants: self.session_grants,
            issuer_path: self.issuer_path.clone(),
            no_refresh_token: self.no_refresh_token,
            iss_parameter: self.iss_parameter,
            plain_token_response: self.plain_token_response,
        }
    }

    fn faults(&self) -> Faults {
        let defaults = Faults::default();
        Faults {
            latency_ms: self.latency_ms.unwrap_or(defaults.latency_ms),
            error_rate: self.error_rate.unwrap_or(defaults.error_rate),
            fail_next: self.fail_next.unwrap_or(defaults.fail_next),
            fail_status: self.fail_status.unwrap_or(defaults.fail_status),
            rate_limited: self.rate_limited,
            rate_limit_next: self.rate_limit_next.unwrap_or(defaults.rate_limit_next),
            retry_after_seconds: self.retry_after.unwrap_or(defaults.retry_after_seconds),
            maintenance: self.maintenance,
            maintenance_from: self.maintenance_window.map(|w| w.0),
            maintenance_to: self.maintenance_window.map(|w| w.1),
            malformed_json: self.malformed_json.unwrap_or(defaults.malformed_json),
            truncated_body: self.truncated_body.unwrap_or(defaults.truncated_body),
            repeat_page: self.repeat_page.unwrap_or(defaults.repeat_page),
            duplicate_item: self.duplicate_item.unwrap_or(defaults.duplicate_item),
            loop_next_item_key: self.loop_next_item_key,
            omit_item_key: self.omit_item_key,
            ..defaults
        }
    }
}

pub async fn run(args: Args, term: &Term) -> Result<(), CliError> {
    let lang = term.lang;
    let faults = args.faults();
    faults.validate().map_err(|e| said(t!(lang, "cli-sandbox-bad-faults"), e))?;
    let config = SandboxConfig {
        addr: SocketAddr::new(args.bind, args.port),
        seed: args.seed,
        today: args.today,
        access_token_ttl: Duration::seconds(args.access_token_ttl),
        refresh_token_ttl: Duration::days(args.refresh_token_ttl_days),
        consent_ttl: Duration::days(args.consent_ttl_days),
        tls_ca_out: if args.tls { args.ca_out.clone() } else { None },
        large_transactions: args.large,
        faults,
        oauth: args.oauth_modes(),
    };
    let sandbox = kura_sandbox::start(config).await.map_err(|e| said(t!(lang, "cli-sandbox-no-start"), e))?;
    let base = sandbox.base_url.as_str();
    println!("{}", t!(lang, "cli-sandbox-serving", version = kura_sandbox::API_VERSION, base));
    if let Some(path) = &args.ca_out {
        println!("  {}", t!(lang, "cli-sandbox-ca", path = path.display().to_string()));
    }
    println!("  {}", t!(lang, "cli-sandbox-today", today = sandbox.state.clock.today().to_string()));
    println!();
    println!("{}", t!(lang, "cli-sandbox-logins"));
    for user in sandbox.state.bank.users() {
        let banks: std::collections::BTreeSet<String> =
            sandbox.state.bank.all_accounts_of(user.username).map(|a| a.identity.bank_code.clone()).collect();
        let summary = if banks.len() > 3 {
            t!(lang, "cli-sandbox-accounts-everywhere", count = banks.len())
        } else {
            t!(lang, "cli-sandbox-accounts-at", unions = banks.into_iter().collect::<Vec<_>>().join(", "))
        };
        println!("  {} / {}   ({summary})", user.username, user.password);
    }
    println!();
    println!("{}", t!(lang, "cli-sandbox-how"));
    println!("  {}", t!(lang, "cli-sandbox-how-open"));
    println!(
        "  {base}/oauth/authorize?response_type=code&client_id=kura-desktop&redirect_uri=http://127.0.0.1:<port>/callback&scope=balance%20transactions&state=<random>&code_challenge=<S256>&code_challenge_method=S256&bank_code=2011"
    );
    println!("  {}", t!(lang, "cli-sandbox-how-sign-in"));
    let issuer = format!("{base}{}", sandbox.state.config.oauth.issuer_path());
    match &args.issuer_path {
        None => println!(
            "  {}",
            t!(lang, "cli-sandbox-metadata", url = format!("{base}/.well-known/oauth-authorization-server"))
        ),
        Some(_) => println!("  {}", t!(lang, "cli-sandbox-metadata-path", issuer = issuer.as_str())),
    }
    println!("  {}", t!(lang, "cli-sandbox-admin", base));
    println!();
    println!("{}", t!(lang, "cli-sandbox-confidential"));
    let id = kura_sandbox::oauth::INTERMEDIARY_NATIVE;
    let secret = kura_sandbox::oauth::INTERMEDIARY_NATIVE_SECRET;
    println!("  {}", t!(lang, "cli-sandbox-client", id, secret));
    println!("    [profiles.agent]");
    println!("    banks = [\"2011\"]");
    println!("    issuer = \"{issuer}\"");
    println!("    api_base = \"{base}\"");
    println!("    client_id = \"{id}\"");
    println!("    confidential = true");
    println!("  {}", t!(lang, "cli-sandbox-client-then"));
    println!(
        "  {}",
        t!(
            lang,
            "cli-sandbox-reserved",
            id = format!("{:?}", kura_sandbox::oauth::INTERMEDIARY_RESERVED),
            secret = format!("{:?}", kura_sandbox::oauth::INTERMEDIARY_RESERVED_SECRET)
        )
    );
    println!();
    println!("{}", t!(lang, "cli-sandbox-until-stopped"));
    shutdown_signal().await.map_err(|e| said(t!(lang, "cli-sandbox-no-signal"), e))?;
    sandbox.shutdown().await;
    Ok(())
}

/// A failure of `kura sandbox` itself, with the cause's own words as its detail.
fn said(what: String, e: impl std::fmt::Display) -> CliError {
    CliError::Said(Explanation::new(what).detail(e.to_string()))
}

/// Ctrl-C, or SIGTERM from a service manager or test harness.
async fn shutdown_signal() -> std::io::Result<()> {
    #[cfg(unix)]
    {
        let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())?;
        tokio::select! {
            r = tokio::signal::ctrl_c() => r?,
            _ = term.recv() => {}
        }
        Ok(())
    }
    #[cfg(not(unix))]
    {
        tokio::signal::ctrl_c().await?;
        Ok(())
    }
}
