//! How a sandbox is started: address, seed, simulated date, token lifetimes, TLS, data size,
//! authorization server modes.

use std::net::SocketAddr;
use std::path::PathBuf;

use chrono::{Duration, NaiveDate};

use crate::faults::Faults;
use crate::oauth::OAuthModes;

#[derive(Debug, Clone)]
pub struct SandboxConfig {
    /// Where to listen. Plain HTTP is refused on anything but loopback.
    pub addr: SocketAddr,
    /// Seed of the deterministic demo data.
    pub seed: u64,
    /// Simulated JST date to start on; `None` means the real date.
    pub today: Option<NaiveDate>,
    pub access_token_ttl: Duration,
    pub refresh_token_ttl: Duration,
    pub consent_ttl: Duration,
    /// Serve HTTPS with a certificate generated at start; its CA certificate is written here.
    pub tls_ca_out: Option<PathBuf>,
    /// Large-data mode: a `bench`/`bench` user with one account holding this many transactions
    /// inside the 90-day window.
    pub large_transactions: Option<u64>,
    /// Faults switched on from the start (the admin API changes them later).
    pub faults: Faults,
    /// How the authorization server departs from the federation's default, within the RFCs.
    pub oauth: OAuthModes,
}

impl Default for SandboxConfig {
    fn default() -> Self {
        Self {
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            seed: 2011,
            today: None,
            access_token_ttl: Duration::hours(1),
            refresh_token_ttl: Duration::days(30),
            consent_ttl: Duration::days(90),
            tls_ca_out: None,
            large_transactions: None,
            faults: Faults::default(),
            oauth: OAuthModes::default(),
        }
    }
}
