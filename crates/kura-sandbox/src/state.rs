//! State shared by every handler.

use std::ops::Deref;
use std::sync::Arc;

use crate::{bank::Bank, clock::SimClock, config::SandboxConfig, faults::FaultState, oauth::OAuthServer};

#[derive(Clone)]
pub struct AppState(Arc<Inner>);

pub struct Inner {
    pub config: SandboxConfig,
    pub clock: SimClock,
    /// Demo users, their accounts and ledgers (resource owner data).
    pub bank: Bank,
    /// Clients, authorization codes, tokens and consents.
    pub oauth: OAuthServer,
    /// Live fault-injection settings.
    pub faults: FaultState,
}

impl AppState {
    pub fn new(config: SandboxConfig) -> Self {
        let clock = SimClock::starting_on(config.today);
        let bank = Bank::new(&config, clock.today());
        let oauth = OAuthServer::new(&config);
        let faults = FaultState::new(config.seed, config.faults.clone());
        Self(Arc::new(Inner { config, clock, bank, oauth, faults }))
    }
}

impl Deref for AppState {
    type Target = Inner;
    fn deref(&self) -> &Inner {
        &self.0
    }
}
