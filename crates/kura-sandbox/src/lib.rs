//! A faithful simulation of the federation's read-only Open API (OAuth 2.0 authorization server
//! plus the balance and transaction-history resource API) served on loopback, with fault
//! injection. It is the default "bank" of a new Kura install and the peer of every test.

pub mod admin;
pub mod api;
pub mod bank;
pub mod clock;
pub mod config;
pub mod error;
pub mod faults;
pub mod oauth;
pub mod server;
pub mod state;
pub mod tls;

pub use clock::SimClock;
pub use config::SandboxConfig;
pub use faults::Faults;
pub use server::{Sandbox, SandboxError, start};
pub use state::AppState;

/// The full semantic version of the API this sandbox serves; the major version is in the path.
pub const API_VERSION: &str = "1.0.0";
/// Header that carries [`API_VERSION`] on every response.
pub const API_VERSION_HEADER: &str = "x-api-version";
